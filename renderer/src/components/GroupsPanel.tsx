/**
 * The group table beside the grid: group the view's rows by a column, a tag or a named field
 * (with roll-ups by network or registered domain), read count, share, first and last time and a
 * sparkline, sort by any column, and click groups to limit the grid to them. Keys come from logs:
 * they are shown as text, never as HTML.
 */
import { useMemo, useState } from 'react';
import type { GroupRow } from '../../../shared/api';
import { describeError } from '../api/client';
import { formatCount, formatTime, plural, zoneLabel } from '../display';
import type { GroupByChoice, GroupSort, GroupSortColumn, RollUp } from '../explore/groups';
import {
  GROUP_BY_CHOICES,
  choiceOf,
  groupsCsv,
  rollUpOf,
  rollUpsOf,
  sortGroups,
  specOf,
} from '../explore/groups';
import { useClient, useExplore, useSettings, useViewer } from '../store/context';
import { BarChart } from './BarChart';

const NO_VALUE = '(no value)';

function Sparkline({ counts }: { counts: readonly number[] }) {
  return <BarChart counts={counts} width={60} height={16} gap={0.5} className="sparkline" />;
}

type Column = GroupSortColumn | 'trend';
const COLUMNS: readonly { id: Column; title: string; numeric: boolean }[] = [
  { id: 'key', title: 'Key', numeric: false },
  { id: 'count', title: 'Rows', numeric: true },
  { id: 'share', title: 'Share', numeric: true },
  { id: 'trend', title: 'Over time', numeric: false },
  { id: 'first', title: 'First', numeric: false },
  { id: 'last', title: 'Last', numeric: false },
];

