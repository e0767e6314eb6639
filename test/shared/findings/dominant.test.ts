import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dominantSource } from '../../../shared/findings/dominant';

/** Counts with `count` events for key 0 and `rest` events spread over keys 1.. one each. */
function counts(count: number, rest: number): Uint32Array {
  const c = new Uint32Array(rest + 1);
  c[0] = count;
  c.fill(1, 1);
  return c;
}

describe('dominantSource', () => {
  it('names the key behind 94 % of a signature, with the numbers an explanation needs', () => {
    const c = new Uint32Array(400);
    c[17] = 16_243;
    c[18] = 300;
    for (let k = 20; k < 400; k++) c[k] = k % 3;
    const total = c.reduce((a, b) => a + b, 0);
    const found = dominantSource(c, total)!;
    expect(found).toMatchObject({
      key: 17,
      count: 16_243,
      total,
      runnerUp: { key: 18, count: 300 },
    });
    expect(found.share).toBeCloseTo(16_243 / total, 12);
    expect(found.share).toBeGreaterThan(0.94);
    expect(found.shareLowerBound).toBeLessThan(found.share);
    expect(found.shareLowerBound).toBeGreaterThan(0.93);
    expect(found.distinctKeys).toBe(2 + 380 - Math.ceil(380 / 3));
  });

  it.each([
    [10, 10, true],
    [9, 9, false],
    [17, 20, true],
    [16, 20, false],
    [24, 30, true],
    [23, 30, false],
    [66, 100, true],
    [65, 100, false],
    [548, 1000, true],
    [547, 1000, false],
    [8838, 17_280, true],
    [8837, 17_280, false],
  ])('%i of %i events: a confident majority is %s', (count, total, expected) => {
    expect(dominantSource(counts(count, total - count), total) !== null).toBe(expected);
  });

  it('counts events without a key in the total', () => {
    const c = Uint32Array.of(0, 60, 10);
    expect(dominantSource(c, 70)?.key).toBe(1);
    expect(dominantSource(c, 200)).toBeNull();
  });

  it('takes other thresholds when asked', () => {
    expect(dominantSource(counts(700, 300), 1000)).not.toBeNull();
    expect(dominantSource(counts(700, 300), 1000, { minShare: 0.75 })).toBeNull();
    expect(dominantSource(counts(12, 0), 12, { minCount: 20 })).toBeNull();
  });

  it('finds nothing in nothing, and refuses counts that exceed the total (a bug in the caller)', () => {
    expect(dominantSource([], 0)).toBeNull();
    expect(dominantSource([0, 0, 0], 5)).toBeNull();
    expect(() => dominantSource([5, 6], 10)).toThrow(RangeError);
  });

  it('names at most one key, one that has a majority, and no key when shares are even', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5000), { maxLength: 30 }), fc.nat(1000), (list, unkeyed) => {
        const total = list.reduce((a, b) => a + b, 0) + unkeyed;
        const found = dominantSource(list, total);
        if (!found) return;
        expect(found.count).toBe(Math.max(...list));
        expect(found.count * 2).toBeGreaterThan(total);
        expect(found.count).toBeGreaterThanOrEqual(10);
        expect(list.filter((c) => c === found.count)).toHaveLength(1);
      }),
    );
    expect(dominantSource(Uint32Array.of(5000, 5000), 10_000)).toBeNull();
  });
});
