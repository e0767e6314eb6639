/** What is wrong with a file as a whole, each with what the user can do about it. */
import type { FileSummary } from '../../../shared/api';
import { formatBytes, formatCount } from '../display';
import { useViewer } from '../store/context';

export function FileProblems({ file }: { file: FileSummary }) {
  const setFormat = useViewer((s) => s.setFormat);
  const problems = file.errors;
  const binary = problems.some((p) => p.code === 'file.binary');
  if (file.state === 'cancelled')
    return (
      <div className="banner info" role="status">
        Loading was stopped after {formatBytes(file.bytesRead)} of {formatBytes(file.size)}: the{' '}
        {formatCount(file.records)} records read so far are shown.{' '}
        <button onClick={() => void setFormat(file.id, file.formatOverridden ? file.format : null)}>
          Read the whole file
        </button>
      </div>
    );
  if (problems.length === 0) {
    if (file.state === 'ready' && file.size === 0)
      return (
        <div className="banner info" role="status">
          {file.name} is empty.
        </div>
      );
    return null;
  }
  return (
    <div
      className={`banner ${file.state === 'error' || binary ? 'error' : 'warning'}`}
      role="alert"
      data-testid="file-problems"
    >
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.message}
            {p.hint && <span className="hint"> {p.hint}</span>}
          </li>
        ))}
      </ul>
      {binary && (
        <button onClick={() => void setFormat(file.id, 'plain')}>Open as plain text anyway</button>
      )}
    </div>
  );
}
