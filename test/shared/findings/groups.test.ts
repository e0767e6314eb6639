import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupTimes } from '../../../shared/findings/groups';

describe('groupTimes', () => {
  it('puts every record with a group and a time into its group, sorted by time', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            time: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(NaN)),
            group: fc.integer({ min: -1, max: 6 }),
            key: fc.nat(50),
          }),
          { maxLength: 200 },
        ),
        (records) => {
          const groupCount = 5;
          const result = groupTimes(
            Float64Array.from(records, (r) => r.time),
            Int32Array.from(records, (r) => r.group),
            groupCount,
            Uint32Array.from(records, (r) => r.key),
          );
          expect(result.offsets).toHaveLength(groupCount + 1);
          for (let g = 0; g < groupCount; g++) {
            const expected = records
              .filter((r) => r.group === g && !Number.isNaN(r.time))
              .map((r) => [r.time, r.key])
              // Stable: records with equal times keep their order, and their keys.
              .sort((a, b) => a[0]! - b[0]!);
            const start = result.offsets[g]!;
            const end = result.offsets[g + 1]!;
            const actual = Array.from({ length: end - start }, (_, i) => [
              result.times[start + i],
              result.keys![start + i],
            ]);
            expect(actual).toEqual(expected);
          }
        },
      ),
    );
  });

  it('leaves out groups outside [0, groupCount) and fractional ones', () => {
    const result = groupTimes(Float64Array.of(1, 2, 3, 4), Float64Array.of(0, 2, 1.5, -3), 2);
    expect(Array.from(result.offsets)).toEqual([0, 1, 1]);
    expect(Array.from(result.times)).toEqual([1]);
    expect(result.keys).toBeUndefined();
  });

  it('refuses columns shorter than the times (a bug in the caller)', () => {
    expect(() => groupTimes(new Float64Array(3), new Uint8Array(2), 1)).toThrow(RangeError);
    expect(() => groupTimes(new Float64Array(3), new Uint8Array(3), 1, new Uint32Array(1))).toThrow(
      RangeError,
    );
  });
});
