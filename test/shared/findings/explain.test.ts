import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count } from '../../../shared/findings/explain';

describe('count', () => {
  it('writes any whole number as en-US does, with thousands separators', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.maxSafeNat()), (n) => {
        expect(count(n)).toBe(n.toLocaleString('en-US'));
      }),
      { numRuns: 2000 },
    );
    expect([0, 999, 1000, 12_345, 1_000_000, -4_321].map(count)).toEqual([
      '0',
      '999',
      '1,000',
      '12,345',
      '1,000,000',
      '-4,321',
    ]);
  });
});
