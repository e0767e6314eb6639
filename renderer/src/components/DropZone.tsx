/** The empty window: what LogSieve reads and how to give it files. */
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
        <p className="quiet">Files are read on this computer and never leave it.</p>
      </div>
    </div>
  );
}
