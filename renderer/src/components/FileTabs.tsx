/** One tab per open file, with its load state; the active tab's file fills the window. */
import { useExplore, useViewer } from '../store/context';

const STATE_LABEL = {
  loading: 'loading',
  ready: '',
  cancelled: 'stopped',
  error: 'error',
} as const;

export function FileTabs() {
  const files = useViewer((s) => s.files);
  const activeFileId = useViewer((s) => s.activeFileId);
  const setActive = useViewer((s) => s.setActive);
  const closeFile = useViewer((s) => s.closeFile);
  const hiddenFiles = useExplore((s) => s.hiddenFiles);
  const toggleFile = useExplore((s) => s.toggleFile);
  return (
    <div className="tabs" role="tablist" aria-label="Open files">
      {files.map((f) => (
        <div key={f.id} className={`tab ${f.id === activeFileId ? 'active' : ''} state-${f.state}`}>
          {files.length > 1 && (
            <input
              type="checkbox"
              className="tab-toggle"
              checked={!hiddenFiles.includes(f.id)}
              onChange={() => toggleFile(f.id)}
              aria-label={`Count ${f.name} in the view`}
              title="Count this file's rows in the filters, groups and timeline"
            />
          )}
          <button
            role="tab"
            aria-selected={f.id === activeFileId}
            className="tab-name"
            title={f.location === null ? f.name : `${f.location}/${f.name}`}
            onClick={() => setActive(f.id)}
          >
            {f.name}
            {STATE_LABEL[f.state] && <span className="tab-state"> · {STATE_LABEL[f.state]}</span>}
          </button>
          <button
            className="tab-close"
            aria-label={`Close ${f.name}`}
            title="Close file"
            onClick={() => void closeFile(f.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
