import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  binomialTailLog10,
  medianInPlace,
  robustSigmaInPlace,
  selectInPlace,
  wilsonLowerBound,
} from '../../../shared/findings/stats';
import { Random, normal } from '../../helpers/arrivals';

// Quarters of integers: ties and fractions, without -0 and subnormals (no timestamp is either).
const values = fc.array(
  fc.integer({ min: -4e6, max: 4e6 }).map((i) => i / 4),
  { minLength: 1, maxLength: 200 },
);

describe('selection and median', () => {
  it('selects the k-th smallest value, as sorting would', () => {
    fc.assert(
      fc.property(values, fc.nat(), (list, k0) => {
        const k = k0 % list.length;
        const sortedCopy = [...list].sort((a, b) => a - b);
        const scratch = Float64Array.from(list);
        expect(selectInPlace(scratch, scratch.length, k)).toBe(sortedCopy[k]);
        // Everything before k is not larger, everything after not smaller.
        for (let i = 0; i < k; i++) expect(scratch[i]).toBeLessThanOrEqual(sortedCopy[k]!);
        for (let i = k + 1; i < list.length; i++) {
          expect(scratch[i]).toBeGreaterThanOrEqual(sortedCopy[k]!);
        }
      }),
    );
  });

  it('takes the median of odd and even counts, with ties and sorted or reversed input', () => {
    fc.assert(
      fc.property(values, (list) => {
        const sortedCopy = [...list].sort((a, b) => a - b);
        const n = list.length;
        const expected =
          n % 2 ? sortedCopy[n >> 1]! : (sortedCopy[n / 2 - 1]! + sortedCopy[n / 2]!) / 2;
        for (const input of [list, sortedCopy, [...sortedCopy].reverse()]) {
          expect(medianInPlace(Float64Array.from(input), n)).toBe(expected);
        }
      }),
    );
    expect(medianInPlace(Float64Array.of(5, 5, 5, 5), 4)).toBe(5);
    expect(medianInPlace(new Float64Array(0), 0)).toBeNaN();
  });

  it('reads only the first `length` values', () => {
    expect(medianInPlace(Float64Array.of(3, 1, 2, 100, 100), 3)).toBe(2);
  });
});

describe('robustSigmaInPlace', () => {
  it('estimates the standard deviation of normal values', () => {
    const rng = new Random(11);
    const sample = Float64Array.from({ length: 20_000 }, () => 5 + 2 * normal(rng));
    expect(robustSigmaInPlace(sample, sample.length)).toBeCloseTo(2, 1);
  });

  it('ignores a minority of wild values', () => {
    const rng = new Random(12);
    const sample = Float64Array.from({ length: 1000 }, (_, i) =>
      i % 10 === 0 ? 1e9 : normal(rng),
    );
    expect(robustSigmaInPlace(sample, sample.length)).toBeLessThan(1.3);
  });
});

/** log10 of the exact binomial upper tail, summed in log space (tails reach 1e-400). */
function exactTailLog10(n: number, p: number, k: number): number {
  let logChoose = 0;
  const terms: number[] = [];
  for (let i = 0; i <= n; i++) {
    if (i > 0) logChoose += Math.log((n - i + 1) / i);
    if (i >= k) terms.push(logChoose + i * Math.log(p) + (n - i) * Math.log1p(-p));
  }
  const top = Math.max(...terms);
  return (top + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - top), 0))) / Math.LN10;
}

describe('binomialTailLog10', () => {
  it('is an upper bound on the exact tail, and not a loose one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.001, max: 0.9, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, p, fraction) => {
          const k = Math.round(fraction * n);
          const bound = binomialTailLog10(n, p, k);
          const exact = exactTailLog10(n, p, k);
          expect(bound).toBeGreaterThanOrEqual(exact - 1e-9);
          // Chernoff is within a factor of about √n of the truth (here: 2 decades at n = 300).
          if (k > n * p) expect(bound - exact).toBeLessThan(0.5 * Math.log10(n) + 1.5);
        },
      ),
    );
  });

  it('is 0 (no evidence) at or below the expected count', () => {
    expect(binomialTailLog10(100, 0.2, 20)).toBe(0);
    expect(binomialTailLog10(100, 0.2, 5)).toBe(0);
    expect(binomialTailLog10(0, 0.2, 0)).toBe(0);
  });

  it('gives all successes the probability p^n', () => {
    expect(binomialTailLog10(10, 0.1, 10)).toBeCloseTo(-10, 10);
  });
});

describe('wilsonLowerBound', () => {
  it('is below the observed share and rises towards it with more trials', () => {
    expect(wilsonLowerBound(9, 10, 3)).toBeLessThan(0.9);
    const bounds = [10, 100, 1000, 10_000].map((n) => wilsonLowerBound(0.9 * n, n, 3));
    for (let i = 1; i < bounds.length; i++) expect(bounds[i]).toBeGreaterThan(bounds[i - 1]!);
    expect(bounds[3]).toBeCloseTo(0.9, 1);
  });

  it('is 0 for no trials and never negative', () => {
    expect(wilsonLowerBound(0, 0, 3)).toBe(0);
    expect(wilsonLowerBound(0, 5, 3)).toBeGreaterThanOrEqual(0);
    expect(wilsonLowerBound(0, 5, 3)).toBeLessThan(1e-12);
  });
});
