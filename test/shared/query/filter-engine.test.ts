import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleMatches, type MatchableRecord } from '../../../shared/filters/match';
import { CONDITION_KEYS } from '../../../shared/filters/model';
import type {
  FieldCondition,
  FilterRule,
  FilterSet,
  RuleConditions,
} from '../../../shared/filters/model';
import { validateFilterSet } from '../../../shared/filters/persist';
import { formatById } from '../../../shared/formats/registry';
import { Ingest } from '../../../shared/index/ingest';
import {
  FilterEngine,
  type FilterMode,
  type FilterOutcome,
} from '../../../shared/query/filter-engine';
import { ingest, type Ingested } from '../../helpers/ingest';
import { hostPatternValue, srcIpValue } from '../filters/arbitraries';
import {
  CODES,
  columnsFormat,
  columnsLog,
  FIELD_NAMES,
  HOST_PATTERNS,
  IP_SPECS,
  ingestColumns,
  LEVELS,
  matchable,
  reader,
  recordSpec,
  SOURCES,
  WORDS,
  type RecordSpec,
} from './fixtures';

const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { minLength: 1, maxLength: 3 });

const fieldCondition: fc.Arbitrary<FieldCondition> = fc.record({
  name: fc.constantFrom(...FIELD_NAMES, 'absent'),
  op: fc.constantFrom('equals', 'contains', 'regex'),
  value: fc.constantFrom('revoked-by-ocsp', 'hostname-mismatch', 'none', 'HEAD', 'o', '^re', 'h$'),
});

/** Arbitraries per `when` key, drawn mostly from the values the generated records hold. */
const conditionValues = {
  srcIp: list(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...IP_SPECS) }, srcIpValue)),
  certHost: list(
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOST_PATTERNS) }, hostPatternValue),
  ),
  host: list(
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOST_PATTERNS) }, hostPatternValue),
  ),
  tag: list(
    fc.constantFrom(
      'tls-handshake-failure',
      'agent-socket-error',
      'agent-server-timeout',
      'cert-revoked',
      'cert-hostname-mismatch',
      'auth-failure',
      'no-such-tag',
    ),
  ),
  code: list(fc.constantFrom(...CODES, '999')),
  source: list(fc.constantFrom(...SOURCES, 'nobody')),
  level: list(fc.constantFrom(...LEVELS)),
  text: list(fc.constantFrom(...WORDS)),
  regex: list(fc.constantFrom('^SSL', 'time(d|out)', '\\d+ s$', 'gr[öo]ße', '^$', '(?:)')),
  field: list(fieldCondition),
};

/** One to three keys (ANDed), each with one to three values (ORed). */
const when: fc.Arbitrary<RuleConditions> = fc
  .subarray(CONDITION_KEYS as unknown as (keyof typeof conditionValues)[], {
    minLength: 1,
    maxLength: 3,
  })
  .chain((keys) =>
    fc.record(Object.fromEntries(keys.map((k) => [k, conditionValues[k]])) as never),
  );

const rule: fc.Arbitrary<FilterRule> = fc.record({
  id: fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/),
  enabled: fc.boolean(),
  action: fc.constantFrom('hide', 'trust', 'block'),
  when,
});

const filterSet: fc.Arbitrary<FilterSet> = fc
  .uniqueArray(rule, { maxLength: 5, selector: (r) => r.id })
  .map((rules) => ({ logsieve: 'filter-set', version: 1, name: 'test', rules }));

function valid(set: FilterSet): FilterSet {
  const checked = validateFilterSet(set);
  if (!checked.ok) throw new Error(JSON.stringify(checked.error));
  return checked.value;
}

/** What the outcome must be, from `ruleMatches` on every record, written as plainly as possible. */
function reference(set: FilterSet, records: readonly MatchableRecord[], mode: FilterMode) {
  const matched = set.rules.map((r) => records.map((record) => ruleMatches(r, record)));
  const hides = set.rules.map((r) => r.enabled && r.action !== 'block');
  const blocks = set.rules.map((r) => r.enabled && r.action === 'block');
  const hidden = records.map((_, i) => matched.some((m, r) => hides[r] && m[i]));
  const marking = records.map((_, i) =>
    set.rules.filter((r, k) => blocks[k] && matched[k]![i]).map((r) => r.id),
  );
  const indexes = records.map((_, i) => i);
  return {
    selection: indexes.filter((i) => hidden[i] === (mode === 'hidden')),
    hidden: hidden.filter(Boolean).length,
    marked: indexes.filter((i) => !hidden[i] && marking[i]!.length > 0).length,
    marking,
    rules: set.rules.map((r, k) => ({
      id: r.id,
      matches: matched[k]!.filter(Boolean).length,
      hidden: hides[k] ? matched[k]!.filter(Boolean).length : 0,
      hiddenOnly: hides[k]
        ? indexes.filter(
            (i) => matched[k]![i] && !matched.some((m, j) => j !== k && hides[j] && m[i]),
          ).length
        : 0,
      marked: blocks[k] ? indexes.filter((i) => matched[k]![i] && !hidden[i]).length : 0,
    })),
  };
}

