/** What went wrong with the settings file (read, repaired, not saved), until the user closes it. */
import { useSettings } from '../store/context';
import { visibleProblems } from '../store/settings-store';

export function SettingsProblems() {
  const all = useSettings((s) => s.problems);
  const dismissed = useSettings((s) => s.dismissed);
  const problems = visibleProblems({ problems: all, dismissed });
  const dismiss = useSettings((s) => s.dismissProblems);
  if (problems.length === 0) return null;
  return (
    <div className="notice error" role="alert" data-testid="settings-problems">
      <div>
        <strong>Settings: </strong>
        {problems.map((p, i) => (
          <span key={i}>
            {p.message}
            {p.hint && <span className="hint"> {p.hint}</span>}{' '}
          </span>
        ))}
      </div>
      <button className="icon-button" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}
