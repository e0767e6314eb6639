import fc from 'fast-check';
import { getDomain } from 'tldts';
import { describe, expect, it } from 'vitest';
import { ruleMatches } from '../../../shared/filters/match';
import type { FilterSet } from '../../../shared/filters/model';
import { formatById } from '../../../shared/formats/registry';
import { formatIpv4, parseIpAddress } from '../../../shared/net/address';
import { formatCidr, maskedCidr, otherFormOf } from '../../../shared/net/range';
import { FilterEngine } from '../../../shared/query/filter-engine';
import { GroupEngine, type GroupSpec } from '../../../shared/query/groups';
import { ingest, type Ingested } from '../../helpers/ingest';
import { FIELD_NAMES, ingestColumns, matchable, reader, recordSpec } from './fixtures';

/** The key(s) of a record under a spec, from the display parse: the reference's view. */
function referenceKeys(ingested: Ingested, record: number, spec: GroupSpec): (string | null)[] {
  const m = matchable(ingested, record);
  switch (spec.by) {
    case 'tag':
      return m.tags.length === 0 ? [null] : [...m.tags];
    case 'code':
      return [m.code];
    case 'source':
      return [m.source];
    case 'level':
      return [m.level];
    case 'host':
    case 'cert-host': {
      const value = spec.by === 'host' ? m.host : m.certHost;
      if (value === null || spec.registeredDomain !== true) return [value];
      return [getDomain(value) ?? value];
    }
    case 'src-ip': {
      const value = m.srcIp;
      if (value === null) return [null];
      const address = parseIpAddress(value);
      if (!address.ok) return [value];
      const v4 = address.value.family === 4 ? address.value : otherFormOf(address.value);
      if (v4 !== null && v4.family === 4) {
        if (spec.ipv4Prefix === undefined) return [value];
        return [`${formatIpv4(maskedCidr(v4, spec.ipv4Prefix).network)}/${spec.ipv4Prefix}`];
      }
      if (spec.ipv6Prefix === undefined) return [value];
      return [formatCidr(maskedCidr(address.value, spec.ipv6Prefix))];
    }
    default: {
      const name = spec.by.slice(6);
      return [Object.prototype.hasOwnProperty.call(m.fields, name) ? m.fields[name]! : null];
    }
  }
}

interface RefGroup {
  key: string | null;
  count: number;
  first: number | null;
  last: number | null;
  hidden?: number;
}

function referenceGroups(
  ingested: Ingested,
  selection: readonly number[],
  spec: GroupSpec,
  hidden: readonly boolean[] | null,
  limit: number | undefined,
): { groups: RefGroup[]; total: number } {
  const map = new Map<string | null, RefGroup>();
  const get = (key: string | null): RefGroup => {
    let g = map.get(key);
    if (g === undefined) {
      g = { key, count: 0, first: null, last: null, ...(hidden === null ? {} : { hidden: 0 }) };
      map.set(key, g);
    }
    return g;
  };
  for (const r of selection) {
    const t = ingested.index.timeOf(r);
    for (const key of referenceKeys(ingested, r, spec)) {
      const g = get(key);
      g.count++;
      if (t !== null) {
        g.first = g.first === null ? t : Math.min(g.first, t);
        g.last = g.last === null ? t : Math.max(g.last, t);
      }
    }
  }
  if (hidden !== null)
    hidden.forEach((h, r) => {
      if (h) for (const key of referenceKeys(ingested, r, spec)) get(key).hidden! += 1;
    });
  const groups = [...map.values()].sort(
    (a, b) =>
      b.count - a.count ||
      (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1),
  );
  return { groups: limit === undefined ? groups : groups.slice(0, limit), total: groups.length };
}