function expectAsReference(
  outcome: FilterOutcome,
  set: FilterSet,
  records: readonly MatchableRecord[],
  mode: FilterMode = 'visible',
): void {
  const expected = reference(set, records, mode);
  expect(outcome.complete).toBe(true);
  expect(outcome.records).toBe(records.length);
  expect([...outcome.selection]).toEqual(expected.selection);
  expect(outcome.hidden).toBe(expected.hidden);
  expect(outcome.visible).toBe(records.length - expected.hidden);
  expect(outcome.marked).toBe(expected.marked);
  expect(outcome.rules).toEqual(expected.rules);
  for (let i = 0; i < records.length; i++) {
    expect(outcome.isHidden(i)).toBe(expected.selection.includes(i) === (mode === 'hidden'));
    expect(outcome.markingRules(i)).toEqual(expected.marking[i]);
  }
}

function allMatchable(ingested: Ingested): MatchableRecord[] {
  return ingested.records.map((_, i) => matchable(ingested, i));
}

describe('FilterEngine against the reference matcher', () => {
  it('agrees with ruleMatches on every key, action and mode (property)', () => {
    fc.assert(
      fc.property(
        fc.array(recordSpec, { maxLength: 70 }),
        filterSet,
        fc.constantFrom<FilterMode>('visible', 'hidden'),
        (specs, set, mode) => {
          const ingested = ingestColumns(specs);
          const engine = new FilterEngine(ingested.index);
          const outcome = engine.run(valid(set), { mode, readRecord: reader(ingested) });
          expectAsReference(outcome, set, allMatchable(ingested), mode);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees on Apache access and error logs read by their real formats', () => {
    const access = [
      '172.16.1.5 - - [05/Mar/2024:00:00:00 +0000] "HEAD / HTTP/1.0" 200 - "-" "-"',
      '172.16.1.50 - - [05/Mar/2024:00:00:01 +0000] "GET /login HTTP/1.1" 404 12 "-" "curl"',
      '::ffff:10.0.0.7 - - [05/Mar/2024:00:00:02 +0000] "GET / HTTP/1.1" 200 0 "-" "ELB-HealthChecker/2.0"',
      '2001:db8::9 - - [05/Mar/2024:00:00:03 +0000] "GET /x HTTP/1.1" 500 10 "-" "Mozilla"',
      'www.example.com:443 10.0.0.3 - - [05/Mar/2024:00:00:04 +0000] "GET / HTTP/1.1" 200 5 "-" "-"',
      'garbage line that no parser understands',
    ];
    const error = [
      '[Tue Mar 05 08:14:02.123456 2024] [ssl:info] [pid 4711:tid 140] [client 172.16.1.5:51234] AH02008: SSL library error 1 in handshake (server gw.example.com:443)',
      '[Tue Mar 05 08:20:00.000001 2024] [auth_basic:error] [pid 12] [client 10.1.2.3:4444] AH01617: user jdoe: authentication failure for "/admin": Password Mismatch',
      '[Tue Mar 05 08:21:00 2024] [error] [client 2001:db8::1] File does not exist: /var/www/favicon.ico',
    ];
    const sets: FilterSet[] = [
      {
        logsieve: 'filter-set',
        version: 1,
        name: 'apache',
        rules: [
          { id: 'lb', enabled: true, action: 'hide', when: { srcIp: ['172.16.1.0/24'] } },
          { id: 'mapped', enabled: true, action: 'hide', when: { srcIp: ['10.0.0.0/8'] } },
          { id: 'v6', enabled: true, action: 'block', when: { srcIp: ['2001:db8::/32'] } },
          { id: 'hc', enabled: false, action: 'hide', when: { tag: ['health-check'] } },
          { id: 'nf', enabled: true, action: 'trust', when: { code: ['404', 'AH01617'] } },
          { id: 'vh', enabled: true, action: 'hide', when: { host: ['.example.com'] } },
          { id: 'ssl', enabled: true, action: 'hide', when: { source: ['ssl'], level: ['info'] } },
          { id: 'txt', enabled: true, action: 'block', when: { text: ['favicon'] } },
          { id: 'rx', enabled: true, action: 'block', when: { regex: ['^GET /x'] } },
        ],
      },
    ];
    for (const [format, lines] of [
      ['apache-access', access],
      ['apache-error', error],
    ] as const) {
      const ingested = ingest(formatById(format)!, lines.join('\n') + '\n');
      for (const set of sets) {
        const engine = new FilterEngine(ingested.index);
        for (const mode of ['visible', 'hidden'] as const)
          expectAsReference(
            engine.run(valid(set), { mode, readRecord: reader(ingested) }),
            set,
            allMatchable(ingested),
            mode,
          );
      }
    }
  });
});

describe('FilterEngine caching and incremental evaluation', () => {
  it('recombines cached matches when rules are toggled, moved or change action, without reading records', () => {
    fc.assert(
      fc.property(
        fc.array(recordSpec, { maxLength: 60 }),
        filterSet,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('toggle', 'move', 'action')), {
          maxLength: 6,
        }),
        (specs, set, edits) => {
          const ingested = ingestColumns(specs);
          const engine = new FilterEngine(ingested.index);
          engine.run(valid(set), { readRecord: reader(ingested) });
          const records = allMatchable(ingested);
          let current = set;
          for (const [n, edit] of edits) {
            if (current.rules.length === 0) break;
            const at = n % current.rules.length;
            const rules = [...current.rules];
            const target = rules[at]!;
            if (edit === 'toggle') rules[at] = { ...target, enabled: !target.enabled };
            if (edit === 'action')
              rules[at] = { ...target, action: target.action === 'block' ? 'hide' : 'block' };
            if (edit === 'move') rules.push(...rules.splice(at, 1));
            current = { ...current, rules };
            const reads: number[] = [];
            const outcome = engine.run(valid(current), { readRecord: reader(ingested, reads) });
            expect(reads).toEqual([]);
            expectAsReference(outcome, current, records);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads each candidate record once, in increasing order, only when its column conditions hold', () => {
    fc.assert(
      fc.property(fc.array(recordSpec, { maxLength: 80 }), filterSet, (specs, set) => {
        const ingested = ingestColumns(specs);
        const reads: number[] = [];
        new FilterEngine(ingested.index).run(valid(set), { readRecord: reader(ingested, reads) });
        for (let i = 1; i < reads.length; i++) expect(reads[i]).toBeGreaterThan(reads[i - 1]!);
        // A record is read only if some rule with text conditions has its other conditions hold.
        const textRules = set.rules.filter(
          (r) =>
            r.when.text !== undefined || r.when.regex !== undefined || r.when.field !== undefined,
        );
        for (const record of reads) {
          const m = matchable(ingested, record);
          const columnsHold = textRules.some(
            (r) =>
              ruleMatches(
                { ...r, when: { ...r.when, text: undefined, regex: undefined, field: undefined } },
                m,
              ) || Object.keys(r.when).every((k) => ['text', 'regex', 'field'].includes(k)),
          );
          expect(columnsHold).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('extends results as the file loads, reading only the new records', () => {
    fc.assert(
      fc.property(
        fc.array(recordSpec, { minLength: 1, maxLength: 120 }),
        filterSet,
        fc.integer({ min: 16, max: 400 }),
        (specs, set, chunkSize) => {
          const bytes = new TextEncoder().encode(columnsLog(specs));
          const file = { name: 't.log', size: bytes.length, modifiedMs: 0, options: {} };
          const run = new Ingest(columnsFormat, file, 'utf-8', 0);
          const whole = ingestColumns(specs);
          const engine = new FilterEngine(run.index);
          const checked = valid(set);
          let lastCount = 0;
          let outcome: FilterOutcome | null = null;
          const push = (at: number) => {
            const reads: number[] = [];
            outcome = engine.run(checked, { readRecord: reader(whole, reads) });
            expect(outcome.records).toBe(run.index.count);
            for (const r of reads) expect(r).toBeGreaterThanOrEqual(lastCount);
            lastCount = run.index.count;
            return at;
          };
          for (let at = 0; at < bytes.length; at += chunkSize) {
            run.push(bytes.subarray(at, at + chunkSize), at);
            push(at);
          }
          run.finish();
          push(bytes.length);
          expectAsReference(outcome!, set, allMatchable(whole));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('stops when asked and continues where it stopped', () => {
    const specs: RecordSpec[] = Array.from({ length: 5000 }, (_, i) => ({
      time: 1_700_000_000_000 + i,
      srcIp: i % 3 === 0 ? '172.16.1.5' : '10.0.0.9',
      level: 'info',
      code: null,
      source: null,
      host: null,
      certHost: null,
      message: i % 7 === 0 ? 'SSL handshake failed' : 'all ok',
      fields: [],
    }));
    const ingested = ingestColumns(specs);
    const set = valid({
      logsieve: 'filter-set',
      version: 1,
      name: 's',
      rules: [{ id: 'a', enabled: true, action: 'hide', when: { text: ['handshake'] } }],
    });
    const engine = new FilterEngine(ingested.index);
    const reads: number[] = [];
    let stops = 0;
    const partial = engine.run(set, {
      readRecord: reader(ingested, reads),
      shouldStop: () => ++stops >= 2,
    });
    expect(partial.complete).toBe(false);
    expect(partial.records).toBeGreaterThan(0);
    expect(partial.records).toBeLessThan(5000);
    const partialReads = reads.length;
    const done = engine.run(set, { readRecord: reader(ingested, reads) });
    expect(done.complete).toBe(true);
    // Nothing is read twice.
    expect(new Set(reads).size).toBe(reads.length);
    expect(reads.length).toBe(5000);
    expect(partialReads).toBeLessThan(5000);
    expectAsReference(done, set, allMatchable(ingested));
  });

  it('says how many rows a rule hides and how many only it hides', () => {
    const specs: RecordSpec[] = [
      ...Array.from({ length: 10 }, () => ({ srcIp: '172.16.1.5', code: '125' })),
      ...Array.from({ length: 4 }, () => ({ srcIp: '172.16.1.5', code: '404' })),
      ...Array.from({ length: 3 }, () => ({ srcIp: '10.0.0.1', code: '125' })),
      ...Array.from({ length: 2 }, () => ({ srcIp: '10.0.0.1', code: '200' })),
    ].map((p) => ({
      time: null,
      level: null,
      source: null,
      host: null,
      certHost: null,
      message: 'm',
      fields: [],
      ...p,
    }));
    const ingested = ingestColumns(specs);
    const set = valid({
      logsieve: 'filter-set',
      version: 1,
      name: 's',
      rules: [
        { id: 'lb', enabled: true, action: 'hide', when: { srcIp: ['172.16.1.0/24'] } },
        { id: 'gw', enabled: true, action: 'trust', when: { code: ['125'] } },
        { id: 'off', enabled: false, action: 'hide', when: { code: ['200'] } },
        { id: 'deny', enabled: true, action: 'block', when: { srcIp: ['10.0.0.1'] } },
      ],
    });
    const outcome = new FilterEngine(ingested.index).run(set);
    expect(outcome.rules).toEqual([
      { id: 'lb', matches: 14, hidden: 14, hiddenOnly: 4, marked: 0 },
      { id: 'gw', matches: 13, hidden: 13, hiddenOnly: 3, marked: 0 },
      { id: 'off', matches: 2, hidden: 0, hiddenOnly: 0, marked: 0 },
      { id: 'deny', matches: 5, hidden: 0, hiddenOnly: 0, marked: 2 },
    ]);
    expect(outcome.hidden).toBe(17);
    expect(outcome.visible).toBe(2);
    expect([...outcome.selection]).toEqual([17, 18]);
    expect(outcome.markingRules(17)).toEqual(['deny']);
    expect(outcome.markingRules(0)).toEqual([]);
  });

  it('needs a record reader only for rules with text conditions', () => {
    const ingested = ingestColumns([]);
    const engine = new FilterEngine(ingested.index);
    const set = valid({
      logsieve: 'filter-set',
      version: 1,
      name: 's',
      rules: [{ id: 'a', enabled: true, action: 'hide', when: { srcIp: ['10.0.0.1'] } }],
    });
    expect(engine.run(set).records).toBe(0);
  });
});
