/**
 * The filter set beside the grid: its rules with their switches and what each hides, the master
 * switch, "show only hidden", and the file commands (new, open, save, save as, export), undo and
 * redo. Edits go through the filters store, which refuses any set that could not be saved.
 */
import { useState } from 'react';
import type { FilterRule } from '../../../shared/filters/model';
import type { FilterMode, FilterSummary } from '../../../shared/api';
import { formatCount, plural } from '../display';
import type { FilterSetFileDeps } from '../explore/filter-set-file';
import { openFilterSet, saveFilterSet } from '../explore/filter-set-file';
import { useClient, useExplore, useStores, useViewer } from '../store/context';
import { modeOf } from '../store/explore-store';
import { useFilters, useFiltersStore } from '../store/filters-context';
import { RuleEditor } from './RuleEditor';

const CONDITION_TITLES: Record<string, string> = {
  srcIp: 'source IP',
  certHost: 'certificate host',
  host: 'host',
  tag: 'tag',
  code: 'code',
  source: 'source',
  level: 'level',
  text: 'message contains',
  regex: 'message matches',
  field: 'field',
};

/** "source IP 172.16.1.0/24, 10.9.8.7 · tag agent-socket-error" */
export function describeConditions(rule: FilterRule): string {
  return Object.entries(rule.when)
    .map(([key, values]) => {
      const list = (values as readonly unknown[]).map((v) =>
        typeof v === 'string'
          ? v
          : `${(v as { name: string }).name} ${(v as { op: string }).op} ${(v as { value: string }).value}`,
      );
      return `${CONDITION_TITLES[key] ?? key} ${list.join(', ')}`;
    })
    .join(' · ');
}

function RuleCounts({ rule, summary }: { rule: FilterRule; summary: FilterSummary | null }) {
  const counts = summary?.rules.find((r) => r.id === rule.id);
  if (counts === undefined) return null;
  if (rule.action === 'block')
    return (
      <span className="rule-counts" data-testid="rule-counts">
        {rule.enabled
          ? `marks ${plural(counts.marked, 'row')}`
          : `would mark ${plural(counts.matches, 'row')}`}
      </span>
    );
  if (!rule.enabled)
    return (
      <span className="rule-counts quiet" data-testid="rule-counts">
        off: would hide {plural(counts.matches, 'row')}
      </span>
    );
  return (
    <span className="rule-counts" data-testid="rule-counts">
      hides {plural(counts.hidden, 'row')}
      {counts.hiddenOnly !== counts.hidden && (
        <>; {formatCount(counts.hiddenOnly)} only by this rule</>
      )}
      {counts.matches !== counts.hidden && counts.hidden > 0 && (
        <span className="quiet"> (matches {formatCount(counts.matches)})</span>
      )}
    </span>
  );
}

/** "9,120 of 10,000 rows shown · 880 hidden", in the words of the mode. */
function SummaryLine({ summary, mode }: { summary: FilterSummary; mode: FilterMode }) {
  const loading = summary.complete ? '' : ' so far';
  if (mode === 'all')
    return (
      <>
        Filters off: all {plural(summary.total, 'record')} shown{loading}
        {summary.hidden > 0 && <> ({formatCount(summary.hidden)} would be hidden)</>}
      </>
    );
  if (mode === 'hidden')
    return (
      <>
        Showing only the {plural(summary.hidden, 'hidden row')} of {formatCount(summary.total)}
        {loading}
      </>
    );
  return (
    <>
      {formatCount(summary.visible)} of {plural(summary.total, 'record')} shown{loading},{' '}
      {formatCount(summary.hidden)} hidden
      {summary.marked > 0 && <>, {formatCount(summary.marked)} marked</>}
    </>
  );
}

/** Rows left after the group selection, the time window and files switched off, when fewer. */
function SelectionLine({ summary, mode }: { summary: FilterSummary; mode: FilterMode }) {
  const before =
    mode === 'all' ? summary.total : mode === 'hidden' ? summary.hidden : summary.visible;
  if (summary.rows === before) return null;
  return (
    <p className="panel-summary" data-testid="selection-summary">
      {plural(summary.rows, 'row')} in the selected groups, time window and files
    </p>
  );
}

