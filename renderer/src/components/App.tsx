/** The window: tabs, the active file (progress, problems, grid, record pane), the status bar. */
import { useEffect, useRef, useState } from 'react';
import type { FileSummary } from '../../../shared/api';
import { asRowIndex } from '../../../shared/ids';
import { useClient, useViewer } from '../store/context';
import { activeFile } from '../store/viewer-store';
import { DetailPane } from './DetailPane';
import { DropZone } from './DropZone';
import { FileProblems } from './FileProblems';
import { FileTabs } from './FileTabs';
import { JumpToLine } from './JumpToLine';
import { LoadingBar } from './LoadingBar';
import { LogGrid } from './LogGrid';
import { NoticeBar } from './NoticeBar';
import { StatusBar } from './StatusBar';
import { pickedFromDrop } from './pick';

function hasRows(file: FileSummary): boolean {
  return file.format !== null && (file.records > 0 || file.state === 'loading');
}

function FileView({
  file,
  showRaw,
  setShowRaw,
}: {
  file: FileSummary;
  showRaw: boolean;
  setShowRaw: (v: boolean) => void;
}) {
  const detailOpen = useViewer((s) => s.detailOpen);
  const setDetailOpen = useViewer((s) => s.setDetailOpen);
  const setJumpOpen = useViewer((s) => s.setJumpOpen);
  const jumpToRow = useViewer((s) => s.jumpToRow);
  return (
    <div className="file-view">
      {file.state === 'loading' && <LoadingBar file={file} />}
      <FileProblems file={file} />
      {hasRows(file) && (
        <>
          <div className="toolbar" role="toolbar" aria-label="Rows">
            <button onClick={() => jumpToRow(file.id, asRowIndex(0))} title="First row (Ctrl+Home)">
              First
            </button>
            <button
              onClick={() => jumpToRow(file.id, asRowIndex(Math.max(0, file.records - 1)))}
              title="Last row (Ctrl+End)"
            >
              Last
            </button>
            <button onClick={() => setJumpOpen(true)} title="Go to line (Ctrl+G)">
              Go to line…
            </button>
            <label className="toggle">
              <input
                type="checkbox"
                checked={showRaw}
                onChange={(e) => setShowRaw(e.target.checked)}
              />{' '}
              Raw text
            </label>
            <label className="toggle">
              <input
                type="checkbox"
                checked={detailOpen}
                onChange={(e) => setDetailOpen(e.target.checked)}
              />{' '}
              Record pane
            </label>
          </div>
          <div className={`split ${detailOpen ? 'with-detail' : ''}`}>
            <LogGrid key={file.id} file={file} showRaw={showRaw} />
            {detailOpen && <DetailPane />}
          </div>
        </>
      )}
    </div>
  );
}

export function App() {
  const client = useClient();
  const ready = useViewer((s) => s.ready);
  const file = useViewer(activeFile);
  const hasFiles = useViewer((s) => s.files.length > 0);
  const jumpOpen = useViewer((s) => s.jumpOpen);
  const openPicked = useViewer((s) => s.openPicked);
  const openDialog = useViewer((s) => s.openDialog);
  const setJumpOpen = useViewer((s) => s.setJumpOpen);
  const setDetailOpen = useViewer((s) => s.setDetailOpen);
  const detailOpen = useViewer((s) => s.detailOpen);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [showRaw, setShowRaw] = useState(false);

  const open = (): void => {
    if (client.host === 'electron') void openDialog();
    else input.current?.click();
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        open();
      } else if (mod && e.key.toLowerCase() === 'g') {
        e.preventDefault();
        if (file !== null && hasRows(file)) setJumpOpen(true);
      } else if (e.key === 'F4') {
        e.preventDefault();
        setDetailOpen(!detailOpen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

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
        <FileTabs />
        <button className="open-button" onClick={open} title="Open files (Ctrl+O)">
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
      <NoticeBar />
      <main className="content">
        {!ready ? null : file === null || !hasFiles ? (
          <DropZone onOpen={open} />
        ) : (
          <FileView key={file.id} file={file} showRaw={showRaw} setShowRaw={setShowRaw} />
        )}
      </main>
      <StatusBar file={file} />
      {jumpOpen && file !== null && <JumpToLine fileId={file.id} />}
      {dragging && <div className="drop-overlay">Drop to open</div>}
    </div>
  );
}
