/**
 * The timeline: a histogram of a selection's records over a time range, optionally stacked by
 * level or by tag, and the time-window filter that dragging on it applies. One pass over the
 * selection with typed arrays; the renderer receives buckets, never records.
 */
import type { LogIndex } from '../index/log-index';
import { TAG_CATALOGUE } from '../tags/default';
import type { TagCatalogue } from '../tags/tagger';
import { RecordList } from './bits';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Bucket widths a person reads at a glance, each at most 2.5 times the one before, so that some
 * width always gives between {@link MIN_BARS} and {@link MAX_BARS} bars (for ranges long enough).
 */
export const BUCKET_WIDTHS_MS: readonly number[] = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  5 * DAY,
  10 * DAY,
  20 * DAY,
  30 * DAY,
  60 * DAY,
  120 * DAY,
  240 * DAY,
  365 * DAY,
];
export const MIN_BARS = 100;
export const MAX_BARS = 300;

/**
 * The narrowest width from the list that needs at most {@link MAX_BARS} bars for `[from, to)`
 * (aligned to multiples of the width, in UTC). Widths grow by at most 2.5×, so a range of more
 * than 250 ms gets more than 100 bars.
 */
export function bucketWidth(from: number, to: number): number {
  for (const width of BUCKET_WIDTHS_MS) if (barsFor(from, to, width) <= MAX_BARS) return width;
  // Ranges past centuries: widen the last step until it fits.
  let width = BUCKET_WIDTHS_MS[BUCKET_WIDTHS_MS.length - 1]!;
  while (barsFor(from, to, width) > MAX_BARS) width *= 2;
  return width;
}

function barsFor(from: number, to: number, width: number): number {
  const start = Math.floor(from / width) * width;
  return Math.max(1, Math.ceil((to - start) / width));
}

export type StackBy = 'level' | 'tag';

export interface TimelineOptions {
  /** Time range `[from, to)` in UTC ms; default: the selection's first time to just past its last. */
  readonly from?: number;
  readonly to?: number;
  /** Bucket width in ms; default: {@link bucketWidth}. */
  readonly bucketMs?: number;
  readonly stackBy?: StackBy;
  /** Series for the most frequent values (default 6); the rest are summed as `other`. */
  readonly top?: number;
}

export interface TimelineSeries {
  /** `value`: one level or tag; `other`: the values past the top ones; `none`: no level, no tag. */
  readonly kind: 'value' | 'other' | 'none';
  /** The level or tag id (null for `other` and `none`). */
  readonly key: string | null;
  /** Records per bucket. */
  readonly counts: Uint32Array;
  /** Records in the range. */
  readonly total: number;
}

export interface Timeline {
  /** Start of the first bucket (a multiple of `bucketMs`), UTC ms. */
  readonly start: number;
  readonly bucketMs: number;
  /** The range asked for, `[from, to)`. */
  readonly from: number;
  readonly to: number;
  /** Records per bucket, within `[from, to)`. */
  readonly totals: Uint32Array;
  /**
   * With `stackBy`: the series, largest first, then `other` and `none`. They add up to `totals`
   * bucket by bucket: a record with several tags is counted under the first of its tags in series
   * order, so the stack's height is the number of records.
   */
  readonly series: readonly TimelineSeries[];
  /** Records of the selection without a time. */
  readonly untimed: number;
  /** Records with a time outside `[from, to)`. */
  readonly outside: number;
}

/** Earliest and latest time among `selection` (null: every record), or null when none has one. */
export function timeRange(
  index: LogIndex,
  selection: Uint32Array | null,
): { first: number; last: number } | null {
  const times = index.timeColumn();
  const n = selection === null ? index.count : selection.length;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = times[selection === null ? i : selection[i]!]!;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return Number.isFinite(first) ? { first, last } : null;
}

