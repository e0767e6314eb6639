/**
 * Time orders: every record's (the grid's time sort) and one signature's (a findings walk). Both
 * must be exactly a stable sort by time with timeless records last, and null when nothing moves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectedTimeOrder, timeOrder } from '../../../shared/index/order';

/** The order by a plain stable sort: time, then file position; no time sorts last. */
function reference(times: Float64Array, indexes: number[]): number[] {
  const key = (i: number): number => (Number.isNaN(times[i]!) ? Infinity : times[i]!);
  return [...indexes].sort((a, b) => key(a) - key(b) || a - b);
}

/** Times as logs have them: mostly rising, with repeats, steps back, and records without one. */
const times = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }) },
      { weight: 1, arbitrary: fc.integer({ min: -20, max: -1 }) },
      { weight: 1, arbitrary: fc.constant(NaN) },
    ),
    { maxLength: 300 },
  )
  .map((steps) => {
    let t = 1_000;
    return Float64Array.from(steps, (step) => (Number.isNaN(step) ? NaN : (t += step)));
  });

describe('timeOrder', () => {
  it('is a stable sort by time with timeless records last, or null when nothing moves', () => {
    fc.assert(
      fc.property(times, (column) => {
        const all = Array.from({ length: column.length }, (_, i) => i);
        const expected = reference(column, all);
        const order = timeOrder(column, column.length);
        expect(order === null ? all : [...order]).toEqual(expected);
        if (order !== null) expect(expected).not.toEqual(all);
      }),
      { numRuns: 500 },
    );
  });
});

describe('selectedTimeOrder', () => {
  it('orders exactly the selected records, stably, or is null when they are in order', () => {
    fc.assert(
      fc.property(
        times.chain((column) =>
          fc.tuple(
            fc.constant(column),
            fc.array(fc.integer({ min: 0, max: 7 }), {
              minLength: column.length,
              maxLength: column.length,
            }),
            fc.integer({ min: 1, max: 7 }),
          ),
        ),
        ([column, tags, mask]) => {
          const picked = Array.from({ length: column.length }, (_, i) => i).filter(
            (i) => (tags[i]! & mask) !== 0,
          );
          const expected = reference(column, picked);
          const order = selectedTimeOrder(column, column.length, tags, mask);
          expect(order === null ? picked : [...order]).toEqual(expected);
          if (order !== null) expect(expected).not.toEqual(picked);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads only the records in use, not spare capacity', () => {
    const column = Float64Array.of(5, 3, 9, 1);
    expect([...selectedTimeOrder(column, 2, [1, 1, 1, 1], 1)!]).toEqual([1, 0]);
    expect(selectedTimeOrder(column, 1, [1, 1, 1, 1], 1)).toBeNull();
  });
});
