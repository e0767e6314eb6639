/**
 * Recurring bursts: events of one signature from several keys within seconds of each other, the
 * whole group recurring on a schedule. The ClearTrust case: a firewall drops the agent's idle
 * pooled connections, and at each pool refresh (about hourly) the agent logs CT_SOCKET_ERROR for
 * server#1, #2, #3 and #4 within a second or two, while random timeouts come and go in between.
 *
 * How it decides: events closer than `maxSpreadSeconds` to the previous one form a cluster; a
 * cluster no wider than `maxWidthSeconds` with events from at least `minKeys` different keys is
 * a burst. The bursts' times (each burst's median event) are then one series, and the rhythm is
 * the periodicity test's (periodic.ts) to find, with all its gates: random multi-key coincidences
 * are the extras it tolerates, a refresh at which no two servers failed is a missed beat.
 */
import type { PeriodicOptions } from './periodic';
import { EventRole, PeriodicAnalyzer } from './periodic';
import type { KeyedRecords } from './records';
import { medianInPlace } from './stats';

export interface RecurringBurstOptions {
  /** Events at most this far apart belong to the same burst, seconds. */
  readonly maxSpreadSeconds?: number;
  /** A cluster wider than this is steady traffic, not a burst, seconds. */
  readonly maxWidthSeconds?: number;
  /** Fewest different keys in a burst. */
  readonly minKeys?: number;
  /** Thresholds for the rhythm of the bursts (see PeriodicOptions); `minBeats` counts bursts. */
  readonly rhythm?: PeriodicOptions;
}

export const DEFAULT_RECURRING_BURST_OPTIONS = {
  // "Within seconds": the agent checks its pooled connections one after another, and a timed-out
  // check is logged after the agent's 15 s server timeout; 20 s holds both.
  maxSpreadSeconds: 20,
  // Two minutes of one-after-another failures is still one event; wider clusters are a busy
  // period, whose start and end times say nothing about a schedule.
  maxWidthSeconds: 120,
  // One key failing on a schedule is a periodic finding; a burst is about several.
  minKeys: 2,
  // Bursts are separated by quiet, so their rhythm is slower than a minute; the rest of the
  // periodicity defaults hold as they are.
  rhythm: { minPeriodSeconds: 60 } satisfies PeriodicOptions,
} as const;

/** How often one key took part in the bursts on the rhythm. */
export interface BurstKey {
  readonly key: number;
  /** Bursts on the rhythm in which the key had at least one event. */
  readonly bursts: number;
  /** bursts / all bursts on the rhythm, 0–1. */
  readonly share: number;
}

/** A recurring burst. Times are UTC ms, durations seconds. */
export interface RecurringBurstFinding {
  /** Time from one burst to the next (the rhythm's period). */
  readonly intervalSeconds: number;
  /** Robust standard deviation of the burst-to-burst interval, as logged. */
  readonly jitterSeconds: number;
  readonly resolutionSeconds: number;
  /** Bursts on the rhythm. */
  readonly bursts: number;
  /** Expected bursts (inside runs) that did not happen. */
  readonly missedBursts: number;
  /** Multi-key bursts off the rhythm (random coincidences, or a second schedule). */
  readonly otherBursts: number;
  /** Silences longer than 4.5 intervals. */
  readonly gaps: number;
  /** First event of the first burst on the rhythm, last event of the last one. */
  readonly first: number;
  readonly last: number;
  /** Median width of a burst on the rhythm (first to last event), seconds. */
  readonly widthSeconds: number;
  /** Median number of different keys in a burst on the rhythm. */
  readonly keysPerBurst: number;
  /** Keys seen in the bursts on the rhythm, most frequent first (ties by key id). */
  readonly keys: readonly BurstKey[];
  /** Events inside bursts on the rhythm. */
  readonly events: number;
  /** The signature's records with a time and a key. */
  readonly count: number;
  /** events / count: how much of the signature the schedule explains. */
  readonly share: number;
  /** As PeriodicFinding: coverage of the span, cleanliness score and significance of the rhythm. */
  readonly coverage: number;
  readonly score: number;
  readonly significance: number;
}

/**
 * Finds the recurring burst in one signature's records, or null. The records are walked in time
 * order (`records.order`, or record order when absent); records without a time or a key are
 * left out.
 */
