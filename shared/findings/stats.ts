/**
 * Small robust statistics on typed arrays, written for the findings' hot paths: no allocation,
 * no comparator callbacks, linear time.
 */

/** MAD × this estimates the standard deviation of normally distributed values. */
const MAD_TO_SIGMA = 1.4826;

/**
 * Rearranges `values[0, length)` so that `values[k]` holds the k-th smallest of them (0-based),
 * everything before it is not larger and everything after it not smaller (Hoare's selection with a
 * median-of-three pivot). Average linear time; the array is scratch and is reordered.
 */
export function selectInPlace(values: Float64Array, length: number, k: number): number {
  if (k < 0 || k >= length) throw new RangeError(`select ${k} of ${length}`);
  let lo = 0;
  let hi = length - 1;
  while (hi > lo) {
    if (hi === lo + 1) {
      // Two values: mid would equal lo, and the median-of-three writes below would clobber one.
      if (values[lo]! > values[hi]!) {
        const t = values[lo]!;
        values[lo] = values[hi]!;
        values[hi] = t;
      }
      break;
    }
    const mid = (lo + hi) >>> 1;
    // Median of three, moved to `mid`, keeps sorted and reversed input linear.
    let a = values[lo]!;
    let b = values[mid]!;
    let c = values[hi]!;
    if (a > b) [a, b] = [b, a];
    if (b > c) [b, c] = [c, b];
    if (a > b) [a, b] = [b, a];
    values[lo] = a;
    values[mid] = b;
    values[hi] = c;
    const pivot = b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

/** Median of `values[0, length)` (mean of the two middle values when even); reorders them. */
export function medianInPlace(values: Float64Array, length: number): number {
  if (length === 0) return NaN;
  const upper = selectInPlace(values, length, length >>> 1);
  if (length % 2 === 1) return upper;
  // After selection everything below length/2 is ≤ upper: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < length >>> 1; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

/**
 * Robust standard deviation of `values[0, length)`: 1.4826 × the median absolute deviation from
 * the median. Unlike the standard deviation, a few wild values (a missed beat that slipped into a
 * band, a stray event) cannot inflate it. Overwrites the values.
 */
export function robustSigmaInPlace(values: Float64Array, length: number): number {
  if (length === 0) return NaN;
  const center = medianInPlace(values, length);
  for (let i = 0; i < length; i++) values[i] = Math.abs(values[i]! - center);
  return MAD_TO_SIGMA * medianInPlace(values, length);
}

/**
 * log10 of an upper bound on P(X ≥ successes) for X ~ Binomial(trials, p): the Chernoff bound
 * exp(−trials · KL(successes/trials ‖ p)). It is never smaller than the true tail, so a
 * significance derived from it errs on the side of "not significant". 0 when successes ≤ trials·p.
 */
export function binomialTailLog10(trials: number, p: number, successes: number): number {
  if (trials <= 0 || successes <= trials * p) return 0;
  if (p <= 0) return -Infinity;
  if (p >= 1) return 0;
  const a = Math.min(1, successes / trials);
  const kl =
    a === 1 ? Math.log(1 / p) : a * Math.log(a / p) + (1 - a) * Math.log((1 - a) / (1 - p));
  return (-trials * kl) / Math.LN10;
}

/**
 * Lower end of the Wilson score interval for a proportion `successes / trials` at `z` standard
 * errors: the smallest true share that is still consistent with what was counted. It behaves well
 * for small counts and shares near 0 or 1, where the textbook normal interval does not.
 */
export function wilsonLowerBound(successes: number, trials: number, z: number): number {
  if (trials <= 0) return 0;
  const p = successes / trials;
  const z2 = z * z;
  const center = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.max(0, (center - spread) / (1 + z2 / trials));
}
