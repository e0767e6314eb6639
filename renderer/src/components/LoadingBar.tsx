/** Progress of a file that is loading: bytes, records, speed, time left, and a way to stop. */
import type { FileSummary } from '../../../shared/api';
import { formatBytes, formatCount, formatDuration } from '../display';
import { useProgress, useViewer } from '../store/context';

export function LoadingBar({ file }: { file: FileSummary }) {
  const progress = useProgress((s) => s.progress[file.id]);
  const cancelLoad = useViewer((s) => s.cancelLoad);
  const done = progress?.bytesRead ?? file.bytesRead;
  const total = file.size;
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  return (
    <div className="loading-bar" data-testid="loading-bar" role="status">
      <div className="loading-text">
        <strong>Reading {file.name}</strong>
        <span>
          {formatBytes(done)} of {formatBytes(total)} ·{' '}
          {formatCount(progress?.records ?? file.records)} records
          {progress && progress.recordsPerSecond > 0 && (
            <> · {formatCount(progress.recordsPerSecond)} records/s</>
          )}
          {progress !== undefined && progress.etaMs !== null && (
            <> · {formatDuration(progress.etaMs)} left</>
          )}
        </span>
        <button onClick={() => void cancelLoad(file.id)}>Cancel</button>
      </div>
      <progress max={1} value={fraction} aria-label={`Loaded ${Math.round(fraction * 100)}%`} />
    </div>
  );
}
