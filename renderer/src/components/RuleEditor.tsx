/**
 * Adds or edits one rule. Each condition row is one value of one key; rows with the same key are
 * alternatives (ORed) and different keys must all hold (ANDed), exactly as the filter-set file
 * says. The set's own validation decides what is acceptable and its messages are shown as they are.
 */
import { useState } from 'react';
import type {
  ConditionKey,
  FieldOp,
  FilterRule,
  RuleAction,
  RuleConditions,
} from '../../../shared/filters/model';
import { CONDITION_KEYS, FIELD_OPS, RULE_ACTIONS } from '../../../shared/filters/model';
import type { UserError } from '../../../shared/result';
import { useFiltersStore } from '../store/filters-context';

interface Row {
  key: ConditionKey;
  value: string;
  fieldName: string;
  fieldOp: FieldOp;
}

const KEY_LABELS: Record<ConditionKey, string> = {
  srcIp: 'Source IP (address, CIDR or a-b)',
  certHost: 'Certificate host (name, *.domain, .domain)',
  host: 'Host (name, *.domain, .domain)',
  tag: 'Tag',
  code: 'Code / event id',
  source: 'Source',
  level: 'Level',
  text: 'Message contains',
  regex: 'Message matches regex',
  field: 'Field',
};

function rowsOf(rule: FilterRule | null): Row[] {
  if (rule === null) return [{ key: 'srcIp', value: '', fieldName: '', fieldOp: 'equals' }];
  const rows: Row[] = [];
  for (const key of CONDITION_KEYS) {
    const values = rule.when[key];
    if (values === undefined) continue;
    for (const v of values)
      rows.push(
        typeof v === 'string'
          ? { key, value: v, fieldName: '', fieldOp: 'equals' }
          : { key, value: v.value, fieldName: v.name, fieldOp: v.op },
      );
  }
  return rows;
}

function whenOf(rows: readonly Row[]): RuleConditions {
  const when: Record<string, unknown[]> = {};
  for (const row of rows) {
    if (row.key !== 'field' && row.value.trim() === '') continue;
    const value =
      row.key === 'field'
        ? { name: row.fieldName.trim(), op: row.fieldOp, value: row.value }
        : row.value.trim();
    (when[row.key] ??= []).push(value);
  }
  return when;
}

export function RuleEditor({ rule, onClose }: { rule: FilterRule | null; onClose: () => void }) {
  const store = useFiltersStore();
  const [id, setId] = useState(rule?.id ?? '');
  const [action, setAction] = useState<RuleAction>(rule?.action ?? 'hide');
  const [comment, setComment] = useState(rule?.comment ?? '');
  const [rows, setRows] = useState<Row[]>(rowsOf(rule));
  const [problems, setProblems] = useState<readonly UserError[]>([]);

  const update = (i: number, patch: Partial<Row>): void =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (): void => {
    const next: FilterRule = {
      id: id.trim(),
      enabled: rule?.enabled ?? true,
      action,
      when: whenOf(rows),
      ...(comment.trim() === '' ? {} : { comment: comment.trim() }),
    };
    const result = store
      .getState()
      .change(
        rule === null
          ? [{ type: 'add-rule', rule: next }]
          : [{ type: 'update-rule', id: rule.id, patch: next }],
      );
    if (result.ok) onClose();
    else setProblems(result.error);
  };

  return (
    <div className="dialog-backdrop" onMouseDown={onClose}>
      <form
        className="dialog rule-editor"
        role="dialog"
        aria-label={rule === null ? 'Add rule' : `Edit rule ${rule.id}`}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <header className="dialog-title">
          {rule === null ? 'Add rule' : `Edit rule ${rule.id}`}
        </header>
        <div className="form-grid">
          <label>
            Id
            <input
              value={id}
              onChange={(e) => setId(e.target.value)}
              placeholder="lb-keepalive"
              autoFocus
              spellCheck={false}
            />
          </label>
          <label>
            Action
            <select value={action} onChange={(e) => setAction(e.target.value as RuleAction)}>
              {RULE_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a === 'hide'
                    ? 'hide (noise: do not log)'
                    : a === 'trust'
                      ? 'trust (certificate exception)'
                      : 'block (mark; deny)'}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="conditions">
          <legend>
            Conditions: every kind must hold; several values of one kind are alternatives
          </legend>
          {rows.map((row, i) => (
            <div className="condition-row" key={i}>
              <select
                aria-label="Condition"
                value={row.key}
                onChange={(e) => update(i, { key: e.target.value as ConditionKey })}
              >
                {CONDITION_KEYS.map((k) => (
                  <option key={k} value={k}>
                    {KEY_LABELS[k]}
                  </option>
                ))}
              </select>
              {row.key === 'field' && (
                <>
                  <input
                    aria-label="Field name"
                    placeholder="field name"
                    value={row.fieldName}
                    onChange={(e) => update(i, { fieldName: e.target.value })}
                    spellCheck={false}
                  />
                  <select
                    aria-label="Comparison"
                    value={row.fieldOp}
                    onChange={(e) => update(i, { fieldOp: e.target.value as FieldOp })}
                  >
                    {FIELD_OPS.map((op) => (
                      <option key={op} value={op}>
                        {op}
                      </option>
                    ))}
                  </select>
                </>
              )}
              <input
                aria-label="Value"
                value={row.value}
                onChange={(e) => update(i, { value: e.target.value })}
                spellCheck={false}
              />
              <button
                type="button"
                className="icon-button"
                aria-label="Remove condition"
                onClick={() => setRows(rows.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() =>
              setRows([
                ...rows,
                { key: rows.at(-1)?.key ?? 'srcIp', value: '', fieldName: '', fieldOp: 'equals' },
              ])
            }
          >
            Add condition
          </button>
        </fieldset>
        <label>
          Comment
          <input
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="Cisco CSS keepalive, every 5 s"
          />
        </label>
        {problems.length > 0 && (
          <ul className="export-problems" role="alert">
            {problems.map((p, i) => (
              <li key={i}>
                {p.message}
                {p.hint && <span className="hint"> {p.hint}</span>}
              </li>
            ))}
          </ul>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit">{rule === null ? 'Add' : 'Save'}</button>
        </div>
      </form>
    </div>
  );
}