export function detectRecurringBursts(
  records: KeyedRecords,
  options: RecurringBurstOptions = {},
): RecurringBurstFinding | null {
  const maxSpread =
    (options.maxSpreadSeconds ?? DEFAULT_RECURRING_BURST_OPTIONS.maxSpreadSeconds) * 1000;
  const maxWidth =
    (options.maxWidthSeconds ?? DEFAULT_RECURRING_BURST_OPTIONS.maxWidthSeconds) * 1000;
  const minKeys = options.minKeys ?? DEFAULT_RECURRING_BURST_OPTIONS.minKeys;
  const rhythm = { ...DEFAULT_RECURRING_BURST_OPTIONS.rhythm, ...options.rhythm };
  if (!(maxSpread > 0 && maxWidth >= maxSpread && minKeys >= 1)) {
    throw new RangeError(
      'maxSpreadSeconds must be positive and at most maxWidthSeconds; minKeys at least 1',
    );
  }
  const walk = new TimeOrderWalk(records);
  // stamp[key] === mark when the key was already counted in the burst with that mark.
  const stamp = new Int32Array(records.keyCount);
  let mark = 0;

  // Each burst: its positions in the walk [from, to), and its median time.
  const froms: number[] = [];
  const tos: number[] = [];
  const middles: number[] = [];
  let clusterTimes = new Float64Array(64);
  let clusterSize = 0;
  let clusterFrom = 0;
  let clusterKeys = 0;
  let clusterTooWide = false;
  let count = 0;
  const closeCluster = (to: number): void => {
    if (clusterSize > 0 && !clusterTooWide && clusterKeys >= minKeys) {
      froms.push(clusterFrom);
      tos.push(to);
      middles.push(clusterTimes[(clusterSize - 1) >> 1]!);
    }
  };
  for (let step = 0; walk.next(); step++) {
    const t = walk.time;
    count++;
    if (clusterSize === 0 || t - walk.previousTime > maxSpread) {
      closeCluster(step);
      clusterSize = 0;
      clusterFrom = step;
      clusterKeys = 0;
      clusterTooWide = false;
      mark++;
    }
    if (clusterTooWide) continue;
    if (clusterSize > 0 && t - clusterTimes[0]! > maxWidth) {
      clusterTooWide = true;
      continue;
    }
    if (clusterSize === clusterTimes.length) {
      const grown = new Float64Array(clusterSize * 2);
      grown.set(clusterTimes);
      clusterTimes = grown;
    }
    clusterTimes[clusterSize++] = t;
    if (stamp[walk.key] !== mark) {
      stamp[walk.key] = mark;
      clusterKeys++;
    }
  }
  closeCluster(walk.steps);

  const burstCount = froms.length;
  const burstTimes = Float64Array.from(middles);
  const roles = new Uint8Array(burstCount);
  const found = new PeriodicAnalyzer(rhythm).analyse(burstTimes, 0, burstCount, undefined, roles);
  if (!found) return null;

  // A second walk collects, for the bursts on the rhythm, their widths and keys.
  const keyBursts = new Map<number, number>();
  const widths = new Float64Array(found.beats);
  const keyCounts = new Float64Array(found.beats);
  let onRhythm = 0;
  let eventsInBursts = 0;
  let first = NaN;
  let last = NaN;
  const again = new TimeOrderWalk(records);
  let step = 0;
  for (let burst = 0; burst < burstCount; burst++) {
    if (roles[burst] !== EventRole.Beat) continue;
    while (step < froms[burst]!) {
      again.next();
      step++;
    }
    mark++;
    let distinct = 0;
    let from = NaN;
    let to = NaN;
    for (; step < tos[burst]!; step++) {
      again.next();
      if (Number.isNaN(from)) from = again.time;
      to = again.time;
      if (stamp[again.key] === mark) continue;
      stamp[again.key] = mark;
      distinct++;
      keyBursts.set(again.key, (keyBursts.get(again.key) ?? 0) + 1);
    }
    if (onRhythm === 0) first = from;
    last = to;
    widths[onRhythm] = (to - from) / 1000;
    keyCounts[onRhythm] = distinct;
    eventsInBursts += tos[burst]! - froms[burst]!;
    onRhythm++;
  }

  const keyList = [...keyBursts]
    .map(([key, bursts]) => ({ key, bursts, share: bursts / onRhythm }))
    .sort((x, y) => y.bursts - x.bursts || x.key - y.key);
  return {
    intervalSeconds: found.periodSeconds,
    jitterSeconds: found.jitterSeconds,
    resolutionSeconds: found.resolutionSeconds,
    bursts: onRhythm,
    missedBursts: found.missedBeats,
    otherBursts: burstCount - onRhythm,
    gaps: found.gaps,
    first,
    last,
    widthSeconds: medianInPlace(widths, onRhythm),
    keysPerBurst: medianInPlace(keyCounts, onRhythm),
    keys: keyList,
    events: eventsInBursts,
    count,
    share: eventsInBursts / count,
    coverage: found.coverage,
    score: found.score,
    significance: found.significance,
  };
}

/**
 * Steps through the selected records that have a time and a key, in time order. Each step
 * leaves the record's time and key in `time` and `key`. Throws when the records are not in time
 * order and no order was given: a bug in the caller.
 */
class TimeOrderWalk {
  time = NaN;
  previousTime = NaN;
  key = 0;
  /** Records stepped onto so far. */
  steps = 0;
  private position = 0;
  private readonly length: number;

  constructor(private readonly records: KeyedRecords) {
    const { keys, select, order } = records;
    const length = records.length ?? records.times.length;
    if (keys.length < length || (select && select.tags.length < length)) {
      throw new RangeError('a column is shorter than the records');
    }
    // An order may list every record or only the selected ones: the walk steps through it.
    this.length = order ? order.length : length;
  }

  next(): boolean {
    const { times, keys, keyCount, select, order } = this.records;
    while (this.position < this.length) {
      const i = order ? order[this.position++]! : this.position++;
      if (select && (select.tags[i]! & select.mask) === 0) continue;
      const t = times[i]!;
      const k = keys[i]!;
      if (Number.isNaN(t) || !(Number.isInteger(k) && k >= 0 && k < keyCount)) continue;
      if (t < this.time) throw new RangeError('records are not in time order: pass their order');
      this.previousTime = this.time;
      this.time = t;
      this.key = k;
      this.steps++;
      return true;
    }
    return false;
  }
}
