/**
 * The records the findings read, as the worker's index holds them (one typed array per column,
 * record order), and their grouping into one series of timestamps per key.
 *
 * Memory is the cost that matters here, more than arithmetic: in the VMs we run on, the first
 * touch of fresh memory costs 25–60 µs per 4 KiB page, so a fresh 40 MB array costs more than all
 * the statistics of 5 M timestamps. Hence: the columns are read where they are (a tag mask selects
 * the signature; only a signature of few records gets a list of them, saving a scan of the whole
 * tag column per detector), keys with too few events to qualify are
 * never copied, and the grouped copy goes into scratch memory that the caller keeps and reuses.
 */

/** One signature's records in the worker's columns. */
export interface KeyedRecords {
  /** UTC ms per record; NaN when the record has no time. */
  readonly times: Float64Array;
  /** Key id per record (a dictionary id, an integer); ids outside [0, keyCount) mean "no key". */
  readonly keys: ArrayLike<number>;
  readonly keyCount: number;
  /**
   * When present, record i is one of the signature's when `(tags[i] & mask) !== 0`. `rows`, when
   * given, lists exactly those records, ascending: they are read instead of the whole tag column
   * (worth it for a signature of few records in a big file).
   */
  readonly select?: {
    readonly tags: ArrayLike<number>;
    readonly mask: number;
    readonly rows?: Uint32Array;
  };
  /** Records in use; the columns may be longer (spare capacity). Defaults to times.length. */
  readonly length?: number;
  /**
   * Record indexes in time order, for detectors that walk the records in time: every record (the
   * index's time order), or only the selected ones (`selectedTimeOrder`); null or absent when
   * record order is time order already.
   */
  readonly order?: Uint32Array | null;
}

/**
 * One series of timestamps per key. Key k's series has `offsets[k + 1] - offsets[k]` timestamps
 * (none for keys below the minimum count); `series` copies it out, sorted ascending, as UTC ms.
 * `counts[k]` is key k's number of selected records with a time (whether grouped or not);
 * `total` is the number of selected records, with or without key or time: the denominator of a
 * share of the signature.
 */
export interface TimeGroups {
  readonly offsets: Uint32Array;
  readonly counts: Uint32Array;
  readonly total: number;
  /** The coarsest of 1000, 100, 10 and 1 ms that divides every grouped time; 0 when some are fractional. */
  readonly resolutionMs: number;
  /** Writes key k's series into `into` (at least its length long) and returns its length. */
  series(key: number, into: Float64Array): number;
}

/**
 * Memory for grouped timestamps that outlives one call: grows by half again when too small,
 * never shrinks. Keep one per worker; a call overwrites what the previous one grouped.
 * Timestamps that are whole ticks (seconds, or integer milliseconds within 49 days) are kept as
 * 32-bit tick counts from the earliest one, which halves the memory first touched.
 */
export class GroupScratch {
  ticks = new Uint32Array(0);
  times = new Float64Array(0);

  reserveTicks(length: number): Uint32Array {
    if (this.ticks.length < length) {
      this.ticks = new Uint32Array(Math.max(length, Math.ceil(this.ticks.length * 1.5)));
    }
    return this.ticks;
  }

  reserveTimes(length: number): Float64Array {
    if (this.times.length < length) {
      this.times = new Float64Array(Math.max(length, Math.ceil(this.times.length * 1.5)));
    }
    return this.times;
  }
}

const TICKS = [1000, 100, 10, 1] as const;
const TWO_32 = 2 ** 32;

/**
 * Groups the selected records' times by key, in record order, skipping keys with fewer than
 * `minCount` timed records (no finding can come from them). A key whose records are not in time
 * order (a clock step, merged sources) has its series sorted.
 */
