/**
 * Groups of timestamps in one flat array (compressed-sparse-row layout): the form in which the
 * findings read many series at once without an object per series or per event.
 */

/**
 * Group g's timestamps are `times[offsets[g], offsets[g + 1])`, sorted ascending (UTC ms).
 * `offsets` has one entry more than there are groups. `keys`, when present, runs parallel to
 * `times` (for bursts: which key each event came from).
 */
export interface TimeGroups {
  readonly times: Float64Array;
  readonly offsets: Uint32Array;
  readonly keys?: Uint32Array;
}

/**
 * Gathers records into groups with a counting sort: record i goes to group `groupOf[i]`, in
 * record order. Records whose group is not an integer in [0, groupCount) or whose time is NaN
 * (no timestamp) belong to no group. A group whose records are not in time order (several files,
 * clock steps) is sorted; the common sorted case costs one comparison per record.
 * `keyOf[i]`, when given, travels with record i into `keys`.
 */
export function groupTimes(
  times: Float64Array,
  groupOf: ArrayLike<number>,
  groupCount: number,
  keyOf?: ArrayLike<number>,
): TimeGroups {
  const records = times.length;
  if (groupOf.length < records) throw new RangeError('groupOf is shorter than times');
  if (keyOf && keyOf.length < records) throw new RangeError('keyOf is shorter than times');
  const offsets = new Uint32Array(groupCount + 1);
  for (let i = 0; i < records; i++) {
    const g = groupOf[i]!;
    if (g >= 0 && g < groupCount && Number.isInteger(g) && !Number.isNaN(times[i]!))
      offsets[g + 1]!++;
  }
  for (let g = 0; g < groupCount; g++) offsets[g + 1] = offsets[g + 1]! + offsets[g]!;

  const total = offsets[groupCount]!;
  const grouped = new Float64Array(total);
  const keys = keyOf ? new Uint32Array(total) : undefined;
  const cursor = offsets.slice(0, groupCount);
  for (let i = 0; i < records; i++) {
    const g = groupOf[i]!;
    if (!(g >= 0 && g < groupCount && Number.isInteger(g)) || Number.isNaN(times[i]!)) continue;
    const at = cursor[g]!++;
    grouped[at] = times[i]!;
    if (keys) keys[at] = keyOf![i]!;
  }

  for (let g = 0; g < groupCount; g++) {
    const start = offsets[g]!;
    const end = offsets[g + 1]!;
    let sorted = true;
    for (let i = start + 1; i < end; i++) {
      if (grouped[i]! < grouped[i - 1]!) {
        sorted = false;
        break;
      }
    }
    if (!sorted) sortGroup(grouped, keys, start, end);
  }
  return keys ? { times: grouped, offsets, keys } : { times: grouped, offsets };
}

function sortGroup(
  times: Float64Array,
  keys: Uint32Array | undefined,
  start: number,
  end: number,
): void {
  if (!keys) {
    times.subarray(start, end).sort();
    return;
  }
  const order = Array.from({ length: end - start }, (_, i) => start + i);
  // Stable, so equal times keep record order and keys stay with their own time.
  order.sort((a, b) => times[a]! - times[b]!);
  const sortedTimes = order.map((i) => times[i]!);
  const sortedKeys = order.map((i) => keys[i]!);
  times.set(sortedTimes, start);
  keys.set(sortedKeys, start);
}
