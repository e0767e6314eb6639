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
import { medianInPlace } from './stats';

/** Events of one signature: times sorted ascending (UTC ms), and the key each came from. */
export interface KeyedEvents {
  readonly times: Float64Array;
  /** Non-negative integer key ids (dictionary ids), parallel to `times`. */
  readonly keys: ArrayLike<number>;
}

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
  /** All events given. */
  readonly count: number;
  /** events / count: how much of the signature the schedule explains. */
  readonly share: number;
  /** As PeriodicFinding: coverage of the span, cleanliness score and significance of the rhythm. */
  readonly coverage: number;
  readonly score: number;
  readonly significance: number;
}

/** Finds the recurring burst in one signature's events, or null. */
export function detectRecurringBursts(
  events: KeyedEvents,
  options: RecurringBurstOptions = {},
): RecurringBurstFinding | null {
  const { times, keys } = events;
  const count = times.length;
  if (keys.length !== count) throw new RangeError('times and keys differ in length');
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
  if (count === 0) return null;

  let maxKey = 0;
  for (let i = 0; i < count; i++) {
    const key = keys[i]!;
    if (!(Number.isInteger(key) && key >= 0))
      throw new RangeError(`key ${key} is not a non-negative integer`);
    if (key > maxKey) maxKey = key;
  }
  // stamp[key] === burst number + 1 when the key was already counted in that burst.
  const stamp = new Int32Array(maxKey + 1);

  const starts: number[] = [];
  const ends: number[] = [];
  const middles: number[] = [];
  for (let a = 0; a < count;) {
    let b = a + 1;
    while (b < count && times[b]! - times[b - 1]! <= maxSpread) b++;
    if (times[b - 1]! - times[a]! <= maxWidth) {
      const mark = starts.length + 1;
      let distinct = 0;
      for (let i = a; i < b; i++) {
        const key = keys[i]!;
        if (stamp[key] !== mark) {
          stamp[key] = mark;
          distinct++;
        }
      }
      if (distinct >= minKeys) {
        starts.push(a);
        ends.push(b);
        middles.push(times[a + ((b - a - 1) >> 1)]!);
      } else {
        // The mark was not used by a burst: undo it so the next burst can take the same number.
        for (let i = a; i < b; i++) stamp[keys[i]!] = 0;
      }
    }
    a = b;
  }

  const burstCount = starts.length;
  const burstTimes = Float64Array.from(middles);
  const roles = new Uint8Array(burstCount);
  const found = new PeriodicAnalyzer(rhythm).analyse(burstTimes, 0, burstCount, undefined, roles);
  if (!found) return null;

  stamp.fill(0);
  const keyBursts = new Map<number, number>();
  const widths = new Float64Array(found.beats);
  const keyCounts = new Float64Array(found.beats);
  let onRhythm = 0;
  let eventsInBursts = 0;
  let first = NaN;
  let last = NaN;
  for (let burst = 0; burst < burstCount; burst++) {
    if (roles[burst] !== EventRole.Beat) continue;
    const a = starts[burst]!;
    const b = ends[burst]!;
    if (onRhythm === 0) first = times[a]!;
    last = times[b - 1]!;
    widths[onRhythm] = (times[b - 1]! - times[a]!) / 1000;
    let distinct = 0;
    for (let i = a; i < b; i++) {
      const key = keys[i]!;
      if (stamp[key] === burst + 1) continue;
      stamp[key] = burst + 1;
      distinct++;
      keyBursts.set(key, (keyBursts.get(key) ?? 0) + 1);
    }
    keyCounts[onRhythm] = distinct;
    eventsInBursts += b - a;
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
