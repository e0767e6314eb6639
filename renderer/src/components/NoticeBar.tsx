/** A message about something the user asked for that could not be done. */
import { useViewer } from '../store/context';

export function NoticeBar() {
  const notice = useViewer((s) => s.notice);
  const dismiss = useViewer((s) => s.dismissNotice);
  if (notice === null) return null;
  return (
    <div
      className={`notice ${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid="notice"
    >
      <span>
        {notice.error.message}
        {notice.error.hint && <span className="hint"> {notice.error.hint}</span>}
      </span>
      <button className="icon-button" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}
