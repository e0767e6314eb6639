/**
 * Row order of a view. File order is the identity; time order is a permutation of record
 * indexes, computed by a stable natural merge sort (logs are almost always in time order already,
 * so finding the runs is most of the work). Records without a time sort after all others.
 * Also the search the index's sorted lists share (line shifts, contexts, offsets).
 */

/**
 * The last `i` in `[from, to)` whose key is at or before `value`, keys never decreasing along
 * the range; `from - 1` when none is.
 */
export function lastAtOrBefore(
  from: number,
  to: number,
  value: number,
  keyOf: (i: number) => number,
): number {
  let lo = from;
  let hi = to - 1;
  let found = from - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(mid) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A record's sort key: its time, records without one after all others. */
function timeKey(times: Float64Array): (i: number) => number {
  return (i) => {
    const t = times[i]!;
    return Number.isNaN(t) ? Infinity : t;
  };
}

/**
 * Record indexes `[0, count)` ordered by time, ties in file order; null when the records are
 * already in that order (the common case), so callers can skip the permutation entirely.
 */
export function timeOrder(times: Float64Array, count: number): Uint32Array | null {
  const key = timeKey(times);
  let sorted = true;
  for (let i = 1; i < count; i++) {
    if (key(i) < key(i - 1)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return null;
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return sortByTime(order, key);
}

/**
 * The indexes of the records `[0, count)` with `(tags[i] & mask) !== 0`, ordered by time, ties
 * in file order; null when they are in that order already. For a walk through one signature's
 * records in time: its cost is the file's tag column and the signature's records, where a time
 * order of the whole file sorts every record.
 */
export function selectedTimeOrder(
  times: Float64Array,
  count: number,
  tags: ArrayLike<number>,
  mask: number,
): Uint32Array | null {
  const key = timeKey(times);
  let selected = 0;
  let sorted = true;
  let last = -Infinity;
  for (let i = 0; i < count; i++) {
    if ((tags[i]! & mask) === 0) continue;
    selected++;
    const t = key(i);
    if (t < last) sorted = false;
    last = t;
  }
  if (sorted) return null;
  const order = new Uint32Array(selected);
  for (let i = 0, n = 0; n < selected; i++) if ((tags[i]! & mask) !== 0) order[n++] = i;
  return sortByTime(order, key);
}

/** `rows` (record indexes, ascending) in time order, ties in file order: `rows` itself when in it. */
export function orderByTime(
  times: Float64Array,
  rows: Uint32Array<ArrayBuffer>,
): Uint32Array<ArrayBuffer> {
  const key = timeKey(times);
  for (let j = 1; j < rows.length; j++)
    if (key(rows[j]!) < key(rows[j - 1]!)) return sortByTime(rows.slice(), key);
  return rows;
}

/** `order` (record indexes, ascending) sorted by `key`, stably: a natural merge sort. */
function sortByTime(
  order: Uint32Array<ArrayBuffer>,
  key: (i: number) => number,
): Uint32Array<ArrayBuffer> {
  const count = order.length;
  let spare = new Uint32Array(count);
  // Natural runs: maximal non-decreasing stretches in file order.
  const runs: number[] = [0];
  for (let i = 1; i < count; i++) if (key(order[i]!) < key(order[i - 1]!)) runs.push(i);
  runs.push(count);
  let bounds = runs;
  while (bounds.length > 2) {
    const next: number[] = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const lo = bounds[r]!;
      const mid = bounds[r + 1]!;
      const hi = r + 2 < bounds.length ? bounds[r + 2]! : mid;
      let a = lo;
      let b = mid;
      let out = lo;
      while (a < mid && b < hi) {
        // `<=` keeps equal times in file order (stability).
        if (key(order[a]!) <= key(order[b]!)) spare[out++] = order[a++]!;
        else spare[out++] = order[b++]!;
      }
      while (a < mid) spare[out++] = order[a++]!;
      while (b < hi) spare[out++] = order[b++]!;
      next.push(hi);
    }
    if (next[next.length - 1] !== count) next.push(count);
    const swap = order;
    order = spare;
    spare = swap;
    bounds = next;
  }
  return order;
}

/** Inverse of a permutation: position of each record in the order. */
export function inverse(order: Uint32Array): Uint32Array {
  const positions = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) positions[order[i]!] = i;
  return positions;
}