/** The histogram of `selection` (record indexes; null: every record). */
export function timeline(
  index: LogIndex,
  selection: Uint32Array | null,
  options: TimelineOptions = {},
  catalogue: TagCatalogue = TAG_CATALOGUE,
): Timeline {
  const times = index.timeColumn();
  const n = selection === null ? index.count : selection.length;
  const range =
    options.from === undefined || options.to === undefined ? timeRange(index, selection) : null;
  const from = options.from ?? range?.first ?? 0;
  const to = options.to ?? (range === null ? from + 1 : range.last + 1);
  const bucketMs =
    options.bucketMs !== undefined && options.bucketMs > 0
      ? options.bucketMs
      : bucketWidth(from, Math.max(to, from + 1));
  const start = Math.floor(from / bucketMs) * bucketMs;
  const buckets = Math.max(1, Math.ceil((to - start) / bucketMs));
  const totals = new Uint32Array(buckets);
  const top = Math.max(0, options.top ?? 6);

  // Series slots: for levels, one per dictionary id; for tags, one per tag bit.
  let stackIds: Uint8Array | Uint16Array | Uint32Array | null = null;
  let tags: Uint32Array | null = null;
  let seriesOf: Int32Array | null = null;
  let seriesKeys: { kind: TimelineSeries['kind']; key: string | null }[] = [];
  /** For tags: bits in series order, so a record with several tags goes to the first. */
  let tagOrder: number[] = [];
  const stackBy = options.stackBy;
  if (stackBy === 'level') {
    stackIds = index.idColumn('level');
    const dictionary = index.dictionary('level');
    const counts = new Uint32Array(dictionary.size + 1);
    forEachInRange(times, selection, n, from, to, (r) => {
      counts[stackIds === null ? 0 : stackIds[r]!]!++;
    });
    const ranked = rank(counts, 1, top);
    seriesOf = new Int32Array(counts.length).fill(ranked.length);
    ranked.forEach((id, i) => (seriesOf![id] = i));
    seriesKeys = ranked.map((id) => ({ kind: 'value' as const, key: dictionary.value(id) }));
    seriesOf[0] = ranked.length + 1;
    seriesKeys.push({ kind: 'other', key: null }, { kind: 'none', key: null });
  } else if (stackBy === 'tag') {
    tags = index.tagColumn();
    const counts = new Uint32Array(32);
    forEachInRange(times, selection, n, from, to, (r) => {
      let mask = tags === null ? 0 : tags[r]!;
      while (mask !== 0) {
        const low = mask & -mask;
        mask ^= low;
        counts[31 - Math.clz32(low)]!++;
      }
    });
    tagOrder = rank(counts, 0, top);
    seriesKeys = tagOrder.map((bit) => ({
      kind: 'value' as const,
      key: catalogue.definitions[bit]?.id ?? `tag-${bit}`,
    }));
    seriesKeys.push({ kind: 'other', key: null }, { kind: 'none', key: null });
  }
  const seriesCounts = seriesKeys.map(() => new Uint32Array(buckets));
  const tagSeries = new Int32Array(32).fill(tagOrder.length);
  tagOrder.forEach((bit, i) => (tagSeries[bit] = i));

  let untimed = 0;
  let outside = 0;
  for (let i = 0; i < n; i++) {
    const r = selection === null ? i : selection[i]!;
    const t = times[r]!;
    if (Number.isNaN(t)) {
      untimed++;
      continue;
    }
    if (t < from || t >= to) {
      outside++;
      continue;
    }
    const bucket = Math.floor((t - start) / bucketMs);
    totals[bucket]!++;
    if (seriesOf !== null) {
      seriesCounts[seriesOf[stackIds === null ? 0 : stackIds[r]!]!]![bucket]!++;
    } else if (stackBy === 'tag') {
      const mask = tags === null ? 0 : tags[r]!;
      let series = seriesKeys.length - 1; // none
      if (mask !== 0) {
        series = tagOrder.length; // other, unless one of the top tags is there
        for (let s = 0; s < tagOrder.length; s++)
          if ((mask & (1 << tagOrder[s]!)) !== 0) {
            series = s;
            break;
          }
      }
      seriesCounts[series]![bucket]!++;
    }
  }
  const series: TimelineSeries[] = seriesKeys.map((k, i) => {
    const counts = seriesCounts[i]!;
    let total = 0;
    for (const c of counts) total += c;
    return { ...k, counts, total };
  });
  return {
    start,
    bucketMs,
    from,
    to,
    totals,
    // `other` and `none` only when they hold something.
    series: series.filter((s) => s.kind === 'value' || s.total > 0),
    untimed,
    outside,
  };
}

/** Slots `[firstSlot, counts.length)` with a count, by count descending then slot, at most `top`. */
function rank(counts: Uint32Array, firstSlot: number, top: number): number[] {
  const slots: number[] = [];
  for (let s = firstSlot; s < counts.length; s++) if (counts[s] !== 0) slots.push(s);
  slots.sort((a, b) => counts[b]! - counts[a]! || a - b);
  return slots.slice(0, top);
}

function forEachInRange(
  times: Float64Array,
  selection: Uint32Array | null,
  n: number,
  from: number,
  to: number,
  visit: (record: number) => void,
): void {
  for (let i = 0; i < n; i++) {
    const r = selection === null ? i : selection[i]!;
    const t = times[r]!;
    if (t >= from && t < to) visit(r);
  }
}

/**
 * The records of `selection` (null: every record) whose time is in `[from, to)`, in the
 * selection's order. Records without a time are outside every window.
 */
export function timeWindow(
  index: LogIndex,
  selection: Uint32Array | null,
  from: number,
  to: number,
): Uint32Array {
  const times = index.timeColumn();
  const n = selection === null ? index.count : selection.length;
  const out = new RecordList(Math.min(n, 1 << 16));
  for (let i = 0; i < n; i++) {
    const r = selection === null ? i : selection[i]!;
    const t = times[r]!;
    if (t >= from && t < to) out.push(r);
  }
  return out.view().slice();
}

/**
 * The first position in `rows` (record indexes in view order; null: every record in file order)
 * whose record's time is at or after `time`, or -1. For a click on a bar: the grid scrolls to it.
 * In time order this is the bar's first record; in file order, the first record of the file
 * that reaches the bar.
 */
export function firstRowAtOrAfter(index: LogIndex, rows: Uint32Array | null, time: number): number {
  const times = index.timeColumn();
  const n = rows === null ? index.count : rows.length;
  for (let i = 0; i < n; i++) if (times[rows === null ? i : rows[i]!]! >= time) return i;
  return -1;
}
