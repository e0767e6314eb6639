/**
 * Findings → a complete filter set (the exports' format), ready for `export`: the rules of every
 * finding that explains at least `minShare` of its signature, in the findings' order (most
 * records first), each rule once (the same conditions from two findings are one rule; a rule that
 * another hides entirely is left out), ids unique.
 * Cert-host rules stay disabled: trusting a host is the admin's decision.
 */
import type { FilterRule, FilterSet } from '../filters/model';
import { CONDITION_KEYS, FILTER_SET_KIND, FILTER_SET_VERSION } from '../filters/model';
import { validateFilterSet } from '../filters/persist';
import type { Result } from '../result';
import type { UserError } from '../result';
import type { Finding } from './analyse';

export interface SuggestOptions {
  /** Findings below this share of their signature are left out (0–1). Default 0.05. */
  readonly minShare?: number;
  readonly name?: string;
}

export const DEFAULT_MIN_SHARE = 0.05;

/** A rule's conditions as text, keys in their fixed order and values sorted. */
function canonical(rule: FilterRule): string {
  return JSON.stringify(
    CONDITION_KEYS.map((key) => {
      const values = rule.when[key];
      return values === undefined ? null : values.map((v) => JSON.stringify(v)).sort();
    }),
  );
}

/**
 * True when `a` hides every record `b` hides and more: both enabled with the same action, `a`
 * tests fewer or the same keys, and each of its values lists include `b`'s (keys are ANDed,
 * values ORed). Named-field conditions are never compared.
 */
function subsumes(a: FilterRule, b: FilterRule): boolean {
  if (!a.enabled || !b.enabled || a.action !== b.action) return false;
  if (a.when.field !== undefined || b.when.field !== undefined) return false;
  if (canonical(a) === canonical(b)) return false;
  return CONDITION_KEYS.every((key) => {
    if (key === 'field') return true;
    const mine = a.when[key];
    if (mine === undefined) return true;
    const theirs = b.when[key];
    return theirs !== undefined && theirs.every((v) => mine.includes(v));
  });
}

export function suggestFilterSet(
  findings: readonly Finding[],
  options: SuggestOptions = {},
): Result<FilterSet, UserError[]> {
  const minShare = options.minShare ?? DEFAULT_MIN_SHARE;
  const rules: FilterRule[] = [];
  const seenWhen = new Set<string>();
  const seenIds = new Set<string>();
  const candidates = findings
    .filter((finding) => (finding.share ?? 0) >= minShare)
    .flatMap((finding) => finding.rules);
  for (const rule of candidates) {
    const when = canonical(rule);
    if (seenWhen.has(when)) continue;
    // A server's periodic rule inside the burst rule over all servers adds nothing.
    if (candidates.some((other) => subsumes(other, rule))) continue;
    seenWhen.add(when);
    let id = rule.id;
    for (let n = 2; seenIds.has(id); n++) id = `${rule.id.slice(0, 60)}-${n}`;
    seenIds.add(id);
    rules.push({ ...rule, id });
  }
  return validateFilterSet({
    logsieve: FILTER_SET_KIND,
    version: FILTER_SET_VERSION,
    name: options.name ?? 'Suggested from findings',
    rules,
  });
}