export function FiltersPanel({ pickFilterSet }: { pickFilterSet: () => void }) {
  const client = useClient();
  const stores = useStores();
  const store = useFiltersStore();
  const summary = useExplore((s) => s.summary);
  const viewError = useExplore((s) => s.viewError);
  const notify = useViewer((s) => s.notify);
  const set = useFilters((s) => s.set);
  const dirty = useFilters((s) => s.dirty);
  const fileName = useFilters((s) => s.fileName);
  const active = useFilters((s) => s.active);
  const showOnlyHidden = useFilters((s) => s.showOnlyHidden);
  const canUndo = useFilters((s) => s.past.length > 0);
  const canRedo = useFilters((s) => s.future.length > 0);
  const [editing, setEditing] = useState<FilterRule | 'new' | null>(null);
  const files: FilterSetFileDeps = { client, filters: stores.filters, notify, pickFilterSet };
  const mode = modeOf({ active, showOnlyHidden });

  return (
    <aside className="filters-panel" aria-label="Filters" data-testid="filters-panel">
      <div className="panel-header">
        <span className="panel-title" title={fileName ?? 'Not saved yet'}>
          {set.name}
          {dirty && (
            <span className="unsaved" aria-label="unsaved changes">
              {' '}
              •
            </span>
          )}
        </span>
      </div>
      <div className="panel-commands" role="toolbar" aria-label="Filter set">
        <button onClick={() => store.getState().newSet()} title="New filter set">
          New
        </button>
        <button onClick={() => void openFilterSet(files)} title="Open a filter set (Ctrl+Shift+O)">
          Open…
        </button>
        <button onClick={() => void saveFilterSet(files, false)} title="Save (Ctrl+S)">
          Save
        </button>
        <button
          onClick={() => void saveFilterSet(files, true)}
          title="Save as a new file (Ctrl+Shift+S)"
        >
          Save as…
        </button>
        <button
          onClick={() => store.getState().undo()}
          disabled={!canUndo}
          title="Undo (Ctrl+Z)"
          aria-label="Undo"
        >
          ↶
        </button>
        <button
          onClick={() => store.getState().redo()}
          disabled={!canRedo}
          title="Redo (Ctrl+Shift+Z)"
          aria-label="Redo"
        >
          ↷
        </button>
      </div>
      <div className="panel-switches">
        <label className="toggle">
          <input
            type="checkbox"
            checked={active}
            onChange={(e) => store.getState().setActive(e.target.checked)}
          />{' '}
          Filters on
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={showOnlyHidden}
            disabled={!active}
            onChange={(e) => store.getState().setShowOnlyHidden(e.target.checked)}
          />{' '}
          Show only hidden
        </label>
      </div>
      {summary !== null && (
        <p className="panel-summary" data-testid="filter-summary">
          <SummaryLine summary={summary} mode={mode} />
        </p>
      )}
      {summary !== null && <SelectionLine summary={summary} mode={mode} />}
      {viewError !== null && (
        <p className="panel-message error-text" role="alert">
          {viewError.message}
          {viewError.hint && <span className="hint"> {viewError.hint}</span>}
        </p>
      )}
      <ol className="rules">
        {set.rules.map((rule, i) => (
          <li
            key={rule.id}
            className={`rule action-${rule.action} ${rule.enabled ? '' : 'disabled'}`}
            data-testid={`rule-${rule.id}`}
          >
            <div className="rule-line">
              <input
                type="checkbox"
                checked={rule.enabled}
                aria-label={`Rule ${rule.id} on`}
                onChange={(e) =>
                  store
                    .getState()
                    .change([{ type: 'set-rule-enabled', id: rule.id, enabled: e.target.checked }])
                }
              />
              <span className={`action-badge ${rule.action}`}>{rule.action}</span>
              <span className="rule-id">{rule.id}</span>
              <span className="rule-buttons">
                <button
                  className="icon-button"
                  aria-label={`Move ${rule.id} up`}
                  disabled={i === 0}
                  onClick={() =>
                    store.getState().change([{ type: 'move-rule', id: rule.id, toIndex: i - 1 }])
                  }
                >
                  ↑
                </button>
                <button
                  className="icon-button"
                  aria-label={`Move ${rule.id} down`}
                  disabled={i === set.rules.length - 1}
                  onClick={() =>
                    store.getState().change([{ type: 'move-rule', id: rule.id, toIndex: i + 1 }])
                  }
                >
                  ↓
                </button>
                <button
                  className="icon-button"
                  aria-label={`Edit ${rule.id}`}
                  onClick={() => setEditing(rule)}
                >
                  ✎
                </button>
                <button
                  className="icon-button"
                  aria-label={`Delete ${rule.id}`}
                  onClick={() => store.getState().change([{ type: 'remove-rule', id: rule.id }])}
                >
                  ×
                </button>
              </span>
            </div>
            <div className="rule-when">{describeConditions(rule)}</div>
            {rule.comment && <div className="rule-comment quiet">{rule.comment}</div>}
            <RuleCounts rule={rule} summary={summary} />
          </li>
        ))}
      </ol>
      {set.rules.length === 0 && (
        <p className="quiet pad-small">
          No rules yet. Add one here, or right-click a value in the grid to hide everything like it.
        </p>
      )}
      <button className="add-rule" onClick={() => setEditing('new')}>
        Add rule…
      </button>
      {editing !== null && (
        <RuleEditor rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </aside>
  );
}
