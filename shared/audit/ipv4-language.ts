import type { IpRange } from '../net/range';
import type { PatternRunner } from './regex';

/**
 * Exactly which IPv4 addresses a pattern matches, over the language Apache compares it with: the
 * dotted-quad text of every address (decimal octets, no leading zeros), searched unanchored.
 *
 * Enumerating 2^32 strings is out of the question; instead the walk goes octet by octet and
 * memoises on (octet position, NFA thread set). Two prefixes that leave the NFA in the same state
 * have the same completions, and real patterns reach only a handful of distinct states, so the
 * count of a pattern like `^172.16.1.` takes a few thousand steps.
 */

const OCTET_TEXT = Array.from({ length: 256 }, (_, octet) => String(octet));
const DOT = 46;
/** Addresses below one prefix of `octets` octets: 256^(4 − octets). */
const blockSize = (octetsFixed: number): number => 256 ** (4 - octetsFixed);

type OctetOutcome =
  { readonly matched: true } | { readonly matched: false; readonly threads: number };

export class Ipv4Language {
  private readonly counts = new Map<string, number>();

  constructor(private readonly runner: PatternRunner) {}

  /**
   * Feeds one octet's digits, then the dot after it (or the end after the fourth octet), starting
   * from `threads` at octet `index` (0–3).
   */
  private feedOctet(index: number, threads: number, octet: number): OctetOutcome {
    const digits = OCTET_TEXT[octet] ?? '';
    let previous: number | null = index === 0 ? null : DOT;
    let current = threads;
    for (let i = 0; i < digits.length; i += 1) {
      const next = digits.charCodeAt(i);
      const step = this.runner.step(current, previous, next);
      if (step.matched) return { matched: true };
      current = step.next;
      previous = next;
    }
    const after = index === 3 ? null : DOT;
    const step = this.runner.step(current, previous, after);
    return step.matched ? { matched: true } : { matched: false, threads: step.next };
  }

  /** How many completions of octets `index`…3 match, from thread set `threads`. */
  private countFrom(index: number, threads: number): number {
    if (index === 4) return 0;
    const key = `${index}:${threads}`;
    const cached = this.counts.get(key);
    if (cached !== undefined) return cached;
    let total = 0;
    for (let octet = 0; octet < 256; octet += 1) {
      const outcome = this.feedOctet(index, threads, octet);
      total += outcome.matched ? blockSize(index + 1) : this.countFrom(index + 1, outcome.threads);
    }
    this.counts.set(key, total);
    return total;
  }

  /** Number of IPv4 addresses (0 … 2^32) whose text the pattern matches. */
  count(): number {
    return this.countFrom(0, this.runner.initial);
  }

  /**
   * The matched addresses as maximal ranges in address order, at most `limit` of them. `complete`
   * is false when there are more (a pattern like `[02468]$` matches half the space in 2^31 pieces).
   */
  ranges(limit: number): { ranges: IpRange[]; complete: boolean } {
    const found: { first: number; last: number }[] = [];
    let complete = true;
    const add = (first: number, last: number): boolean => {
      const previous = found[found.length - 1];
      if (previous && previous.last + 1 === first) {
        previous.last = last;
        return true;
      }
      if (found.length === limit) {
        complete = false;
        return false;
      }
      found.push({ first, last });
      return true;
    };
    const walk = (index: number, threads: number, base: number): boolean => {
      const size = blockSize(index + 1);
      for (let octet = 0; octet < 256; octet += 1) {
        const start = base + octet * size;
        const outcome = this.feedOctet(index, threads, octet);
        if (outcome.matched) {
          if (!add(start, start + size - 1)) return false;
          continue;
        }
        if (index === 3) continue;
        const below = this.countFrom(index + 1, outcome.threads);
        if (below === size) {
          if (!add(start, start + size - 1)) return false;
        } else if (below > 0 && !walk(index + 1, outcome.threads, start)) {
          return false;
        }
      }
      return true;
    };
    walk(0, this.runner.initial, 0);
    return {
      ranges: found.map(({ first, last }) => ({
        family: 4,
        first: BigInt(first),
        last: BigInt(last),
      })),
      complete,
    };
  }
}
