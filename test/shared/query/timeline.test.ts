import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_WIDTHS_MS,
  bucketWidth,
  firstRowAtOrAfter,
  MAX_BARS,
  MIN_BARS,
  timeline,
  timeWindow,
  type StackBy,
} from '../../../shared/query/timeline';
import { TAG_CATALOGUE } from '../../../shared/tags/default';
import { ingestColumns, matchable, recordSpec } from './fixtures';

describe('bucketWidth', () => {
  it('gives 100–300 bars for any range of at least 300 ms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000_000 }),
        fc.integer({ min: 300, max: 50 * 365 * 86_400_000 }),
        (from, span) => {
          const width = bucketWidth(from, from + span);
          const start = Math.floor(from / width) * width;
          const bars = Math.ceil((from + span - start) / width);
          expect(bars).toBeLessThanOrEqual(MAX_BARS);
          expect(bars).toBeGreaterThanOrEqual(MIN_BARS);
          expect(BUCKET_WIDTHS_MS).toContain(width);
        },
      ),
    );
  });

  it('picks a second for five minutes, a minute for a few hours, an hour for a week', () => {
    const t = Date.UTC(2024, 2, 5);
    expect(bucketWidth(t, t + 5 * 60_000)).toBe(1000);
    expect(bucketWidth(t, t + 4 * 3_600_000)).toBe(60_000);
    expect(bucketWidth(t, t + 7 * 86_400_000)).toBe(3_600_000);
  });
});

describe('timeline against per-record counting', () => {
  it('counts every record of the selection in its bucket, stacked by level or tag (property)', () => {
    fc.assert(
      fc.property(
        fc.array(recordSpec, { maxLength: 80 }),
        fc.constantFrom<StackBy | undefined>(undefined, 'level', 'tag'),
        fc.integer({ min: 0, max: 4 }),
        fc.option(
          fc.tuple(fc.integer({ min: 0, max: 900_000 }), fc.integer({ min: 1, max: 900_000 })),
        ),
        fc.boolean(),
        (specs, stackBy, top, window, subset) => {
          const ingested = ingestColumns(specs);
          const { index } = ingested;
          const all = ingested.records.map((_, i) => i);
          const chosen = subset ? all.filter((r) => r % 3 !== 1) : all;
          const base = 1_700_000_000_000;
          const range =
            window === null ? {} : { from: base + window[0], to: base + window[0] + window[1] };
          const result = timeline(index, subset ? Uint32Array.from(chosen) : null, {
            ...range,
            ...(stackBy === undefined ? {} : { stackBy }),
            top,
          });
          const timed = chosen.filter((r) => index.timeOf(r) !== null);
          const from = range.from ?? Math.min(...timed.map((r) => index.timeOf(r)!));
          const to = range.to ?? Math.max(...timed.map((r) => index.timeOf(r)!)) + 1;
          if (timed.length > 0 || window !== null) {
            expect(result.from).toBe(from);
            expect(result.to).toBe(to);
          }
          const inRange = timed.filter((r) => index.timeOf(r)! >= from && index.timeOf(r)! < to);
          expect(result.untimed).toBe(chosen.length - timed.length);
          expect(result.outside).toBe(timed.length - inRange.length);
          const bucketOf = (r: number) =>
            Math.floor((index.timeOf(r)! - result.start) / result.bucketMs);
          const totals = new Array<number>(result.totals.length).fill(0);
          for (const r of inRange) totals[bucketOf(r)]!++;
          expect([...result.totals]).toEqual(totals);
          expect(result.start).toBeLessThanOrEqual(result.from);
          expect(result.start + result.totals.length * result.bucketMs).toBeGreaterThanOrEqual(
            result.to,
          );

          if (stackBy === undefined) {
            expect(result.series).toEqual([]);
            return;
          }
          // The reference: rank values by records in range (ties: order of first appearance in
          // the file for levels, catalogue order for tags), then assign each record.
          const valuesOf = (r: number): string[] => {
            const m = matchable(ingested, r);
            return stackBy === 'level' ? (m.level === null ? [] : [m.level]) : [...m.tags];
          };
          const firstSeen = new Map<string, number>();
          all.forEach((r) => valuesOf(r).forEach((v) => firstSeen.has(v) || firstSeen.set(v, r)));
          const tieOrder = (v: string) =>
            stackBy === 'level' ? firstSeen.get(v)! : TAG_CATALOGUE.bitOf(v);
          const counts = new Map<string, number>();
          for (const r of inRange)
            for (const v of valuesOf(r)) counts.set(v, (counts.get(v) ?? 0) + 1);
          const ranked = [...counts.keys()]
            .sort((a, b) => counts.get(b)! - counts.get(a)! || tieOrder(a) - tieOrder(b))
            .slice(0, top);
          const series = new Map<string, number[]>();
          const zero = () => new Array<number>(result.totals.length).fill(0);
          for (const key of [...ranked, '(other)', '(none)']) series.set(key, zero());
          for (const r of inRange) {
            const values = valuesOf(r);
            const key =
              values.length === 0
                ? '(none)'
                : (ranked.find((k) => values.includes(k)) ?? '(other)');
            series.get(key)![bucketOf(r)]!++;
          }
          const expected = [...series.entries()]
            .map(([key, c]) => ({
              kind: key === '(other)' ? 'other' : key === '(none)' ? 'none' : 'value',
              key: key.startsWith('(') ? null : key,
              counts: c,
              total: c.reduce((a, b) => a + b, 0),
            }))
            .filter((s) => s.kind === 'value' || s.total > 0);
          expect(result.series.map((s) => ({ ...s, counts: [...s.counts] }))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('filters a time window and finds the row a bar starts at', () => {
    fc.assert(
      fc.property(
        fc.array(recordSpec, { maxLength: 60 }),
        fc.integer({ min: 0, max: 900_000 }),
        fc.integer({ min: 0, max: 900_000 }),
        (specs, a, span) => {
          const ingested = ingestColumns(specs);
          const { index } = ingested;
          const from = 1_700_000_000_000 + a;
          const to = from + span;
          const all = ingested.records.map((_, i) => i);
          const odd = all.filter((r) => r % 2 === 1);
          const inWindow = (r: number) => {
            const t = index.timeOf(r);
            return t !== null && t >= from && t < to;
          };
          expect([...timeWindow(index, null, from, to)]).toEqual(all.filter(inWindow));
          expect([...timeWindow(index, Uint32Array.from(odd), from, to)]).toEqual(
            odd.filter(inWindow),
          );
          const reversed = Uint32Array.from(all.reverse());
          const row = firstRowAtOrAfter(index, reversed, from);
          expect(row).toBe([...reversed].findIndex((r) => (index.timeOf(r) ?? -Infinity) >= from));
        },
      ),
    );
  });
});
