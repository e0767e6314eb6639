/**
 * Export: turns the current filter set into device configuration, previewed live as the target
 * and options change. The exporters are the same pure functions the CLI runs, so what is shown is
 * exactly what is copied or saved; when an export is refused, every problem is listed instead.
 */
import { useState } from 'react';
import { EXPORT_TARGETS } from '../../../shared/exporters/registry';
import type { ExportOptions } from '../../../shared/exporters/common';
import { useClient } from '../store/context';
import { describeError } from '../api/client';
import { useFilters } from '../store/filters-context';

export function ExportDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const set = useFilters((s) => s.set);
  const [targetId, setTargetId] = useState(EXPORT_TARGETS[0]!.id);
  const [values, setValues] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const target = EXPORT_TARGETS.find((t) => t.id === targetId)!;

  const optionProblems = target.options.flatMap((spec) => {
    const value = values[spec.key] ?? spec.defaultValue;
    const problem = spec.check(value);
    return problem === null ? [] : [{ key: spec.key, message: `${spec.label}: ${problem.reason}` }];
  });
  const options: ExportOptions = Object.fromEntries(
    target.options.map((spec) => [spec.key, values[spec.key] ?? spec.defaultValue]),
  );
  // Exporting a filter set takes well under a millisecond: no need to memoise the preview.
  const result = optionProblems.length > 0 ? null : target.export(set, options);
  const text = result?.ok ? result.value : null;
  const fileName = `${set.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'logsieve'}${target.fileExtension}`;

  const copy = async (): Promise<void> => {
    if (text === null) return;
    try {
      await client.copyText(text);
      setStatus('Copied to the clipboard.');
    } catch (error) {
      setStatus(describeError(error).message);
    }
  };
  const save = async (): Promise<void> => {
    if (text === null) return;
    try {
      const saved = await client.saveText({ kind: 'configuration', suggestedName: fileName, text });
      if (saved !== null) setStatus(`Saved as ${saved.name}.`);
    } catch (error) {
      setStatus(describeError(error).message);
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={onClose}>
      <section
        className="dialog export-dialog"
        role="dialog"
        aria-label="Export filter set"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        <header className="dialog-title">Export “{set.name}”</header>
        <div className="export-controls">
          <label>
            Target
            <select value={targetId} onChange={(e) => setTargetId(e.target.value)} autoFocus>
              {EXPORT_TARGETS.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
            </select>
          </label>
          {target.options.map((spec) => (
            <label key={spec.key} title={spec.description}>
              {spec.label}
              <input
                value={values[spec.key] ?? spec.defaultValue}
                spellCheck={false}
                onChange={(e) => setValues({ ...values, [spec.key]: e.target.value })}
                aria-invalid={optionProblems.some((p) => p.key === spec.key)}
              />
            </label>
          ))}
        </div>
        <p className="quiet">{target.description}</p>
        {optionProblems.length > 0 && (
          <ul className="export-problems" role="alert">
            {optionProblems.map((p) => (
              <li key={p.key}>{p.message}</li>
            ))}
          </ul>
        )}
        {result !== null && !result.ok && (
          <ul className="export-problems" role="alert" data-testid="export-problems">
            {result.error.map((e, i) => (
              <li key={i}>
                {e.message}
                {e.hint && <span className="hint"> {e.hint}</span>}
              </li>
            ))}
          </ul>
        )}
        {text !== null && (
          <pre className="raw export-preview" data-testid="export-preview" tabIndex={0}>
            {text}
          </pre>
        )}
        <div className="dialog-buttons">
          {status !== null && (
            <span className="quiet status-text" role="status">
              {status}
            </span>
          )}
          <button onClick={() => void copy()} disabled={text === null}>
            Copy
          </button>
          <button onClick={() => void save()} disabled={text === null}>
            Save as…
          </button>
          <button onClick={onClose}>Close</button>
        </div>
      </section>
    </div>
  );
}
