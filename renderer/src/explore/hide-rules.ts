/**
 * The rules a right-click on a grid cell offers: "hide rows with source IP 172.16.1.5", "…this
 * subnet /24", "…this certificate host", "…this host", "…this tag", "…this code". Pure, so the
 * choices and the rules they add are tested without a browser; the filter set's own validation
 * still decides whether a rule is acceptable when it is added.
 */
import type { RowData } from '../../../shared/api';
import type { ConditionKey, FilterRule, FilterSet } from '../../../shared/filters/model';
import { parseIpAddress } from '../../../shared/net/address';
import { formatCidr, maskedCidr } from '../../../shared/net/range';

export interface HideChoice {
  /** As the menu shows it. */
  readonly label: string;
  /** The grid column the value comes from (the clicked column's choices come first). */
  readonly column: string;
  readonly key: ConditionKey;
  readonly value: string;
  /** Base of the new rule's id (made unique in the set when it is added). */
  readonly idBase: string;
}

/** A rule id from any text: the characters ids allow, at most 64 of them. */
function idPart(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|-+$/g, '');
}

export function hideChoices(row: RowData, clickedColumn: string | null): HideChoice[] {
  const choices: HideChoice[] = [];
  const add = (column: string, key: ConditionKey, value: string, label: string, id: string) =>
    choices.push({ label, column, key, value, idBase: `hide-${id}` });

  if (row.srcIp !== null && row.srcIp !== '') {
    add('srcIp', 'srcIp', row.srcIp, `Hide rows with source IP ${row.srcIp}`, idPart(row.srcIp));
    const address = parseIpAddress(row.srcIp);
    if (address.ok) {
      const prefix = address.value.family === 4 ? 24 : 64;
      const network = formatCidr(maskedCidr(address.value, prefix));
      add('srcIp', 'srcIp', network, `Hide rows from this subnet ${network}`, idPart(network));
    }
  }
  if (row.certHost !== null && row.certHost !== '')
    add(
      'certHost',
      'certHost',
      row.certHost,
      `Hide rows with this certificate host ${row.certHost}`,
      `cert-${idPart(row.certHost)}`,
    );
  if (row.host !== null && row.host !== '')
    add('host', 'host', row.host, `Hide rows with this host ${row.host}`, idPart(row.host));
  for (const tag of row.tags)
    add('marks', 'tag', tag, `Hide rows with this tag ${tag}`, `tag-${idPart(tag)}`);
  if (row.code !== null && row.code !== '')
    add(
      'code',
      'code',
      row.code,
      `Hide rows with this code ${row.code}`,
      `code-${idPart(row.code)}`,
    );
  if (row.source !== null && row.source !== '')
    add(
      'source',
      'source',
      row.source,
      `Hide rows from this source ${row.source}`,
      `source-${idPart(row.source)}`,
    );
  if (row.level !== null && row.level !== '')
    add(
      'level',
      'level',
      row.level,
      `Hide rows with level ${row.level}`,
      `level-${idPart(row.level)}`,
    );

  // The clicked column's choices first, the rest of the row after them, each in its own order.
  const clicked = choices.filter((c) => c.column === clickedColumn);
  return [...clicked, ...choices.filter((c) => c.column !== clickedColumn)];
}

/** An id not yet in the set: `base`, `base-2`, `base-3`, … (at most 64 characters). */
export function uniqueRuleId(base: string, set: FilterSet): string {
  const taken = new Set(set.rules.map((r) => r.id));
  const stem = (base.replace(/^[^A-Za-z0-9]+/, '') || 'rule').slice(0, 56);
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

/** The rule a choice adds to the set. */
export function ruleOf(choice: HideChoice, set: FilterSet): FilterRule {
  return {
    id: uniqueRuleId(choice.idBase, set),
    enabled: true,
    action: 'hide',
    when: { [choice.key]: [choice.value] },
  };
}
