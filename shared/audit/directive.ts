import { formatCount } from '../display';
import { addressBits, type IpFamily } from '../net/address';
import { formatRange, rangeSize, type IpRange } from '../net/range';

/** One audited directive (httpd.conf) or definition/condition (CPL). */
export interface AuditedDirective {
  /** 1-based line where the directive starts. */
  readonly line: number;
  /** The directive as Apache or the policy compiler reads it (continuations joined, trimmed). */
  readonly text: string;
  /** IPv4 addresses it matches; null when the audit cannot evaluate it (a problem says why). */
  readonly matches: number | null;
  /** What it matches, IPv4 ranges first, then IPv6; maximal, in address order. */
  readonly ranges: readonly IpRange[];
  /** False when there were too many ranges to list (`ranges` holds the first ones). */
  readonly rangesComplete: boolean;
  /** What is wrong, one sentence each; empty when the directive is exact. */
  readonly problems: readonly string[];
  /** The exact replacement (one or more lines), or null when none can be written safely. */
  readonly exact: string | null;
  /** The addresses it was evidently meant to match (what `exact` matches), when known. */
  readonly intended: readonly IpRange[] | null;
  /** Whether the directive marks its addresses as noise (sets a variable / turns a log off). */
  readonly hides: boolean;
}

export interface AuditReport {
  readonly format: 'httpd' | 'cpl';
  readonly directives: readonly AuditedDirective[];
}

/** The most ranges listed per directive; more are summarised, never silently dropped. */
export const MAX_LISTED_RANGES = 256;

/** Addresses of one family in a list of ranges. */
export function countAddresses(ranges: readonly IpRange[], family: IpFamily): bigint {
  return ranges.filter((r) => r.family === family).reduce((sum, r) => sum + rangeSize(r), 0n);
}

/** Sorts and merges overlapping or adjacent ranges of each family; IPv4 first. */
export function normalizeRanges(ranges: readonly IpRange[]): IpRange[] {
  const sorted = [...ranges].sort((a, b) =>
    a.family !== b.family
      ? a.family - b.family
      : a.first < b.first
        ? -1
        : a.first > b.first
          ? 1
          : 0,
  );
  const merged: IpRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.family === range.family && range.first <= last.last + 1n) {
      if (range.last > last.last) merged[merged.length - 1] = { ...last, last: range.last };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/** Every address of both families that is not in `ranges` (for CPL's `client.address=!x`). */
export function complementRanges(ranges: readonly IpRange[]): IpRange[] {
  const result: IpRange[] = [];
  for (const family of [4, 6] as const) {
    let next = 0n;
    for (const range of normalizeRanges(ranges).filter((r) => r.family === family)) {
      if (range.first > next) result.push({ family, first: next, last: range.first - 1n });
      next = range.last + 1n;
    }
    const top = (1n << BigInt(addressBits(family))) - 1n;
    if (next <= top) result.push({ family, first: next, last: top });
  }
  return result;
}

export function sameRanges(a: readonly IpRange[], b: readonly IpRange[]): boolean {
  const x = normalizeRanges(a);
  const y = normalizeRanges(b);
  return (
    x.length === y.length &&
    x.every((r, i) => r.family === y[i]?.family && r.first === y[i].first && r.last === y[i].last)
  );
}

/** "28,416 addresses where 256 were meant (172.16.1.0/24)" */
export function overMatchProblem(
  actualCount: number,
  intended: readonly IpRange[],
  intendedText: string,
): string {
  const intendedCount = countAddresses(intended, 4);
  return `matches ${formatCount(actualCount)} address${actualCount === 1 ? '' : 'es'} where ${formatCount(
    intendedCount,
  )} ${intendedCount === 1n ? 'was' : 'were'} meant (${intendedText})`;
}

/** The JSON shape `logsieve audit --json` prints; scripts depend on it. */
export interface AuditJson {
  readonly directives: readonly {
    readonly line: number;
    readonly text: string;
    readonly matches: number | null;
    readonly ranges: readonly string[];
    readonly problems: readonly string[];
    readonly exact: string | null;
  }[];
}

export function auditReportToJson(report: AuditReport): AuditJson {
  return {
    directives: report.directives.map((d) => ({
      line: d.line,
      text: d.text,
      matches: d.matches,
      ranges: d.ranges.map(formatRange),
      problems: [...d.problems],
      exact: d.exact,
    })),
  };
}
