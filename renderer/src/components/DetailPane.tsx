/** The selected record, whole: raw text, every field by name, where it is in the file, its flags. */
import { formatBytes, formatCount, formatTime, zoneLabel } from '../display';
import { useSettings, useViewer } from '../store/context';
import { HighlightedText } from './HighlightedText';

export function DetailPane() {
  const detail = useViewer((s) => s.detail);
  const activeFileId = useViewer((s) => s.activeFileId);
  const change = useSettings((s) => s.change);
  const zone = useSettings((s) => s.settings.displayTimeZone);
  const header = (
    <div className="pane-header">
      <span>Record</span>
      <button
        className="icon-button"
        aria-label="Hide the record pane"
        title="Hide (F4)"
        onClick={() => void change({ detailPane: false })}
      >
        ×
      </button>
    </div>
  );
  if (detail === null || detail.fileId !== activeFileId)
    return (
      <section className="detail-pane" aria-label="Record detail" data-testid="detail">
        {header}
        <p className="quiet pad">Select a row to see the whole record.</p>
      </section>
    );
  if (detail.status === 'loading')
    return (
      <section className="detail-pane" aria-label="Record detail" data-testid="detail">
        {header}
        <p className="quiet pad">Reading the record…</p>
      </section>
    );
  if (detail.status === 'error')
    return (
      <section className="detail-pane" aria-label="Record detail" data-testid="detail">
        {header}
        <p className="pad error-text">
          {detail.error.message} {detail.error.hint}
        </p>
      </section>
    );
  const d = detail.detail;
  const where =
    d.length > 0
      ? `${d.fileName}, ${d.line === d.lastLine ? `line ${formatCount(d.line)}` : `lines ${formatCount(d.line)}–${formatCount(d.lastLine)}`}, byte offset ${formatCount(d.offset)} (${formatBytes(d.length)})`
      : `${d.fileName}, record ${formatCount(d.line)}, byte offset ${formatCount(d.offset)}`;
  return (
    <section className="detail-pane" aria-label="Record detail" data-testid="detail">
      {header}
      <div className="detail-body">
        {detail.hiddenByView === true && (
          <p className="detail-hidden" role="status" data-testid="detail-hidden">
            The current filters hide this record; it stays here for reference.
          </p>
        )}
        <div className="detail-where" data-testid="detail-where">
          {where} · {d.format}
          {d.time !== null && (
            <>
              {' '}
              · {formatTime(d.time, zone)} {zoneLabel(zone)}
            </>
          )}
        </div>
        {d.tags.length > 0 && (
          <ul className="detail-tags">
            {d.tags.map((t) => (
              <li key={t.id}>
                <span className={`chip tag tag-${t.id}`}>{t.id}</span> <strong>{t.title}.</strong>{' '}
                {t.explanation}
              </li>
            ))}
          </ul>
        )}
        {d.flags.length > 0 && (
          <ul className="detail-flags">
            {d.flags.map((f) => (
              <li key={f.id} className={f.problem ? 'problem' : ''}>
                <span className={`chip chip-${f.id}`}>{f.id}</span> {f.description}
              </li>
            ))}
          </ul>
        )}
        {(d.notes.length > 0 || d.invalidUtf8 || d.truncated) && (
          <ul className="detail-notes">
            {d.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
            {d.invalidUtf8 && (
              <li>
                Some bytes are not valid UTF-8; they are shown as �, and the file is unchanged.
              </li>
            )}
            {d.truncated && (
              <li>
                The record is very long; only its first {formatBytes(16 * 1024 * 1024)} are shown.
              </li>
            )}
          </ul>
        )}
        <pre className="raw" data-testid="detail-raw">
          <HighlightedText text={d.raw} />
        </pre>
        {d.fields.length > 0 && (
          <table className="fields">
            <tbody>
              {d.fields.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
