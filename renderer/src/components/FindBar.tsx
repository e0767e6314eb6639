/**
 * Find (Ctrl+F): text or a regular expression over the raw records of the file shown, searched
 * by its worker. Enter goes to the next match, Shift+Enter to the previous one; a long search can
 * be cancelled; a bad regular expression shows the Session's own message.
 */
import { useEffect, useRef } from 'react';
import type { FileSummary, ViewQuery } from '../../../shared/api';
import { formatCount, plural } from '../display';
import { useExplore, useStores, useViewer } from '../store/context';
import type { FindState } from '../store/explore-store';
import { viewOf } from '../store/viewer-store';

function describe(find: FindState): string {
  if (find.status === 'running') return 'Searching…';
  if (find.status === 'error' || find.status === 'idle' || find.result === null) return '';
  const { matches, inView, complete } = find.result;
  const partial = complete ? '' : ' (stopped early)';
  if (matches === 0) return `No matches${partial}`;
  const inViewText = inView === matches ? '' : ` (${formatCount(inView)} in view)`;
  if (inView === 0) return `${plural(matches, 'match', 'matches')}, none in view${partial}`;
  const position =
    find.ordinal !== null
      ? `${formatCount(find.ordinal)} of `
      : find.row !== null
        ? `row ${formatCount(find.row + 1)} · `
        : '';
  return `${position}${plural(matches, 'match', 'matches')}${inViewText}${partial}`;
}

export function FindBar({ file }: { file: FileSummary }) {
  const { viewer, explore } = useStores();
  const find = useExplore((s) => s.find);
  const focus = useExplore((s) => s.findFocus);
  const setFind = useExplore((s) => s.setFind);
  const jumpToRow = useViewer((s) => s.jumpToRow);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focus]);

  const query = (): { query: ViewQuery; from: number } => {
    const view = viewOf(viewer.getState(), file.id);
    return {
      query: { fileId: file.id, order: view.order, descending: view.descending },
      from: view.selectedRow ?? 0,
    };
  };
  const step = async (backwards: boolean): Promise<void> => {
    const { query: q, from } = query();
    const row = await explore.getState().findStep(q, from, backwards);
    if (row !== null) jumpToRow(file.id, row);
  };
  const close = (): void => setFind({ open: false });

  return (
    <div className="find-bar" role="search" aria-label="Find" data-testid="find-bar">
      <input
        ref={input}
        type="search"
        aria-label="Find in records"
        placeholder={find.regex ? 'Regular expression' : 'Find text in the raw records'}
        value={find.pattern}
        spellCheck={false}
        aria-invalid={find.status === 'error'}
        onChange={(e) => setFind({ pattern: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void step(e.shiftKey);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            close();
          }
        }}
      />
      <label className="toggle" title="Match case">
        <input
          type="checkbox"
          checked={find.caseSensitive}
          onChange={(e) => setFind({ caseSensitive: e.target.checked })}
        />{' '}
        Aa
      </label>
      <label className="toggle" title="Regular expression">
        <input
          type="checkbox"
          checked={find.regex}
          onChange={(e) => setFind({ regex: e.target.checked })}
        />{' '}
        Regex
      </label>
      <button
        onClick={() => void step(true)}
        disabled={find.pattern === '' || find.status === 'running'}
        title="Previous match (Shift+Enter)"
        aria-label="Previous match"
      >
        ↑
      </button>
      <button
        onClick={() => void step(false)}
        disabled={find.pattern === '' || find.status === 'running'}
        title="Next match (Enter)"
        aria-label="Next match"
      >
        ↓
      </button>
      {find.status === 'running' && (
        <button onClick={() => void explore.getState().cancelFind()}>Cancel</button>
      )}
      <span className="find-status" data-testid="find-status" aria-live="polite">
        {find.status === 'error' && find.error !== null ? (
          <span className="error-text">
            {find.error.message}
            {find.error.hint && <span className="hint"> {find.error.hint}</span>}
          </span>
        ) : (
          describe(find)
        )}
      </span>
      <button className="icon-button find-close" onClick={close} aria-label="Close find bar">
        ×
      </button>
    </div>
  );
}
