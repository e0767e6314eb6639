/** The pure parts of the working surface: hide choices, group sorting and CSV, highlights. */
import { describe, expect, it } from 'vitest';
import type { GroupRow, RowData } from '../../shared/api';
import { applyFilterSetChanges } from '../../shared/filters/changes';
import type { RecordIndex, RowIndex } from '../../shared/ids';
import { hideChoices, ruleOf, uniqueRuleId } from '../../renderer/src/explore/hide-rules';
import { groupsCsv, sortGroups, specOf } from '../../renderer/src/explore/groups';
import { highlightPattern, splitMatches } from '../../renderer/src/explore/highlight';
import { suggestedFileName } from '../../renderer/src/explore/filter-set-file';
import { emptyFilterSet } from '../../renderer/src/store/filters-store';

const ROW: RowData = {
  row: 0 as RowIndex,
  record: 0 as RecordIndex,
  line: 1,
  offset: 0,
  time: 0,
  srcIp: '172.16.1.5',
  level: 'error',
  code: '503',
  source: null,
  host: 'portal.example.com',
  certHost: 'gw.example.co.uk',
  message: 'x',
  raw: 'x',
  flags: [],
  tags: ['lb-keepalive'],
};

describe('hide choices', () => {
  it('offers the clicked column first, then the rest of the row', () => {
    const labels = hideChoices(ROW, 'certHost').map((c) => c.label);
    expect(labels[0]).toBe('Hide rows with this certificate host gw.example.co.uk');
    expect(labels).toContain('Hide rows with source IP 172.16.1.5');
    expect(labels).toContain('Hide rows from this subnet 172.16.1.0/24');
    expect(labels).toContain('Hide rows with this tag lb-keepalive');
    expect(labels).toContain('Hide rows with this code 503');
    expect(labels).toContain('Hide rows with this host portal.example.com');
    expect(labels.some((l) => l.includes('this source'))).toBe(false);
  });

  it('adds rules the filter set accepts, with unique ids', () => {
    let set = emptyFilterSet();
    for (const choice of hideChoices(ROW, 'srcIp')) {
      const result = applyFilterSetChanges(set, [{ type: 'add-rule', rule: ruleOf(choice, set) }]);
      expect(result.ok, choice.label).toBe(true);
      if (result.ok) set = result.value;
    }
    const again = ruleOf(hideChoices(ROW, 'srcIp')[0]!, set);
    expect(again.id).toBe('hide-172.16.1.5-2');
    expect(again.when).toEqual({ srcIp: ['172.16.1.5'] });
    expect(set.rules.find((r) => r.when.srcIp?.[0] === '172.16.1.0/24')?.id).toBe(
      'hide-172.16.1.0-24',
    );
  });

  it('uses /64 for IPv6 and makes ids from any value', () => {
    const v6 = hideChoices({ ...ROW, srcIp: '2001:db8:1:2::7' }, 'srcIp').map((c) => c.value);
    expect(v6).toContain('2001:db8:1:2::/64');
    expect(uniqueRuleId('---', emptyFilterSet())).toBe('rule');
  });
});

describe('groups', () => {
  const row = (key: string | null, count: number, first: number | null): GroupRow => ({
    key,
    count,
    share: count / 10,
    first,
    last: first,
    hidden: 1,
    sparkline: [],
  });
  const rows = [row('b', 2, 5), row(null, 5, null), row('a10', 3, 1), row('a9', 3, 2)];

  it('sorts by any column, no value last', () => {
    expect(sortGroups(rows, { column: 'key', descending: false }).map((r) => r.key)).toEqual([
      'a9',
      'a10',
      'b',
      null,
    ]);
    expect(sortGroups(rows, { column: 'count', descending: true }).map((r) => r.count)).toEqual([
      5, 3, 3, 2,
    ]);
    expect(sortGroups(rows, { column: 'first', descending: true }).map((r) => r.key)).toEqual([
      'b',
      'a9',
      'a10',
      null,
    ]);
  });

  it('copies as CSV, defusing formulas', () => {
    const csv = groupsCsv('Cert host', [row('=cmd()', 1, 0), row('a,b', 2, null)], true);
    expect(csv.split('\r\n')).toEqual([
      'Cert host,count,share,first,last,hidden',
      `"'=cmd()",1,0.100000,1970-01-01T00:00:00.000Z,1970-01-01T00:00:00.000Z,1`,
      '"a,b",2,0.200000,,,1',
      '',
    ]);
  });

  it('makes specs with roll-ups', () => {
    expect(specOf('src-ip', 'ipv4-24', '')).toEqual({
      by: 'src-ip',
      ipv4Prefix: 24,
      ipv6Prefix: 64,
    });
    expect(specOf('cert-host', 'domain', '')).toEqual({ by: 'cert-host', registeredDomain: true });
    expect(specOf('field', 'none', ' cs-method ')).toEqual({ by: 'field:cs-method' });
    expect(specOf('field', 'none', '')).toBeNull();
  });
});

describe('highlights', () => {
  it('marks text matches, escaping the pattern', () => {
    const re = highlightPattern({ pattern: 'a.b', regex: false, caseSensitive: false })!;
    expect(splitMatches('xA.Byaxb', re)).toEqual([
      { text: 'x', match: false },
      { text: 'A.B', match: true },
      { text: 'yaxb', match: false },
    ]);
  });

  it('marks regex matches and survives empty matches and bad patterns', () => {
    const re = highlightPattern({ pattern: 'x*', regex: true, caseSensitive: true })!;
    expect(splitMatches('axxb', re).filter((p) => p.match)).toEqual([{ text: 'xx', match: true }]);
    expect(highlightPattern({ pattern: '(', regex: true, caseSensitive: true })).toBeNull();
    expect(highlightPattern({ pattern: '', regex: false, caseSensitive: true })).toBeNull();
  });

  it('suggests safe file names', () => {
    expect(suggestedFileName('Gateway noise / March')).toBe(
      'Gateway-noise-March.logsieve-filters.json',
    );
  });
});
