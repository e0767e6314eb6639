/**
 * The window: menu bar (in a browser), tabs, the active file (progress, problems, grid, record
 * pane), the status bar, and the dialogs. Menu commands, their shortcuts and the native menu's
 * items all go through one runner (../commands.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FileSummary } from '../../../shared/api';
import type { CommandContext } from '../commands';
import {
  commandForKey,
  hasRows,
  isTextFieldKey,
  platformOf,
  runCommand,
  windowShortcuts,
} from '../commands';
import { useSettings, useStores, useViewer } from '../store/context';
import { activeFile } from '../store/viewer-store';
import { applyTheme } from '../theme-mode';
import { AboutDialog } from './AboutDialog';
import { ColumnsDialog } from './ColumnsDialog';
import { DetailPane } from './DetailPane';
import { DropZone } from './DropZone';
import { FileProblems } from './FileProblems';
import { FileTabs } from './FileTabs';
import { JumpToLine } from './JumpToLine';
import { LoadingBar } from './LoadingBar';
import { LogGrid } from './LogGrid';
import { MenuBar } from './MenuBar';
import { NoticeBar } from './NoticeBar';
import { SettingsDialog } from './SettingsDialog';
import { SettingsProblems } from './SettingsProblems';
import { ShortcutsDialog } from './ShortcutsDialog';
import { StatusBar } from './StatusBar';
import { pickedFromDrop } from './pick';

function FileView({ file, ctx }: { file: FileSummary; ctx: CommandContext }) {
  const detailOpen = useSettings((s) => s.settings.detailPane);
  const showRaw = useSettings((s) => s.settings.showRaw);
  return (
    <div className="file-view">
      {file.state === 'loading' && <LoadingBar file={file} />}
      <FileProblems file={file} />
      {hasRows(file) && (
        <>
          <div className="toolbar" role="toolbar" aria-label="Rows">
            <button onClick={() => runCommand('edit.firstRow', ctx)} title="First row (Ctrl+Home)">
              First
            </button>
            <button onClick={() => runCommand('edit.lastRow', ctx)} title="Last row (Ctrl+End)">
              Last
            </button>
            <button onClick={() => runCommand('edit.goToLine', ctx)} title="Go to line (Ctrl+G)">
              Go to line…
            </button>
            <label className="toggle">
              <input
                type="checkbox"
                checked={showRaw}
                onChange={() => runCommand('view.rawText', ctx)}
              />{' '}
              Raw text
            </label>
            <label className="toggle">
              <input
                type="checkbox"
                checked={detailOpen}
                onChange={() => runCommand('view.detailPane', ctx)}
              />{' '}
              Record pane
            </label>
          </div>
          <div className={`split ${detailOpen ? 'with-detail' : ''}`}>
            <LogGrid key={file.id} file={file} />
            {detailOpen && <DetailPane />}
          </div>
        </>
      )}
    </div>
  );
}

export function App() {
  const stores = useStores();
  const client = stores.client;
  const ready = useViewer((s) => s.ready);
  const file = useViewer(activeFile);
  const hasFiles = useViewer((s) => s.files.length > 0);
  const jumpOpen = useViewer((s) => s.jumpOpen);
  const dialog = useViewer((s) => s.dialog);
  const openPicked = useViewer((s) => s.openPicked);
  const notify = useViewer((s) => s.notify);
  const showOpened = useViewer((s) => s.showOpened);
  const theme = useSettings((s) => s.settings.theme);
  // The layout (columns, record pane) comes from the settings: wait for them before drawing.
  const settingsReady = useSettings((s) => s.ready);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [menuFocus, setMenuFocus] = useState(0);

  const host = client.host;
  const platform = useMemo(() => platformOf(navigator.userAgent), []);
  const ctx = useMemo<CommandContext>(
    () => ({
      host,
      platform,
      viewer: stores.viewer,
      settings: stores.settings,
      client,
      pickFiles: () => input.current?.click(),
    }),
    [host, platform, client, stores.viewer, stores.settings],
  );
  const shortcuts = useMemo(() => windowShortcuts(host, platform), [host, platform]);

  useEffect(() => applyTheme(theme), [theme]);

  // The native menu's items, files opened from outside the window, and what the main process
  // could not do on its own.
  useEffect(
    () =>
      client.onAppEvent((event) => {
        if (event.type === 'command') runCommand(event.command, ctx);
        else if (event.type === 'notice') notify('error', event.error);
        else if (event.type === 'opened') showOpened(event.fileIds);
      }),
    [client, ctx, notify, showOpened],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.repeat) return;
      if (host === 'bridge' && e.key === 'F10' && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        setMenuFocus((n) => n + 1);
        return;
      }
      if (isTextFieldKey(e, e.target)) return;
      const command = commandForKey(e, shortcuts, platform);
      if (command === null) return;
      e.preventDefault();
      runCommand(command, ctx);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ctx, host, platform, shortcuts]);

  return (
    <div
      className={`app ${dragging ? 'dragging' : ''}`}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void pickedFromDrop(e.dataTransfer, client.host).then(openPicked);
      }}
    >
      <header className="top-bar">
        <span className="brand">LogSieve</span>
        {host === 'bridge' && <MenuBar ctx={ctx} focusRequest={menuFocus} />}
        <FileTabs />
        <button
          className="open-button"
          onClick={() => runCommand('file.open', ctx)}
          title="Open files (Ctrl+O)"
        >
          Open…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void openPicked(files);
          }}
        />
      </header>
      <SettingsProblems />
      <NoticeBar />
      <main className="content">
        {!ready || !settingsReady ? null : file === null || !hasFiles ? (
          <DropZone onOpen={() => runCommand('file.open', ctx)} />
        ) : (
          <FileView key={file.id} file={file} ctx={ctx} />
        )}
      </main>
      <StatusBar file={file} />
      {jumpOpen && file !== null && <JumpToLine fileId={file.id} />}
      {dialog === 'settings' && <SettingsDialog />}
      {dialog === 'shortcuts' && <ShortcutsDialog host={host} platform={platform} />}
      {dialog === 'about' && <AboutDialog />}
      {dialog === 'columns' && file !== null && <ColumnsDialog file={file} />}
      {dragging && <div className="drop-overlay">Drop to open</div>}
    </div>
  );
}
