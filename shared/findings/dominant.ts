/**
 * Dominant source: one key produces most of a signature ("94 % of TLS handshake failures come
 * from 172.16.1.5").
 *
 * The threshold is a majority, held with confidence: the key's share must exceed one half even at
 * the lower end of its 3-standard-error Wilson interval, and it must have at least `minCount`
 * events. Why a majority: it is the one share that means "most" in every reading, at most one key
 * can hold it (so the finding is never ambiguous), and excluding that key removes more than half
 * of the signature's noise, which is what makes the finding worth a click. Why the interval: 3 of
 * 4 is a majority but says nothing; with the interval, a key needs 10 of 10, 17 of 20, 24 of 30,
 * 66 of 100 or 548 of 1,000 events, and at 17,280 events 51.1 % suffices. Why `minCount`: a
 * finding about a handful of events explains nothing an admin would notice.
 */
import { wilsonLowerBound } from './stats';

export interface DominantSourceOptions {
  /** Share the key must exceed, at the lower end of its confidence interval. */
  readonly minShare?: number;
  /** Fewest events from the key. */
  readonly minCount?: number;
  /** Width of the confidence interval in standard errors. */
  readonly confidenceZ?: number;
}

export const DEFAULT_DOMINANT_SOURCE_OPTIONS: Required<DominantSourceOptions> = {
  minShare: 0.5,
  minCount: 10,
  confidenceZ: 3,
};

export interface DominantSourceFinding {
  /** The key (index into countsByKey). */
  readonly key: number;
  /** Events of the signature from the key. */
  readonly count: number;
  /** Events of the signature from all keys (as given). */
  readonly total: number;
  /** count / total, 0–1. */
  readonly share: number;
  /** Lower end of the share's confidence interval: the share is at least this, with confidence. */
  readonly shareLowerBound: number;
  /** The next most frequent key and its count; null when no other key has events. */
  readonly runnerUp: { readonly key: number; readonly count: number } | null;
  /** Keys with at least one event. */
  readonly distinctKeys: number;
}

/**
 * `countsByKey[k]` is the number of events of one signature from key k; `total` the signature's
 * number of events, which may exceed the sum (events without a key still count in the share).
 */
export function dominantSource(
  countsByKey: ArrayLike<number>,
  total: number,
  options: DominantSourceOptions = {},
): DominantSourceFinding | null {
  const o = { ...DEFAULT_DOMINANT_SOURCE_OPTIONS, ...options };
  let best = -1;
  let bestCount = 0;
  let second = -1;
  let secondCount = 0;
  let distinctKeys = 0;
  let sum = 0;
  for (let key = 0; key < countsByKey.length; key++) {
    const c = countsByKey[key]!;
    if (c <= 0) continue;
    distinctKeys++;
    sum += c;
    if (c > bestCount) {
      second = best;
      secondCount = bestCount;
      best = key;
      bestCount = c;
    } else if (c > secondCount) {
      second = key;
      secondCount = c;
    }
  }
  if (sum > total) throw new RangeError(`counts add up to ${sum}, more than the total ${total}`);
  if (best < 0 || bestCount < o.minCount) return null;
  const shareLowerBound = wilsonLowerBound(bestCount, total, o.confidenceZ);
  if (shareLowerBound <= o.minShare) return null;
  return {
    key: best,
    count: bestCount,
    total,
    share: bestCount / total,
    shareLowerBound,
    runnerUp: second < 0 ? null : { key: second, count: secondCount },
    distinctKeys,
  };
}
