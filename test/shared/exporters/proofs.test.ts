/**
 * Proofs that the exports mean what the filter set means: for random sets, every snippet is read
 * back by an independent evaluator (evaluators.ts) and compared with the reference matcher
 * (`ruleMatches`) on addresses and hosts inside, at the edges of and just outside every value;
 * and hostile values never get a character into the output that the target's grammar forbids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleMatches, type MatchableRecord } from '../../../shared/filters/match';
import type { FilterRule, FilterSet, RuleConditions } from '../../../shared/filters/model';
import { formatIpAddress } from '../../../shared/net/address';
import { otherFormOf, parseIpSpec } from '../../../shared/net/range';
import { CPL_LINE_GRAMMAR } from '../../../shared/exporters/cpl';
import { HTTPD24_LINE_GRAMMAR, HTTPD_LINE_GRAMMAR } from '../../../shared/exporters/httpd';
import { EXPORT_TARGETS, exportFilterSet } from '../../../shared/exporters/registry';
import { filterSet, hostPatternValue, rule, srcIpValue } from '../filters/arbitraries';
import { evaluateCpl, httpd24SetsVariable, httpdSetsVariable } from './evaluators';

const record = (extra: Partial<MatchableRecord>): MatchableRecord => ({
  srcIp: null,
  certHost: null,
  host: null,
  tags: [],
  code: null,
  source: null,
  level: null,
  message: null,
  fields: {},
  ...extra,
});

/** Rules a target is asked to express: one key per action, plus some it must refuse. */
const exportableWhen: fc.Arbitrary<RuleConditions> = fc.oneof(
  fc.record({ srcIp: fc.array(srcIpValue, { minLength: 1, maxLength: 3 }) }),
  fc.record({ certHost: fc.array(hostPatternValue, { minLength: 1, maxLength: 3 }) }),
  fc.record({
    srcIp: fc.array(srcIpValue, { minLength: 1, maxLength: 2 }),
    tag: fc.constant(['health-check']),
  }),
);
const sets = filterSet(rule(exportableWhen));

/** Addresses around every value of the set, plus a few anywhere. */
function probeAddresses(set: FilterSet): string[] {
  const probes = new Set<string>(['0.0.0.0', '255.255.255.255', '127.0.0.1', '::', '::1']);
  for (const r of set.rules) {
    for (const value of r.when.srcIp ?? []) {
      const spec = parseIpSpec(value);
      if (!spec.ok) throw new Error(value);
      const top = (1n << (spec.value.family === 4 ? 32n : 128n)) - 1n;
      for (const v of [
        spec.value.first - 1n,
        spec.value.first,
        spec.value.first + 1n,
        spec.value.last - 1n,
        spec.value.last,
        spec.value.last + 1n,
      ]) {
        if (v < 0n || v > top) continue;
        const address = { family: spec.value.family, value: v };
        probes.add(formatIpAddress(address));
        // The same address in its other form (10.0.0.1 ↔ ::ffff:10.0.0.1), where it has one.
        const other = otherFormOf(address);
        if (other) probes.add(formatIpAddress(other));
      }
    }
  }
  return [...probes];
}

/** Host names around every host pattern of the set. */
function probeHosts(set: FilterSet): string[] {
  const probes = new Set<string>(['example.com']);
  for (const r of set.rules) {
    for (const value of r.when.certHost ?? []) {
      const name = value.replace(/^\*?\./, '');
      for (const h of [
        name,
        `a.${name}`,
        `a.b.${name}`,
        `x${name}`,
        name.toUpperCase(),
        name.split('.').slice(1).join('.'),
      ]) {
        if (h !== '') probes.add(h);
      }
    }
  }
  return [...probes];
}

/** The enabled rules of an action whose `when` has exactly the one key a target can test. */
const expressible = (
  set: FilterSet,
  action: FilterRule['action'],
  key: 'srcIp' | 'certHost',
): FilterRule[] =>
  set.rules.filter((r) => r.enabled && r.action === action && Object.keys(r.when).join() === key);