const spec: fc.Arbitrary<GroupSpec> = fc.oneof(
  fc.record(
    {
      by: fc.constant('src-ip' as const),
      ipv4Prefix: fc.constantFrom(16 as const, 24 as const),
      ipv6Prefix: fc.constantFrom(48 as const, 64 as const),
    },
    { requiredKeys: ['by'] },
  ),
  fc.record(
    { by: fc.constantFrom('host' as const, 'cert-host' as const), registeredDomain: fc.boolean() },
    { requiredKeys: ['by'] },
  ),
  fc.record({
    by: fc.constantFrom('code' as const, 'source' as const, 'level' as const, 'tag' as const),
  }),
  fc.record({ by: fc.constantFrom(...FIELD_NAMES, 'absent').map((n) => `field:${n}` as const) }),
);

const hideSet: FilterSet = {
  logsieve: 'filter-set',
  version: 1,
  name: 'h',
  rules: [
    { id: 'a', enabled: true, action: 'hide', when: { srcIp: ['172.16.1.0/24', '::1'] } },
    { id: 'b', enabled: true, action: 'trust', when: { level: ['error'] } },
  ],
};

describe('GroupEngine against naive counting', () => {
  it('counts, first/last, hidden counts, order and limit agree (property)', () => {
    fc.assert(
      fc.property(
        fc.array(recordSpec, { maxLength: 80 }),
        spec,
        fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        fc.nat(),
        (specs, groupSpec, limit, subset, withHidden, seed) => {
          const ingested = ingestColumns(specs);
          const all = ingested.records.map((_, i) => i);
          const chosen = subset ? all.filter((r) => (r * 7 + seed) % 3 !== 0) : all;
          const hidden = withHidden
            ? all.map((r) =>
                hideSet.rules.some((rule) => ruleMatches(rule, matchable(ingested, r))),
              )
            : null;
          const engine = new GroupEngine(ingested.index);
          const outcome = withHidden ? new FilterEngine(ingested.index).run(hideSet) : null;
          const reads: number[] = [];
          const grouping = engine.group(subset ? Uint32Array.from(chosen) : null, groupSpec, {
            ...(limit === undefined ? {} : { limit }),
            ...(outcome === null
              ? {}
              : { hidden: { bits: outcome.hiddenBits, records: outcome.records } }),
            readRecord: reader(ingested, reads),
          });
          const expected = referenceGroups(ingested, chosen, groupSpec, hidden, limit);
          // With hidden counts, groups whose rows are all hidden are listed too.
          expect(grouping.groups).toEqual(expected.groups);
          expect(grouping.totalGroups).toBe(expected.total);
          expect(grouping.records).toBe(chosen.length);
          for (let i = 1; i < reads.length; i++) expect(reads[i]).toBeGreaterThan(reads[i - 1]!);

          // Selecting some groups gives the records of the selection in them.
          const keys = expected.groups.filter((_, i) => (i + seed) % 2 === 0).map((g) => g.key);
          const selected = [...grouping.select(keys)];
          expect(selected).toEqual(
            chosen.filter((r) =>
              referenceKeys(ingested, r, groupSpec).some((k) => keys.includes(k)),
            ),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('draws sparklines for the top groups over the given range', () => {
    fc.assert(
      fc.property(
        fc.array(recordSpec, { maxLength: 80 }),
        spec,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 4 }),
        (specs, groupSpec, buckets, shown) => {
          const ingested = ingestColumns(specs);
          const from = 1_700_000_100_000;
          const to = 1_700_000_700_000;
          const grouping = new GroupEngine(ingested.index).group(null, groupSpec, {
            sparkline: { groups: shown, buckets, from, to },
            readRecord: reader(ingested),
          });
          const width = (to - from) / buckets;
          grouping.groups.forEach((g, i) => {
            if (i >= shown) {
              expect(g.sparkline).toBeUndefined();
              return;
            }
            const expected = new Uint32Array(buckets);
            ingested.records.forEach((_, r) => {
              const t = ingested.index.timeOf(r);
              if (t === null || t < from || t >= to) return;
              if (!referenceKeys(ingested, r, groupSpec).includes(g.key)) return;
              expected[Math.min(buckets - 1, Math.floor((t - from) / width))]!++;
            });
            expect([...g.sparkline!]).toEqual([...expected]);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads a field once per record and reuses it for the next grouping', () => {
    const specs = fc.sample(recordSpec, { numRuns: 50, seed: 7 });
    const ingested = ingestColumns(specs);
    const engine = new GroupEngine(ingested.index);
    const reads: number[] = [];
    const half = Uint32Array.from(specs.map((_, i) => i).filter((i) => i % 2 === 0));
    engine.group(half, { by: 'field:user' }, { readRecord: reader(ingested, reads) });
    expect(reads).toEqual([...half]);
    engine.group(null, { by: 'field:user' }, { readRecord: reader(ingested, reads) });
    expect(reads.length).toBe(50);
    expect(new Set(reads).size).toBe(50);
  });

  it('rolls Apache client addresses up by network, the ::ffff: form with its IPv4 network', () => {
    const lines = [
      '172.16.1.5 - - [05/Mar/2024:00:00:00 +0000] "HEAD / HTTP/1.0" 200 - "-" "-"',
      '172.16.1.50 - - [05/Mar/2024:00:00:05 +0000] "HEAD / HTTP/1.0" 200 - "-" "-"',
      '::ffff:172.16.1.7 - - [05/Mar/2024:00:00:06 +0000] "GET / HTTP/1.1" 200 1 "-" "-"',
      '172.16.2.5 - - [05/Mar/2024:00:00:10 +0000] "GET / HTTP/1.1" 404 1 "-" "-"',
      '2001:db8:0:1::5 - - [05/Mar/2024:00:00:11 +0000] "GET / HTTP/1.1" 200 1 "-" "-"',
      '2001:db8:0:2::5 - - [05/Mar/2024:00:00:12 +0000] "GET / HTTP/1.1" 200 1 "-" "-"',
    ];
    const ingested = ingest(formatById('apache-access')!, lines.join('\n') + '\n');
    const engine = new GroupEngine(ingested.index);
    const g24 = engine.group(null, { by: 'src-ip', ipv4Prefix: 24, ipv6Prefix: 48 });
    expect(g24.groups.map((g) => [g.key, g.count])).toEqual([
      ['172.16.1.0/24', 3],
      ['2001:db8::/48', 2],
      ['172.16.2.0/24', 1],
    ]);
    expect(g24.groups[0]!.first).toBe(Date.UTC(2024, 2, 5, 0, 0, 0));
    expect(g24.groups[0]!.last).toBe(Date.UTC(2024, 2, 5, 0, 0, 6));
    expect([...g24.select(['172.16.1.0/24'])]).toEqual([0, 1, 2]);
    const g16 = engine.group(null, { by: 'src-ip', ipv4Prefix: 16, ipv6Prefix: 64 });
    expect(g16.groups.map((g) => [g.key, g.count])).toEqual([
      ['172.16.0.0/16', 4],
      ['2001:db8:0:1::/64', 1],
      ['2001:db8:0:2::/64', 1],
    ]);
    const byCode = engine.group(null, { by: 'code' });
    expect(byCode.groups.map((g) => [g.key, g.count])).toEqual([
      ['200', 5],
      ['404', 1],
    ]);
  });

  it('groups host names by registered domain', () => {
    const ingested = ingestColumns(
      ['a.example.co.uk', 'b.c.example.co.uk', 'WWW.Example.COM', 'localhost', '10.0.0.1'].map(
        (host) => ({
          time: null,
          srcIp: null,
          level: null,
          code: null,
          source: null,
          host,
          certHost: null,
          message: '',
          fields: [],
        }),
      ),
    );
    const grouping = new GroupEngine(ingested.index).group(null, {
      by: 'host',
      registeredDomain: true,
    });
    expect(grouping.groups.map((g) => [g.key, g.count])).toEqual([
      ['example.co.uk', 2],
      ['10.0.0.1', 1],
      ['example.com', 1],
      ['localhost', 1],
    ]);
  });
});
