/**
 * The group table's logic without React: the choices of "Group by", sorting the rows the Session
 * returned, and "Copy as CSV". Keys come from logs, so CSV cells are quoted and never start with
 * a character a spreadsheet would run as a formula.
 */
import type { GroupBy, GroupKeySpec, GroupRow } from '../../../shared/api';

export type GroupByChoice =
  'src-ip' | 'cert-host' | 'host' | 'code' | 'tag' | 'source' | 'level' | 'field';

export const GROUP_BY_CHOICES: readonly { readonly id: GroupByChoice; readonly label: string }[] = [
  { id: 'src-ip', label: 'Source IP' },
  { id: 'cert-host', label: 'Certificate host' },
  { id: 'host', label: 'Host' },
  { id: 'code', label: 'Code / event id' },
  { id: 'tag', label: 'Tag' },
  { id: 'source', label: 'Source' },
  { id: 'level', label: 'Level' },
  { id: 'field', label: 'Field…' },
];

export type RollUp = 'none' | 'ipv4-24' | 'ipv4-16' | 'domain';

export function choiceOf(by: GroupBy): GroupByChoice {
  return by.startsWith('field:') ? 'field' : (by as GroupByChoice);
}

/** The roll-ups a choice allows. */
export function rollUpsOf(choice: GroupByChoice): readonly { id: RollUp; label: string }[] {
  if (choice === 'src-ip')
    return [
      { id: 'none', label: 'Address' },
      { id: 'ipv4-24', label: '/24 (IPv6 /64)' },
      { id: 'ipv4-16', label: '/16 (IPv6 /48)' },
    ];
  if (choice === 'host' || choice === 'cert-host')
    return [
      { id: 'none', label: 'Full name' },
      { id: 'domain', label: 'Registered domain' },
    ];
  return [];
}

export function rollUpOf(spec: GroupKeySpec): RollUp {
  if (spec.ipv4Prefix === 24) return 'ipv4-24';
  if (spec.ipv4Prefix === 16) return 'ipv4-16';
  if (spec.registeredDomain === true) return 'domain';
  return 'none';
}

/** The spec a choice, roll-up and field name make; null while a field has no name. */
export function specOf(choice: GroupByChoice, rollUp: RollUp, field: string): GroupKeySpec | null {
  if (choice === 'field') {
    const name = field.trim();
    return name === '' ? null : { by: `field:${name}` };
  }
  const by: GroupBy = choice;
  if (choice === 'src-ip' && rollUp === 'ipv4-24') return { by, ipv4Prefix: 24, ipv6Prefix: 64 };
  if (choice === 'src-ip' && rollUp === 'ipv4-16') return { by, ipv4Prefix: 16, ipv6Prefix: 48 };
  if ((choice === 'host' || choice === 'cert-host') && rollUp === 'domain')
    return { by, registeredDomain: true };
  return { by };
}

export type GroupSortColumn = 'key' | 'count' | 'share' | 'first' | 'last' | 'hidden';

export interface GroupSort {
  readonly column: GroupSortColumn;
  readonly descending: boolean;
}

/** Null keys (no value) sort last either way, like records without a time. */
export function sortGroups(rows: readonly GroupRow[], sort: GroupSort): GroupRow[] {
  const sign = sort.descending ? -1 : 1;
  const value = (row: GroupRow): number | string | null => {
    switch (sort.column) {
      case 'key':
        return row.key;
      case 'count':
        return row.count;
      case 'share':
        return row.share;
      case 'first':
        return row.first;
      case 'last':
        return row.last;
      case 'hidden':
        return row.hidden;
    }
  };
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order =
      typeof x === 'string' && typeof y === 'string'
        ? x.localeCompare(y, 'en', { numeric: true })
        : (x as number) - (y as number);
    // Ties keep the Session's order (count, then key).
    return order * sign;
  });
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The table as CSV (times as ISO-8601 UTC), one group a line. */
export function groupsCsv(
  keyTitle: string,
  rows: readonly GroupRow[],
  withHidden: boolean,
): string {
  const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());
  const head = [keyTitle, 'count', 'share', 'first', 'last', ...(withHidden ? ['hidden'] : [])];
  const lines = rows.map((r) =>
    [
      csvCell(r.key ?? ''),
      String(r.count),
      r.share.toFixed(6),
      iso(r.first),
      iso(r.last),
      ...(withHidden ? [String(r.hidden)] : []),
    ].join(','),
  );
  return [head.map(csvCell).join(','), ...lines].join('\r\n') + '\r\n';
}
