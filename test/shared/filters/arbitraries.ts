import fc from 'fast-check';
import type {
  FieldCondition,
  FilterRule,
  FilterSet,
  RuleConditions,
} from '../../../shared/filters/model';

/** Generators of valid filter sets, shared by the filter and exporter property tests. */

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const ipv6 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
  .map((groups) => groups.map((g) => g.toString(16)).join(':'));

export const ipv4Cidr = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
  .map(([n, prefix]) => {
    const size = 2 ** (32 - prefix);
    const network = n - (n % size);
    return `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${prefix}`;
  });

export const ipv4Range = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 70_000 }))
  .map(([first, span]) => {
    const last = Math.min(0xffffffff, first + span);
    const text = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
    return `${text(first)}-${text(last)}`;
  });

export const srcIpValue = fc.oneof(
  ipv4,
  ipv4Cidr,
  ipv4Range,
  ipv6,
  fc.constantFrom('::1', '2001:db8::/32', 'fe80::/10', '::ffff:10.0.0.0/104'),
);

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const hostName = (minLabels: number) =>
  fc.array(label, { minLength: minLabels, maxLength: 4 }).map((labels) => labels.join('.'));
// Domain patterns name at least two labels: the CPL exporter refuses to trust a whole TLD.
export const hostPatternValue = fc.oneof(
  hostName(1),
  hostName(2).map((h) => `*.${h}`),
  hostName(2).map((h) => `.${h}`),
);

const text = fc.string({ minLength: 1, maxLength: 12 });
const field: fc.Arbitrary<FieldCondition> = fc.record({
  name: fc.stringMatching(/^[a-z][a-z-]{0,15}$/),
  op: fc.constantFrom('equals', 'contains'),
  value: text,
});

const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { minLength: 1, maxLength: 3 });

export const conditions: fc.Arbitrary<RuleConditions> = fc
  .record(
    {
      srcIp: list(srcIpValue),
      certHost: list(hostPatternValue),
      host: list(hostPatternValue),
      tag: list(fc.constantFrom('tls-handshake-failure', 'agent-socket-error', 'health-check')),
      code: list(fc.constantFrom('125', 'CT_SOCKET_ERROR', '36887')),
      source: list(text),
      level: list(fc.constantFrom('error', 'warning', 'info')),
      text: list(text),
      regex: list(fc.constantFrom('^GET ', 'time(d|out)', '\\d{3}')),
      field: list(field),
    },
    { requiredKeys: [] },
  )
  .filter((when) => Object.keys(when).length > 0);

export const ruleId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/);

export const rule = (
  whenArb: fc.Arbitrary<RuleConditions> = conditions,
): fc.Arbitrary<FilterRule> =>
  fc.record(
    {
      id: ruleId,
      enabled: fc.boolean(),
      action: fc.constantFrom('hide', 'trust', 'block'),
      when: whenArb,
      comment: fc.stringMatching(/^[A-Za-z0-9 ,.()-]{1,40}$/),
    },
    { requiredKeys: ['id', 'enabled', 'action', 'when'] },
  );

export const filterSet = (ruleArb: fc.Arbitrary<FilterRule> = rule()): fc.Arbitrary<FilterSet> =>
  fc
    .record({
      name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .-]{0,30}$/),
      rules: fc.uniqueArray(ruleArb, { maxLength: 6, selector: (r) => r.id }),
    })
    .map(({ name, rules }) => ({ logsieve: 'filter-set', version: 1, name, rules }));
