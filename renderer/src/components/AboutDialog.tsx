/** Help ▸ About: the version, and the promise that nothing leaves this computer. */
import { useSettings, useViewer } from '../store/context';
import { Dialog } from './Dialog';

export function AboutDialog() {
  const setDialog = useViewer((s) => s.setDialog);
  const info = useSettings((s) => s.info);
  return (
    <Dialog title="About LogSieve" onClose={() => setDialog(null)} testId="about">
      <p>
        <strong>LogSieve {info?.version ?? ''}</strong>: a log viewer for the people who run
        security gateways, proxies and access-management agents.
      </p>
      <p>
        It reads files on this computer only and makes no network connections: no update checks, no
        crash reports, no telemetry.
      </p>
      {info !== null && (
        <p className="quiet" data-testid="about-versions">
          {info.host === 'electron' ? 'Desktop app' : 'Browser bridge'} on {info.platform}
          {Object.entries(info.versions).map(([part, version]) => ` · ${part} ${version}`)}
        </p>
      )}
    </Dialog>
  );
}