const exported = (target: string, set: FilterSet): string => {
  const r = exportFilterSet(target, set);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe('exports mean what the filter set means', () => {
  // Apache matches SetEnvIf patterns against the client address as text; the exporter writes
  // IPv4 dotted quads only, so IPv6 text (IPv4-mapped included, see the export header) never matches.
  it('httpd: SetEnvIf sets nolog exactly for the IPv4 addresses of hide rules', () => {
    fc.assert(
      fc.property(sets, (set) => {
        const text = exported('httpd', set);
        const rules = expressible(set, 'hide', 'srcIp');
        for (const address of probeAddresses(set)) {
          const expected =
            !address.includes(':') && rules.some((r) => ruleMatches(r, record({ srcIp: address })));
          expect(httpdSetsVariable(text, 'nolog', address), address).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('httpd24: -R sets nolog exactly for the addresses (IPv4 and IPv6) of hide rules', () => {
    fc.assert(
      fc.property(sets, (set) => {
        const text = exported('httpd24', set);
        const rules = expressible(set, 'hide', 'srcIp');
        for (const address of probeAddresses(set)) {
          const expected = rules.some((r) => ruleMatches(r, record({ srcIp: address })));
          expect(httpd24SetsVariable(text, 'nolog', address), address).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('cpl: logs off, validation off and deny exactly where hide, trust and block rules match', () => {
    fc.assert(
      fc.property(sets, (set) => {
        const text = exported('cpl', set);
        const hide = expressible(set, 'hide', 'srcIp');
        const trust = expressible(set, 'trust', 'certHost');
        const block = expressible(set, 'block', 'certHost');
        for (const address of probeAddresses(set)) {
          const outcome = evaluateCpl(text, { clientAddress: address, host: 'example.com' });
          const hidden = hide.some((r) => ruleMatches(r, record({ srcIp: address })));
          expect(outcome.logsOff, address).toEqual(hidden ? outcome.logsOff.map(() => 'main') : []);
          expect(outcome.logsOff.length > 0, address).toBe(hidden);
        }
        for (const host of probeHosts(set)) {
          const outcome = evaluateCpl(text, { clientAddress: '192.0.2.1', host });
          expect(outcome.validationOff, host).toBe(
            trust.some((r) => ruleMatches(r, record({ certHost: host }))),
          );
          expect(outcome.denied, host).toBe(
            block.some((r) => ruleMatches(r, record({ certHost: host }))),
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});

// Characters an attacker controls when a value comes from a log line.
const HOSTILE = Array.from(
  ' \t\r\n\v\f"\'`;#\\$${}()<>[]|&!=*?%,/\u0000\u001b\u0085\u2028\u202e\ufeffé',
);
const hostileText = fc.string({
  unit: fc.constantFrom(...HOSTILE, 'a', '1', '.', ':', '-'),
  maxLength: 24,
});
const hostileValue = fc.oneof(
  hostileText,
  srcIpValue.map((v) => `${v}\n`),
  hostPatternValue.chain((v) => hostileText.map((h) => v + h)),
);

const GRAMMARS: Record<string, readonly RegExp[]> = {
  httpd: HTTPD_LINE_GRAMMAR,
  httpd24: HTTPD24_LINE_GRAMMAR,
  cpl: CPL_LINE_GRAMMAR,
};

describe('no log value can inject configuration', () => {
  // One hostile value at a time, everything else valid, so that each value's own check is what
  // stands between it and the output.
  const FIELDS = ['name', 'id', 'comment', 'srcIp', 'certHost', 'option'] as const;

  it.each(EXPORT_TARGETS.map((t) => t.id))(
    '%s: a hostile value fails the export or stays out of it',
    (target) => {
      fc.assert(
        fc.property(fc.constantFrom(...FIELDS), hostileValue, (field, hostile) => {
          const set: FilterSet = {
            logsieve: 'filter-set',
            version: 1,
            name: field === 'name' ? hostile : 'Set',
            rules: [
              {
                id: field === 'id' ? hostile : 'r1',
                enabled: true,
                action: 'hide',
                when: { srcIp: ['10.0.0.1', ...(field === 'srcIp' ? [hostile] : [])] },
                comment: field === 'comment' ? hostile : 'note',
              },
              {
                id: 'trust1',
                enabled: true,
                action: 'trust',
                when: { certHost: ['a.example', ...(field === 'certHost' ? [hostile] : [])] },
              },
              {
                id: 'block1',
                enabled: true,
                action: 'block',
                when: { certHost: ['b.example', ...(field === 'certHost' ? [hostile] : [])] },
              },
            ],
          };
          const option = field === 'option' ? hostile : undefined;
          const result = exportFilterSet(
            target,
            set,
            target === 'cpl' ? { logName: option } : { env: option },
          );
          if (!result.ok) {
            expect(result.error.length).toBeGreaterThan(0);
            // Messages show the value escaped: nothing in them can drive a terminal.
            for (const e of result.error) expect(e.message).toMatch(/^[\x20-\x7e–…]*$/);
            return;
          }
          const text = result.value;
          expect(text).toMatch(/^[\x20-\x7e\n]*$/);
          expect(text).not.toContain('${');
          for (const line of text.split('\n')) {
            expect(line.endsWith('\\'), line).toBe(false);
            expect(
              GRAMMARS[target]?.some((g) => g.test(line)),
              line,
            ).toBe(true);
          }
        }),
        { numRuns: 1000 },
      );
    },
  );
});
