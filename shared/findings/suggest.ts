/**
 * Findings → a complete filter set (the exports' format), ready for `export`: the rules of every
 * finding that explains at least `minShare` of its signature, in the findings' order (most
 * records first), each rule once (the same conditions from two findings are one rule), ids unique.
 * Cert-host rules stay disabled: trusting a host is the admin's decision.
 */
import type { FilterRule, FilterSet } from '../filters/model';
import { FILTER_SET_KIND, FILTER_SET_VERSION } from '../filters/model';
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

export function suggestFilterSet(
  findings: readonly Finding[],
  options: SuggestOptions = {},
): Result<FilterSet, UserError[]> {
  const minShare = options.minShare ?? DEFAULT_MIN_SHARE;
  const rules: FilterRule[] = [];
  const seenWhen = new Set<string>();
  const seenIds = new Set<string>();
  for (const finding of findings) {
    if ((finding.share ?? 0) < minShare) continue;
    for (const rule of finding.rules) {
      const when = JSON.stringify(rule.when);
      if (seenWhen.has(when)) continue;
      seenWhen.add(when);
      let id = rule.id;
      for (let n = 2; seenIds.has(id); n++) id = `${rule.id.slice(0, 60)}-${n}`;
      seenIds.add(id);
      rules.push({ ...rule, id });
    }
  }
  return validateFilterSet({
    logsieve: FILTER_SET_KIND,
    version: FILTER_SET_VERSION,
    name: options.name ?? 'Suggested from findings',
    rules,
  });
}
