import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GroupScratch, groupTimes, type TimeGroups } from '../../../shared/findings/records';

/** Key k's grouped series as a plain array. */
function seriesOf(groups: TimeGroups, key: number): number[] {
  const into = new Float64Array(groups.offsets[key + 1]! - groups.offsets[key]!);
  return Array.from(into.subarray(0, groups.series(key, into)));
}

const record = fc.record({
  time: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(NaN)),
  key: fc.integer({ min: -1, max: 6 }),
  tags: fc.nat(7),
});

describe('groupTimes', () => {
  it('groups the selected, timed records of every key that has enough of them, sorted by time, whether they are listed or found by their tags', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 200 }),
        fc.nat(3),
        fc.integer({ min: 1, max: 7 }),
        fc.nat(10),
        (records, minCount, mask, spare) => {
          const keyCount = 5;
          // Columns with spare capacity past `length`, as the worker's columns have.
          const pad = <T>(list: T[], filler: T): T[] => [...list, ...Array<T>(spare).fill(filler)];
          // The selection by tag mask alone, and with the list of its records (as sparse
          // signatures get it): the same groups.
          const listed = Uint32Array.from(
            records.flatMap((r, i) => ((r.tags & mask) !== 0 ? [i] : [])),
          );
          for (const rows of [undefined, listed]) {
            const groups = groupTimes(
              {
                times: Float64Array.from(
                  pad(
                    records.map((r) => r.time),
                    0,
                  ),
                ),
                keys: Int32Array.from(
                  pad(
                    records.map((r) => r.key),
                    0,
                  ),
                ),
                keyCount,
                select: {
                  tags: Uint8Array.from(
                    pad(
                      records.map((r) => r.tags),
                      7,
                    ),
                  ),
                  mask,
                  rows,
                },
                length: records.length,
              },
              minCount,
            );
            const selected = records.filter((r) => (r.tags & mask) !== 0);
            expect(groups.total).toBe(selected.length);
            for (let k = 0; k < keyCount; k++) {
              const timed = selected.filter((r) => r.key === k && !Number.isNaN(r.time));
              expect(groups.counts[k]).toBe(timed.length);
              const expected =
                timed.length >= minCount ? timed.map((r) => r.time).sort((a, b) => a - b) : [];
              expect(seriesOf(groups, k)).toEqual(expected);
            }
          }
        },
      ),
    );
  });

  it('takes every record when there is no selection', () => {
    const groups = groupTimes({ times: Float64Array.of(3, 1, 2), keys: [0, 0, 1], keyCount: 2 });
    expect(seriesOf(groups, 0)).toEqual([1, 3]);
    expect(seriesOf(groups, 1)).toEqual([2]);
    expect(Array.from(groups.offsets)).toEqual([0, 2, 3]);
    expect(groups.total).toBe(3);
  });

  it('reuses its scratch memory from call to call', () => {
    const scratch = new GroupScratch();
    const records = {
      times: new Float64Array(100).fill(5),
      keys: new Uint8Array(100),
      keyCount: 1,
    };
    groupTimes(records, 1, scratch);
    const memory = scratch.ticks.buffer;
    const second = groupTimes({ ...records, length: 50 }, 1, scratch);
    expect(scratch.ticks.buffer).toBe(memory);
    expect(second.offsets[1]).toBe(50);
    expect(seriesOf(second, 0)).toEqual(Array<number>(50).fill(5));
  });

  it('refuses columns shorter than the records (a bug in the caller)', () => {
    expect(() =>
      groupTimes({ times: new Float64Array(3), keys: new Uint8Array(2), keyCount: 1 }),
    ).toThrow(RangeError);
    expect(() =>
      groupTimes({
        times: new Float64Array(3),
        keys: new Uint8Array(3),
        keyCount: 1,
        select: { tags: new Uint8Array(1), mask: 1 },
      }),
    ).toThrow(RangeError);
  });
});
