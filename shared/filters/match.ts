import { parseIpAddress } from '../net/address';
import { hostPatternMatches, parseHostPattern } from '../net/host-pattern';
import { otherFormOf, parseIpSpec, rangeContains } from '../net/range';
import type { FieldCondition, FilterRule } from './model';

/**
 * The reference matcher: what a rule means, written as plainly as possible. The worker's columnar
 * engine is tested against it, and so are the exporters' outputs; it is the spec, not the fast
 * path. It re-reads every value on every call on purpose.
 */

/** One record as the matcher sees it; `null` means the format has no such value for it. */
export interface MatchableRecord {
  readonly srcIp: string | null;
  readonly certHost: string | null;
  readonly host: string | null;
  readonly tags: readonly string[];
  readonly code: string | null;
  readonly source: string | null;
  readonly level: string | null;
  readonly message: string | null;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Whether the rule's conditions hold for the record: every key present in `when` must match
 * (AND), by at least one of its values (OR). `enabled` is not consulted: the viewer counts what a
 * switched-off rule would hide, and callers skip disabled rules when filtering. The rule must be
 * valid (`validateFilterSet`); the record may hold anything.
 *
 * A record value that is missing (`null`) or not a valid address/host matches nothing. An IPv4
 * address and its IPv4-mapped IPv6 form are one address: `10.0.0.0/8` matches `::ffff:10.0.0.1`
 * and `::ffff:10.0.0.0/104` matches `10.0.0.1` (RFC 4291 §2.5.5.2; Node's BlockList agrees).
 */
export function ruleMatches(rule: FilterRule, record: MatchableRecord): boolean {
  const when = rule.when;
  // An absent key constrains nothing; a present one holds when any of its values matches.
  const keyHolds = <T>(values: readonly T[] | undefined, test: (value: T) => boolean): boolean =>
    values === undefined || values.some(test);
  return (
    keyHolds(when.srcIp, (spec) => addressMatches(spec, record.srcIp)) &&
    keyHolds(when.certHost, (pattern) => hostMatches(pattern, record.certHost)) &&
    keyHolds(when.host, (pattern) => hostMatches(pattern, record.host)) &&
    keyHolds(when.tag, (tag) => record.tags.includes(tag)) &&
    keyHolds(when.code, (code) => record.code === code) &&
    keyHolds(when.source, (source) => record.source === source) &&
    keyHolds(when.level, (level) => record.level === level) &&
    keyHolds(when.text, (text) => record.message?.includes(text) === true) &&
    keyHolds(
      when.regex,
      (regex) => record.message !== null && new RegExp(regex, 'u').test(record.message),
    ) &&
    keyHolds(when.field, (condition) => fieldMatches(condition, record.fields))
  );
}

function addressMatches(spec: string, value: string | null): boolean {
  if (value === null) return false;
  const range = parseIpSpec(spec);
  const address = parseIpAddress(value);
  if (!range.ok || !address.ok) return false;
  const other = otherFormOf(address.value);
  return (
    rangeContains(range.value, address.value) ||
    (other !== null && rangeContains(range.value, other))
  );
}

function hostMatches(patternText: string, value: string | null): boolean {
  if (value === null) return false;
  const pattern = parseHostPattern(patternText);
  return pattern.ok && hostPatternMatches(pattern.value, value);
}

function fieldMatches(
  condition: FieldCondition,
  fields: Readonly<Record<string, string>>,
): boolean {
  if (!Object.prototype.hasOwnProperty.call(fields, condition.name)) return false;
  const value = fields[condition.name];
  if (value === undefined) return false;
  switch (condition.op) {
    case 'equals':
      return value === condition.value;
    case 'contains':
      return value.includes(condition.value);
    case 'regex':
      return new RegExp(condition.value, 'u').test(value);
  }
}
