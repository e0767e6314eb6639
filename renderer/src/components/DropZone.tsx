/** The empty window: what LogSieve reads, how to give it files, and the files opened lately. */
import { splitPath } from '../../../shared/settings/recent';
import { useSettings, useViewer } from '../store/context';

function RecentFiles() {
  const recent = useSettings((s) => s.settings.recentFiles);
  const openRecentFile = useViewer((s) => s.openRecentFile);
  if (recent.length === 0) return null;
  return (
    <section className="recent" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent files</h2>
      <ul>
        {recent.map((entry) => {
          const { name, folder } = splitPath(entry.path);
          return (
            <li key={entry.path}>
              <button
                className="link-button"
                title={entry.path}
                onClick={() => void openRecentFile(entry.path)}
              >
                {name}
              </button>{' '}
              <span className="quiet">{folder}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function DropZone({ onOpen }: { onOpen: () => void }) {
  return (
    <div className="dropzone" data-testid="dropzone">
      <div className="dropzone-inner">
        <h1>Drop log files or folders here</h1>
        <p>
          or{' '}
          <button className="link-button" onClick={onOpen}>
            open files…
          </button>{' '}
          (Ctrl+O)
        </p>
        <ul className="accepts">
          <li>Apache access and error logs (Common, Combined, vhost, mod_ssl)</li>
          <li>W3C extended / ELFF logs from Blue Coat ProxySG and IIS</li>
          <li>RSA ClearTrust agent logs (ctagent.log) and syslog</li>
          <li>Windows event logs (.evtx, .evt) and Event Viewer exports (.csv, .txt, .xml)</li>
          <li>Any other text log, read line by line</li>
        </ul>
        <RecentFiles />
        <p className="quiet">Files are read on this computer and never leave it.</p>
      </div>
    </div>
  );
}
