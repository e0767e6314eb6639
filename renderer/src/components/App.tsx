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
import { openPickedFilterSet, openedFilterSet } from '../explore/filter-set-file';
import { useExplore, useSettings, useStores, useViewer } from '../store/context';
import { activeFile } from '../store/viewer-store';
import { applyTheme } from '../theme-mode';
import { AboutDialog } from './AboutDialog';
import { ColumnsDialog } from './ColumnsDialog';
import { DetailPane } from './DetailPane';
import { DropZone } from './DropZone';
import { ExportDialog } from './ExportDialog';
import { FileProblems } from './FileProblems';
import { FileTabs } from './FileTabs';
import { FiltersPanel } from './FiltersPanel';
import { FindBar } from './FindBar';
import { FindingsPanel } from './FindingsPanel';
import { GroupsPanel } from './GroupsPanel';
import { JumpToLine } from './JumpToLine';
import { LoadingBar } from './LoadingBar';
import { LogGrid } from './LogGrid';
import { MenuBar } from './MenuBar';
import { NoticeBar } from './NoticeBar';
import { SettingsDialog } from './SettingsDialog';
import { SettingsProblems } from './SettingsProblems';
import { ShortcutsDialog } from './ShortcutsDialog';
import { StatusBar } from './StatusBar';
import { Timeline } from './Timeline';
import { pickedFromDrop } from './pick';

function FileView({ file, ctx }: { file: FileSummary; ctx: CommandContext }) {
  const detailOpen = useSettings((s) => s.settings.detailPane);
  const showRaw = useSettings((s) => s.settings.showRaw);
  const sidebar = useExplore((s) => s.sidebar);
  const timelineOpen = useExplore((s) => s.timelineOpen);
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
            <label className="toggle">
              <input
                type="checkbox"
                checked={sidebar === 'filters'}
                onChange={() => runCommand('view.filters', ctx)}
              />{' '}
              Filters
            </label>
            <label className="toggle">
              <input
                type="checkbox"
                checked={sidebar === 'groups'}
                onChange={() => runCommand('view.groups', ctx)}
              />{' '}
              Groups
            </label>
            <label className="toggle">
              <input
                type="checkbox"
                checked={timelineOpen}
                onChange={() => runCommand('view.timeline', ctx)}
              />{' '}
              Timeline
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

/** Whether keys go to a text field (so Ctrl+Z undoes typing there, not a rule edit). */
function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement ||
      (target instanceof HTMLInputElement &&
        !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(target.type)))
  );
}

const SIDEBAR_TITLES = { filters: 'Filters', groups: 'Groups', findings: 'Findings' } as const;

/** The working surface: a sidebar (rules, groups or findings) on the left, timeline and find above the grid. */
function Workspace({ file, ctx }: { file: FileSummary; ctx: CommandContext }) {
  const sidebar = useExplore((s) => s.sidebar);
  const setSidebar = useExplore((s) => s.setSidebar);
  const timelineOpen = useExplore((s) => s.timelineOpen);
  const findOpen = useExplore((s) => s.find.open);
  const rows = hasRows(file);
  return (
    <div className={`workspace ${sidebar !== null ? 'with-sidebar' : ''}`}>
      {sidebar !== null && (
        <div className="sidebar">
          <div className="sidebar-tabs" role="tablist" aria-label="Sidebar">
            {(['filters', 'groups', 'findings'] as const).map((panel) => (
              <button
                key={panel}
                role="tab"
                aria-selected={sidebar === panel}
                className={sidebar === panel ? 'active' : ''}
                onClick={() => setSidebar(panel)}
              >
                {SIDEBAR_TITLES[panel]}
              </button>
            ))}
            <button
              className="icon-button sidebar-close"
              aria-label="Close the sidebar"
              title="Close the sidebar"
              onClick={() => setSidebar(null)}
            >
              ×
            </button>
          </div>
          {sidebar === 'filters' && <FiltersPanel pickFilterSet={ctx.pickFilterSet} />}
          {sidebar === 'groups' && <GroupsPanel />}
          {sidebar === 'findings' && <FindingsPanel />}
        </div>
      )}
      <div className="workspace-main">
        {findOpen && rows && <FindBar file={file} />}
        {timelineOpen && rows && <Timeline file={file} />}
        <FileView key={file.id} file={file} ctx={ctx} />
      </div>
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
  const filterSetInput = useRef<HTMLInputElement>(null);
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
      filters: stores.filters,
      explore: stores.explore,
      pickFilterSet: () => filterSetInput.current?.click(),
    }),
    [host, platform, client, stores.viewer, stores.settings, stores.filters, stores.explore],
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
        else if (event.type === 'filter-set-opened')
          openedFilterSet(
            { client, filters: stores.filters, notify, pickFilterSet: ctx.pickFilterSet },
            event.file,
            event.text,
          );
      }),
    [client, ctx, notify, showOpened, stores.filters],
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
      // Undo and redo of filter-set edits, unless a text field takes them for its own text.
      const mod = platform === 'darwin' ? e.metaKey : e.ctrlKey;
      if (
        mod &&
        !e.altKey &&
        (e.key === 'z' || e.key === 'Z' || e.key === 'y') &&
        !isEditable(e.target)
      ) {
        e.preventDefault();
        const redo = e.key === 'y' || e.shiftKey;
        if (redo) stores.filters.getState().redo();
        else stores.filters.getState().undo();
        return;
      }
      const command = commandForKey(e, shortcuts, platform);
      if (command === null) return;
      e.preventDefault();
      runCommand(command, ctx);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ctx, host, platform, shortcuts, stores.filters]);

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
        <input
          ref={filterSetInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="filter-set-input"
          onChange={(e) => {
            const picked = e.target.files?.[0];
            e.target.value = '';
            if (picked === undefined) return;
            void openPickedFilterSet(
              {
                client,
                filters: stores.filters,
                notify,
                pickFilterSet: ctx.pickFilterSet,
              },
              picked,
            );
          }}
        />
      </header>
      <SettingsProblems />
      <NoticeBar />
      <main className="content">
        {!ready || !settingsReady ? null : file === null || !hasFiles ? (
          <DropZone onOpen={() => runCommand('file.open', ctx)} />
        ) : (
          <Workspace file={file} ctx={ctx} />
        )}
      </main>
      <StatusBar file={file} />
      {jumpOpen && file !== null && <JumpToLine fileId={file.id} />}
      {dialog === 'settings' && <SettingsDialog />}
      {dialog === 'shortcuts' && <ShortcutsDialog host={host} platform={platform} />}
      {dialog === 'about' && <AboutDialog />}
      {dialog === 'export' && (
        <ExportDialog onClose={() => stores.viewer.getState().setDialog(null)} />
      )}
      {dialog === 'columns' && file !== null && <ColumnsDialog file={file} />}
      {dragging && <div className="drop-overlay">Drop to open</div>}
    </div>
  );
}
