/** Facts about the active file, and the format menu that overrides detection. */
import type { FileSummary } from '../../../shared/api';
import { isFormatId } from '../../../shared/formats/types';
import { formatBytes, formatCount, formatTime, zoneLabel } from '../display';
import { useSettings, useViewer } from '../store/context';

export function StatusBar({ file }: { file: FileSummary | null }) {
  const formats = useViewer((s) => s.formats);
  const setFormat = useViewer((s) => s.setFormat);
  const zone = useSettings((s) => s.settings.displayTimeZone);
  if (file === null) return <footer className="status-bar" />;
  const detected = formats.find((f) => f.id === file.detectedFormat)?.title ?? 'not a log';
  return (
    <footer className="status-bar" data-testid="status-bar">
      <label className="format-menu">
        <span className="sr-only">Format</span>
        <select
          value={file.formatOverridden ? (file.format ?? '') : 'auto'}
          disabled={
            file.state === 'error' && file.errors.some((e) => e.code.startsWith('file.open'))
          }
          onChange={(e) =>
            void setFormat(file.id, isFormatId(e.target.value) ? e.target.value : null)
          }
          aria-label="Format"
        >
          <option value="auto">Auto: {detected}</option>
          {formats.map((f) => (
            <option key={f.id} value={f.id}>
              {f.title}
            </option>
          ))}
        </select>
      </label>
      <span data-testid="status-records">{formatCount(file.records)} records</span>
      <span>{formatCount(file.parsed)} parsed</span>
      <span className={file.flagged > 0 ? 'warn-text' : ''}>
        {formatCount(file.flagged)} flagged
      </span>
      <span>{formatBytes(file.size)}</span>
      {file.encoding && <span>{file.encoding.toUpperCase()}</span>}
      <span title="Memory the index of this file uses">index {formatBytes(file.indexBytes)}</span>
      {file.firstTime !== null && (
        <span className="grow-right">
          {formatTime(file.firstTime, zone)} – {formatTime(file.lastTime, zone)} {zoneLabel(zone)}
        </span>
      )}
    </footer>
  );
}