export function GroupsPanel() {
  const client = useClient();
  const notify = useViewer((s) => s.notify);
  const zone = useSettings((s) => s.settings.displayTimeZone);
  const spec = useExplore((s) => s.groupSpec);
  const groups = useExplore((s) => s.groups);
  const error = useExplore((s) => s.groupsError);
  const loading = useExplore((s) => s.groupsLoading);
  const selected = useExplore((s) => s.selectedGroups);
  const setGroupSpec = useExplore((s) => s.setGroupSpec);
  const selectGroup = useExplore((s) => s.selectGroup);
  const clearGroups = useExplore((s) => s.clearGroups);
  const [choice, setChoice] = useState<GroupByChoice>(choiceOf(spec.by));
  const [field, setField] = useState(spec.by.startsWith('field:') ? spec.by.slice(6) : '');
  const [sort, setSort] = useState<GroupSort>({ column: 'count', descending: true });
  const [showHidden, setShowHidden] = useState(false);
  const rollUp = rollUpOf(spec);
  const rows = useMemo(() => sortGroups(groups?.groups ?? [], sort), [groups, sort]);
  const choiceLabel = GROUP_BY_CHOICES.find((c) => c.id === choice)?.label ?? 'Key';
  const keyTitle = choice === 'field' ? field.trim() || 'Field' : choiceLabel;

  const choose = (next: GroupByChoice, nextRollUp: RollUp, nextField: string): void => {
    const s = specOf(next, nextRollUp, nextField);
    if (s !== null) setGroupSpec(s);
  };
  const sortBy = (column: GroupSortColumn): void =>
    setSort((s) =>
      s.column === column
        ? { column, descending: !s.descending }
        : { column, descending: column !== 'key' },
    );
  const copyCsv = async (): Promise<void> => {
    try {
      await client.copyText(groupsCsv(keyTitle, rows, showHidden));
      notify('info', {
        code: 'groups.copied',
        message: `Copied ${plural(rows.length, 'group')} as CSV.`,
      });
    } catch (e) {
      notify('error', describeError(e));
    }
  };
  const cellOf = (row: GroupRow, column: GroupSortColumn): string => {
    switch (column) {
      case 'key':
        return row.key ?? NO_VALUE;
      case 'count':
        return formatCount(row.count);
      case 'share':
        return `${(row.share * 100).toFixed(row.share < 0.1 ? 2 : 1)} %`;
      case 'first':
        return formatTime(row.first, zone).slice(5, 19);
      case 'last':
        return formatTime(row.last, zone).slice(5, 19);
      case 'hidden':
        return formatCount(row.hidden);
    }
  };
  const columns = showHidden
    ? [...COLUMNS, { id: 'hidden' as const, title: 'Hidden', numeric: true }]
    : COLUMNS;

  return (
    <aside className="groups-panel" aria-label="Groups" data-testid="groups-panel">
      <div className="groups-controls">
        <label>
          Group by{' '}
          <select
            aria-label="Group by"
            value={choice}
            onChange={(e) => {
              const next = e.target.value as GroupByChoice;
              setChoice(next);
              choose(next, 'none', field);
            }}
          >
            {GROUP_BY_CHOICES.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {choice === 'field' && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              choose('field', 'none', field);
            }}
          >
            <input
              aria-label="Field name"
              placeholder="field name, e.g. cs-method"
              value={field}
              spellCheck={false}
              onChange={(e) => setField(e.target.value)}
            />
            <button type="submit">Group</button>
          </form>
        )}
        {rollUpsOf(choice).length > 0 && (
          <label>
            Roll up{' '}
            <select
              aria-label="Roll up"
              value={rollUp}
              onChange={(e) => choose(choice, e.target.value as RollUp, field)}
            >
              {rollUpsOf(choice).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="groups-controls">
        <label className="toggle">
          <input
            type="checkbox"
            checked={showHidden}
            onChange={(e) => setShowHidden(e.target.checked)}
          />{' '}
          Hidden counts
        </label>
        <button onClick={() => void copyCsv()} disabled={rows.length === 0}>
          Copy as CSV
        </button>
        <button onClick={clearGroups} disabled={selected.length === 0}>
          Clear selection
        </button>
      </div>
      <p className="panel-summary" data-testid="groups-summary" aria-live="polite">
        {error !== null ? (
          <span className="error-text">{error.message}</span>
        ) : groups === null ? (
          loading ? (
            'Counting…'
          ) : (
            'No groups yet.'
          )
        ) : (
          <>
            {plural(groups.totalGroups, 'group')}
            {groups.totalGroups > groups.groups.length &&
              ` (top ${formatCount(groups.groups.length)} shown)`}{' '}
            over {plural(groups.visible, 'row')}
            {selected.length > 0 && <> · {formatCount(selected.length)} selected</>}
            {loading && ' · counting…'}
          </>
        )}
      </p>
      <div className="groups-table-host">
        <table
          className="groups-table"
          data-testid="groups-table"
          aria-label={`Groups by ${keyTitle}`}
        >
          <thead>
            <tr>
              {columns.map((c) => {
                const id = c.id;
                if (id === 'trend') return <th key={id} aria-label="Rows over time" />;
                return (
                  <th
                    key={id}
                    className={c.numeric ? 'num' : ''}
                    aria-sort={
                      sort.column === id ? (sort.descending ? 'descending' : 'ascending') : 'none'
                    }
                  >
                    <button className="sort-button" onClick={() => sortBy(id)}>
                      {id === 'key' ? keyTitle : c.title}
                      {sort.column === id ? (sort.descending ? ' ▾' : ' ▴') : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const isSelected = selected.includes(row.key);
              return (
                <tr
                  key={row.key ?? '\u0000'}
                  className={isSelected ? 'selected' : ''}
                  aria-selected={isSelected}
                  tabIndex={0}
                  data-testid="group-row"
                  title={
                    isSelected
                      ? 'Click to show all groups again; Ctrl+click to leave this one out'
                      : 'Click to show only this group; Ctrl+click to add it'
                  }
                  onClick={(e) => selectGroup(row.key, e.ctrlKey || e.metaKey)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      selectGroup(row.key, e.ctrlKey || e.metaKey);
                    }
                  }}
                >
                  {columns.map((c) => {
                    const id = c.id;
                    if (id === 'trend')
                      return (
                        <td key={id}>
                          <Sparkline counts={row.sparkline} />
                        </td>
                      );
                    return (
                      <td
                        key={id}
                        className={`${c.numeric ? 'num' : ''} ${id === 'key' && row.key === null ? 'quiet' : ''}`}
                        title={
                          id === 'key'
                            ? (row.key ?? 'Rows without a value')
                            : id === 'first' || id === 'last'
                              ? `${formatTime(id === 'first' ? row.first : row.last, zone)} ${zoneLabel(zone)}`
                              : undefined
                        }
                      >
                        {cellOf(row, id)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
        {groups !== null && rows.length === 0 && (
          <p className="quiet pad-small">No rows in this view have a value to group by.</p>
        )}
      </div>
    </aside>
  );
}