export function groupTimes(
  records: KeyedRecords,
  minCount = 1,
  scratch: GroupScratch = new GroupScratch(),
): TimeGroups {
  const { times, keys, keyCount, select } = records;
  const length = records.length ?? times.length;
  if (keys.length < length || (select && select.tags.length < length)) {
    throw new RangeError('a column is shorter than the records');
  }

  // Pass 1: counts per key, and the range and resolution of the times that will be grouped.
  const counts = new Uint32Array(keyCount);
  let total = 0;
  let earliest = Infinity;
  let latest = -Infinity;
  let tickIndex = 0;
  let lastTicked = NaN;
  const rows = select?.rows;
  for (let j = 0, n = rows ? rows.length : length; j < n; j++) {
    const i = rows ? rows[j]! : j;
    if (!rows && select && (select.tags[i]! & select.mask) === 0) continue;
    total++;
    const k = keys[i]!;
    const t = times[i]!;
    if (!(k >= 0 && k < keyCount) || Number.isNaN(t)) continue;
    counts[k]!++;
    if (t < earliest) earliest = t;
    if (t > latest) latest = t;
    // Ticks only get finer; multiply and round is exact for any timestamp and cheaper than %. A
    // time like the last one checked needs no division (busy logs repeat each second).
    if (t === lastTicked) continue;
    lastTicked = t;
    while (
      tickIndex < TICKS.length &&
      Math.round(t / TICKS[tickIndex]!) * TICKS[tickIndex]! !== t
    ) {
      tickIndex++;
    }
  }
  const tick = tickIndex < TICKS.length ? TICKS[tickIndex]! : 0;

  const offsets = new Uint32Array(keyCount + 1);
  for (let k = 0; k < keyCount; k++) {
    offsets[k + 1] = offsets[k]! + (counts[k]! >= minCount ? counts[k]! : 0);
  }
  const grouped = offsets[keyCount]!;
  const compact = tick > 0 && (latest - earliest) / tick < TWO_32;
  const cursor = offsets.slice(0, keyCount);

  if (compact) {
    const ticks = scratch.reserveTicks(grouped);
    const inverse = 1 / tick;
    forEachGrouped(records, length, counts, minCount, (k, t) => {
      ticks[cursor[k]!++] = Math.round((t - earliest) * inverse);
    });
    sortEachGroup(ticks, offsets, keyCount);
    return {
      offsets,
      counts,
      total,
      resolutionMs: tick,
      series(key, into) {
        const start = offsets[key]!;
        const n = offsets[key + 1]! - start;
        for (let i = 0; i < n; i++) into[i] = earliest + ticks[start + i]! * tick;
        return n;
      },
    };
  }
  const wide = scratch.reserveTimes(grouped);
  forEachGrouped(records, length, counts, minCount, (k, t) => {
    wide[cursor[k]!++] = t;
  });
  sortEachGroup(wide, offsets, keyCount);
  return {
    offsets,
    counts,
    total,
    resolutionMs: tick,
    series(key, into) {
      const start = offsets[key]!;
      const n = offsets[key + 1]! - start;
      into.set(wide.subarray(start, start + n));
      return n;
    },
  };
}

/** Calls `take(key, time)` for every selected, timed record of a key with at least minCount. */
function forEachGrouped(
  records: KeyedRecords,
  length: number,
  counts: Uint32Array,
  minCount: number,
  take: (key: number, time: number) => void,
): void {
  const { times, keys, keyCount, select } = records;
  // Separate loops rather than one with a per-record branch on `select`: this is the hot path.
  if (select?.rows) {
    for (const i of select.rows) {
      const k = keys[i]!;
      const t = times[i]!;
      if (k >= 0 && k < keyCount && counts[k]! >= minCount && !Number.isNaN(t)) take(k, t);
    }
  } else if (select) {
    const { tags, mask } = select;
    for (let i = 0; i < length; i++) {
      if ((tags[i]! & mask) === 0) continue;
      const k = keys[i]!;
      const t = times[i]!;
      if (k >= 0 && k < keyCount && counts[k]! >= minCount && !Number.isNaN(t)) take(k, t);
    }
  } else {
    for (let i = 0; i < length; i++) {
      const k = keys[i]!;
      const t = times[i]!;
      if (k >= 0 && k < keyCount && counts[k]! >= minCount && !Number.isNaN(t)) take(k, t);
    }
  }
}

function sortEachGroup(
  values: Uint32Array | Float64Array,
  offsets: Uint32Array,
  keyCount: number,
): void {
  for (let k = 0; k < keyCount; k++) {
    const start = offsets[k]!;
    const end = offsets[k + 1]!;
    for (let i = start + 1; i < end; i++) {
      if (values[i]! < values[i - 1]!) {
        values.subarray(start, end).sort();
        break;
      }
    }
  }
}
