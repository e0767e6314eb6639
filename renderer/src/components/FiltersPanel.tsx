/**
 * The filter set beside the grid: its rules with their switches and what each hides, the master
 * switch, "show only hidden", and the file commands (new, open, save, save as, export), undo and
 * redo. Edits go through the filters store, which refuses any set that could not be saved.
 */
import { useRef, useState } from 'react';
import type { FilterRule } from '../../../shared/filters/model';
import type { FilterSummary } from '../../../shared/api';
import { describeError } from '../api/client';
import { formatCount } from '../display';
import { useClient } from '../store/context';
import { useFilters, useFiltersStore } from '../store/filters-context';
import { RuleEditor } from './RuleEditor';

/** "srcIp 172.16.1.0/24, 10.9.8.7 · tag agent-socket-error" */
export function describeConditions(rule: FilterRule): string {
  return Object.entries(rule.when)
    .map(([key, values]) => {
      const list = (values as readonly unknown[]).map((v) =>
        typeof v === 'string'
          ? v
          : `${(v as { name: string }).name} ${(v as { op: string }).op} ${(v as { value: string }).value}`,
      );
      return `${key} ${list.join(', ')}`;
    })
    .join(' · ');
}

function RuleCounts({ rule, summary }: { rule: FilterRule; summary: FilterSummary | null }) {
  const counts = summary?.rules.find((r) => r.id === rule.id);
  if (counts === undefined) return null;
  if (rule.action === 'block')
    return <span className="rule-counts">marks {formatCount(counts.matches)} rows</span>;
  if (!rule.enabled)
    return <span className="rule-counts quiet">would hide {formatCount(counts.matches)} rows</span>;
  return (
    <span className="rule-counts">
      hides {formatCount(counts.hidden)} rows
      {counts.hiddenOnly !== counts.hidden && (
        <>; {formatCount(counts.hiddenOnly)} only by this rule</>
      )}
    </span>
  );
}

export function FiltersPanel({ summary }: { summary: FilterSummary | null }) {
  const client = useClient();
  const store = useFiltersStore();
  const set = useFilters((s) => s.set);
  const dirty = useFilters((s) => s.dirty);
  const fileName = useFilters((s) => s.fileName);
  const active = useFilters((s) => s.active);
  const showOnlyHidden = useFilters((s) => s.showOnlyHidden);
  const canUndo = useFilters((s) => s.past.length > 0);
  const canRedo = useFilters((s) => s.future.length > 0);
  const [editing, setEditing] = useState<FilterRule | 'new' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const open = async (): Promise<void> => {
    if (client.host === 'bridge') {
      input.current?.click();
      return;
    }
    try {
      const file = await client.openText('filter-set');
      if (file === null) return;
      const loaded = store.getState().load(file.text, file);
      setMessage(loaded.ok ? null : loaded.error.map((e) => e.message).join(' '));
    } catch (error) {
      setMessage(describeError(error).message);
    }
  };
  const save = async (asNew: boolean): Promise<void> => {
    const state = store.getState();
    try {
      const saved = await client.saveText({
        kind: 'filter-set',
        suggestedName:
          state.fileName ??
          `${state.set.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.logsieve-filters.json`,
        text: state.serialized(),
        ...(asNew || state.handle === null ? {} : { handle: state.handle }),
      });
      if (saved !== null) {
        state.saved(saved);
        setMessage(`Saved as ${saved.name}.`);
      }
    } catch (error) {
      setMessage(describeError(error).message);
    }
  };
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
        <button onClick={() => void open()} title="Open a filter set">
          Open…
        </button>
        <button onClick={() => void save(false)} title="Save (Ctrl+S)">
          Save
        </button>
        <button onClick={() => void save(true)} title="Save as a new file">
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
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="filter-set-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file === undefined) return;
            void file.text().then((text) => {
              const loaded = store.getState().load(text, { name: file.name, handle: null });
              setMessage(loaded.ok ? null : loaded.error.map((x) => x.message).join(' '));
            });
          }}
        />
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
          {formatCount(summary.visible)} of {formatCount(summary.total)} rows shown,{' '}
          {formatCount(summary.hidden)} hidden
        </p>
      )}
      {message !== null && (
        <p className="panel-message" role="status">
          {message}
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
