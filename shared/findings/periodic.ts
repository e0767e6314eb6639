/**
 * Periodicity: is one series of timestamps (one signature from one key, e.g. the TLS handshake
 * failures from 172.16.1.5) driven by a clock?
 *
 * How it decides, in the order it spends time:
 * 1. Cheap rejections: too few events, or a span too short to hold `minBeats` beats.
 * 2. A histogram of inter-arrival times in 1/8-octave bins (integer bit tricks, no logarithms)
 *    finds up to three dense clusters of intervals. A clock puts most of its intervals into one
 *    cluster; Poisson arrivals spread theirs over several octaves (no 3-bin window of an
 *    exponential distribution holds much over 10 %). The mean interval in a cluster is a first
 *    period estimate; series without a cluster holding 25 % of their intervals stop here.
 * 3. Beat tracking: walk the events, expecting the next beat one period after the last one (so a
 *    clock that drifts, as sleep-based timers do, stays locked). An event near last + k·period
 *    (k ≤ 4) is a beat, k − 1 beats having been missed; an event right after a beat is a
 *    duplicate; anything else is an extra; silence longer than 4.5 periods is a gap, after which
 *    tracking locks again on the first event followed by an interval of about one period. The
 *    period is refined to Σ(beat-to-beat time) / Σ(periods spanned), the least-squares estimate for
 *    a drifting clock, and tracking repeats until it settles.
 * 4. Gates, all of which must pass (DEFAULT_PERIODIC_OPTIONS gives each default its reason):
 *    enough beats, most events on the beat, few missed beats, few gaps, beats spanning most of the
 *    series, a small spread of the beat-to-beat interval, and a significance: how unlikely it is
 *    that random (Poisson) arrivals at the same rate would put as many intervals so close to one
 *    period. The spread gate is what separates a clock from random traffic that merely prefers an
 *    interval; the significance is what makes a few beats not enough.
 *
 * Timestamp resolution matters: most gateway logs stamp whole seconds, which turns a clean 5 s
 * clock into intervals of 4, 5 and 6 s. The resolution is detected (or given), the beat window
 * and the significance allow for it, and the spread is judged after removing what rounding adds.
 * What that costs: periods under three ticks are never reported (a clock and random arrivals
 * give the same few rounded intervals); a clean clock needs 10 beats with millisecond
 * timestamps, but in whole seconds 12 at 60 s, 23 at 10 s, 36 at 5 s and 60 at 3 s; and a
 * wall-clock schedule (beats at fixed times ± noise, not a re-armed timer) whose beats sit right
 * on a tick boundary reads ±1 tick at random, so below about ten ticks per period it can be
 * missed.
 */
import { binomialTailLog10, robustSigmaInPlace } from './stats';
import type { GroupScratch, KeyedRecords } from './records';
import { groupTimes } from './records';

/** Thresholds of the periodicity test. All are optional; DEFAULT_PERIODIC_OPTIONS says why each default is what it is. */
export interface PeriodicOptions {
  /** Shortest period reported, seconds. */
  readonly minPeriodSeconds?: number;
  /** Longest period reported, seconds (at most 20 days). */
  readonly maxPeriodSeconds?: number;
  /** Fewest beats (events on the rhythm) to call anything periodic. */
  readonly minBeats?: number;
  /** Half-width of the window in which an event counts as a beat, as a fraction of the period (plus one timestamp tick). */
  readonly tolerance?: number;
  /** Largest spread of the beat-to-beat interval (root mean square deviation from the period, timestamp rounding removed), as a fraction of the period. */
  readonly maxJitterRatio?: number;
  /** Smallest share of the series' events (duplicates aside) that must be beats. */
  readonly minBeatShare?: number;
  /** Largest share of expected beats that may be missing. */
  readonly maxMissedShare?: number;
  /** Largest number of gaps (silences over 4.5 periods) per beat-to-beat step. */
  readonly maxGapShare?: number;
  /** Smallest share of the series' time span covered by runs of beats. */
  readonly minCoverage?: number;
  /** Smallest significance (−log10 of the chance that random arrivals line up as well). */
  readonly minSignificance?: number;
  /** Timestamp resolution in ms; detected from the timestamps when absent (1000, 100, 10, 1 or 0 for fractional). */
  readonly resolutionMs?: number;
  /** Number of events of this signature from all keys; gives the finding its `share`. */
  readonly signatureTotal?: number;
}

export const DEFAULT_PERIODIC_OPTIONS: Required<
  Omit<PeriodicOptions, 'resolutionMs' | 'signatureTotal'>
> = {
  // Load-balancer keepalives start around 1 s; anything faster is a stream, not a schedule.
  minPeriodSeconds: 1,
  // A daily job is the slowest rhythm a log of a few days can show at all.
  maxPeriodSeconds: 86_400,
  // Nine intervals are the fewest on which a missed beat or a gap can still be the exception, and
  // on which the median absolute deviation (the jitter) is stable enough to report. Coarse
  // timestamps need more, through the significance (see the module comment).
  minBeats: 10,
  // ±20 % holds a clock with 5 % jitter to four standard deviations. Random arrivals that happen
  // to fall inside this window are caught by the spread gate, which measures how tightly the
  // beats really sit.
  tolerance: 0.2,
  // "Every 5 s ± 0.4 s" is still a clock (a re-armed timer with 5 % jitter measures 0.05, a
  // wall-clock schedule with 5 % jitter 0.07). Random traffic that prefers an interval, with a
  // coefficient of variation of 0.2 and up, measures 0.11 and up inside the ±20 % window.
  maxJitterRatio: 0.08,
  // A series that is 30 % something else is a periodic component inside other traffic; hiding the
  // key would hide that traffic too, so it is not reported as "the key is periodic".
  minBeatShare: 0.7,
  // "A beat lost now and then": a quarter lost is the limit of that.
  maxMissedShare: 0.25,
  // A device switched off for an hour is one gap; random bursts of regular-looking events are a
  // gap every few beats.
  maxGapShare: 0.05,
  // The rhythm must be the series' normal state, not an episode.
  minCoverage: 0.5,
  // One in a billion per series: with 50,000 keys per file and several signatures, the expected
  // number of false findings stays far below one even if the Poisson model is optimistic.
  minSignificance: 9,
};

/** What the tracker made of each event (written to the optional `roles` array). */
export const EventRole = { Extra: 0, Beat: 1, Duplicate: 2 } as const;
export type EventRole = (typeof EventRole)[keyof typeof EventRole];

/**
 * A series found periodic. Times are UTC milliseconds; durations are seconds.
 * Invariant: count = beats + duplicates + extras.
 */
export interface PeriodicFinding {
  /** The period: mean beat-to-beat time per period spanned (missed beats count as spanned). */
  readonly periodSeconds: number;
  /**
   * Robust standard deviation of one beat-to-beat interval (1.4826 × its median absolute
   * deviation from the period), seconds. "Every 5.0 s ± jitter". It is measured on the
   * timestamps as logged, so it includes their rounding: see `resolutionSeconds`.
   */
  readonly jitterSeconds: number;
  /** Timestamp resolution the series was analysed at (1 for whole seconds, 0 when fractional). */
  readonly resolutionSeconds: number;
  /** Events in the series (what a rule hiding this key and signature would hide). */
  readonly count: number;
  /** Events on the rhythm. */
  readonly beats: number;
  /** Events logged right after a beat (within the beat window): repeats of the same beat. */
  readonly duplicates: number;
  /** Events off the rhythm. */
  readonly extras: number;
  /** Beats expected inside runs of beats but absent. */
  readonly missedBeats: number;
  /** Silences longer than 4.5 periods inside the series (the device off, the clock stopped). */
  readonly gaps: number;
  /** Time of the first and of the last beat. */
  readonly first: number;
  readonly last: number;
  /** Share of the series' span (first to last event) covered by runs of beats, 0–1. */
  readonly coverage: number;
  /** count / signatureTotal, when the total was given; else null. */
  readonly share: number | null;
  /**
   * How clean the rhythm is, 0–1: the product of four fractions of the ideal — beats among the
   * events (duplicates aside), coverage, expected beats present, and 1 − spread / allowed spread.
   * 1 is a perfect clock seen over the whole series; it ranks findings, it is not a probability.
   */
  readonly score: number;
  /**
   * −log10 of an upper bound on the chance that random (Poisson) arrivals at the series' rate put
   * at least as many consecutive intervals as close to one period, the search over periods
   * included. 9 means "less than one in a billion".
   */
  readonly significance: number;
}

/** One key's finding from detectPeriodicByKey. */
export interface PeriodicKeyFinding extends PeriodicFinding {
  /** The key (dictionary id) whose series this is. */
  readonly key: number;
}

/** A k-period step is allowed up to this k: three beats lost in a row are still "missed beats". */
const MAX_STEP = 4;
/** Bins of the interval histogram: 8 per octave, indexed by (floor(log2 ms) << 3) | next 3 bits. */
const BINS = 256;
const MIN_BINNED_MS = 8;
const MAX_BINNED_MS = 2 ** 31 - 1;
/**
 * A cluster of intervals must hold this share of the intervals that are not duplicates to be worth
 * tracking. The least a passing series can hold is about 0.3 (70 % beats, the other 30 % each
 * splitting an interval, a quarter of the beats missed); Poisson arrivals hold about 0.1.
 */
const MIN_PEAK_SHARE = 0.25;
/** Tracking at a first, rough period gives up when the series is this far from passing. */
const ROUGH_MARGIN = 0.15;
/** Events between two checks of whether tracking can still succeed. */
const ABORT_CHECK_EVERY = 8;
/** Two clusters: a clock's, and one that may outnumber it (duplicates a few seconds after each beat). */
const MAX_CANDIDATES = 2;
/**
 * Periods shorter than about this many timestamp ticks cannot be told from random arrivals: both
 * give the same two or three rounded intervals. (A 3 s clock logged in whole seconds measures
 * anywhere from 2.9 to 3.1 s, hence the half-tick allowance where it is applied.)
 */
const MIN_PERIOD_TICKS = 3;
/**
 * Windows at which the significance counts close intervals: ± a fraction of the period plus half
 * a timestamp tick or a whole one (a clock whose beats sit on a tick boundary reads ±1 tick).
 */
const CLEAN_FRACTIONS = [0.01, 0.02, 0.05, 0.1] as const;
const CLEAN_TICKS = [0.5, 1] as const;
const CLEAN_BANDS = CLEAN_FRACTIONS.length * CLEAN_TICKS.length;
const MAX_REFINEMENTS = 6;
/** The period has settled when a tracking pass moves it by less than this fraction. */
const SETTLED = 1e-3;
const SQRT = Float64Array.from({ length: MAX_STEP + 1 }, (_, k) => Math.sqrt(k));
const INVERSE_SQRT = Float64Array.from({ length: MAX_STEP + 1 }, (_, k) => 1 / Math.sqrt(k));

interface Settings {
  readonly minPeriodMs: number;
  readonly maxPeriodMs: number;
  readonly minBeats: number;
  readonly tolerance: number;
  readonly maxJitterRatio: number;
  readonly minBeatShare: number;
  readonly maxMissedShare: number;
  readonly maxGapShare: number;
  readonly minCoverage: number;
  readonly minSignificance: number;
  readonly resolutionMs: number | undefined;
}

function resolveSettings(options: PeriodicOptions): Settings {
  const o = { ...DEFAULT_PERIODIC_OPTIONS, ...options };
  const checks: [boolean, string][] = [
    [o.minPeriodSeconds > 0, 'minPeriodSeconds must be positive'],
    [
      o.maxPeriodSeconds >= o.minPeriodSeconds,
      'maxPeriodSeconds must not be below minPeriodSeconds',
    ],
    [
      o.maxPeriodSeconds * 1000 * (1 + o.tolerance) <= MAX_BINNED_MS,
      'maxPeriodSeconds must be at most 20 days',
    ],
    [Number.isInteger(o.minBeats) && o.minBeats >= 3, 'minBeats must be an integer of at least 3'],
    [o.tolerance > 0 && o.tolerance < 0.5, 'tolerance must be in (0, 0.5)'],
    [o.maxJitterRatio > 0, 'maxJitterRatio must be positive'],
    [o.minBeatShare >= 0 && o.minBeatShare <= 1, 'minBeatShare must be in [0, 1]'],
    [o.maxMissedShare >= 0 && o.maxMissedShare <= 1, 'maxMissedShare must be in [0, 1]'],
    [o.maxGapShare >= 0 && o.maxGapShare <= 1, 'maxGapShare must be in [0, 1]'],
    [o.minCoverage >= 0 && o.minCoverage <= 1, 'minCoverage must be in [0, 1]'],
    [o.resolutionMs === undefined || o.resolutionMs >= 0, 'resolutionMs must not be negative'],
  ];
  for (const [holds, message] of checks) if (!holds) throw new RangeError(message);
  return {
    minPeriodMs: o.minPeriodSeconds * 1000,
    maxPeriodMs: o.maxPeriodSeconds * 1000,
    minBeats: o.minBeats,
    tolerance: o.tolerance,
    maxJitterRatio: o.maxJitterRatio,
    minBeatShare: o.minBeatShare,
    maxMissedShare: o.maxMissedShare,
    maxGapShare: o.maxGapShare,
    minCoverage: o.minCoverage,
    minSignificance: o.minSignificance,
    resolutionMs: o.resolutionMs,
  };
}

/** Histogram bin of an interval of `ms` ≥ 8 ms: 8 bins per octave, each 1/8 of its octave wide. */
function binOf(ms: number): number {
  const x = ms >>> 0;
  const octave = 31 - Math.clz32(x);
  return (octave << 3) | ((x >>> (octave - 3)) & 7);
}

/** The coarsest of 1 s, 100 ms, 10 ms, 1 ms that divides every timestamp; 0 when some are fractional. */
export function detectResolution(times: Float64Array, start: number, end: number): number {
  outer: for (const tick of [1000, 100, 10, 1]) {
    // Multiply and round: the remainder operator on doubles is several times slower, and the
    // product's rounding error is far below half a tick for any timestamp.
    const inverse = 1 / tick;
    for (let i = start; i < end; i++) {
      const t = times[i]!;
      if (Math.round(t * inverse) * tick !== t) continue outer;
    }
    return tick;
  }
  return 0;
}

/**
 * Runs the periodicity test; holds the scratch memory so that a batch of series allocates once.
 * One instance is not re-entrant.
 */
export class PeriodicAnalyzer {
  private readonly settings: Settings;
  private readonly histogram = new Int32Array(BINS);
  /** Sum of the intervals in each bin, for the candidates' mean intervals. */
  private readonly binSums = new Float64Array(BINS);
  /** suffix[b] = intervals in bins ≥ b. */
  private readonly suffix = new Int32Array(BINS + 1);
  private readonly windowBins = new Int32Array(MAX_CANDIDATES);
  private readonly candidatePeriods = new Float64Array(MAX_CANDIDATES);
  private lowestBin = 0;
  private highestBin = -1;
  private residuals = new Float64Array(64);
  private readonly bands = new Float64Array(MAX_STEP + 1);
  private readonly cleanSteps = new Int32Array(CLEAN_BANDS);
  private readonly cleanLimits = new Float64Array(CLEAN_BANDS);

  // Results of the last tracking pass.
  private beats = 0;
  private duplicates = 0;
  private steps = 0;
  private missed = 0;
  private runs = 0;
  private coveredMs = 0;
  private sumStepMs = 0;
  private sumStepPeriods = 0;
  private sumResiduals = 0;
  private sumSquaredResiduals = 0;
  private firstBeat = NaN;
  private lastBeat = NaN;

  constructor(options: PeriodicOptions = {}) {
    this.settings = resolveSettings(options);
  }

  /**
   * Tests `times[start, end)` (sorted ascending, UTC ms). When the series is periodic and `roles`
   * is given, the tracker's verdict on each event is written to `roles[i - start]` (EventRole).
   */
  analyse(
    times: Float64Array,
    start = 0,
    end = times.length,
    signatureTotal?: number,
    roles?: Uint8Array,
  ): PeriodicFinding | null {
    const s = this.settings;
    const count = end - start;
    if (count < s.minBeats) return null;
    const span = times[end - 1]! - times[start]!;
    if (!(span >= (s.minBeats - 1) * s.minPeriodMs * (1 - s.tolerance))) return null;

    if (!this.fillHistogram(times, start, end)) return null;
    // Resolution costs a pass over the series; most random series are rejected before it.
    let resolution = s.resolutionMs;
    let windows: number;
    if (resolution === undefined) {
      windows = this.chooseWindows(s.minPeriodMs);
      if (windows === 0) return this.clearHistogram();
      resolution = detectResolution(times, start, end);
      if (MIN_PERIOD_TICKS * resolution > s.minPeriodMs) {
        windows = this.chooseWindows(MIN_PERIOD_TICKS * resolution);
      }
    } else {
      windows = this.chooseWindows(Math.max(s.minPeriodMs, MIN_PERIOD_TICKS * resolution));
    }
    const candidates = this.meanIntervals(windows);
    this.clearHistogram();
    let best: PeriodicFinding | null = null;
    let bestPeriod = 0;
    for (let c = 0; c < candidates; c++) {
      const period = this.refine(times, start, end, this.candidatePeriods[c]!, resolution);
      if (period === 0) continue;
      const finding = this.judge(times, start, end, period, resolution, signatureTotal);
      if (finding && (!best || finding.significance > best.significance)) {
        best = finding;
        bestPeriod = period;
      }
    }
    if (best && roles) {
      if (roles.length < count) throw new RangeError('roles is shorter than the series');
      this.track(times, start, end, bestPeriod, resolution, roles, false, false);
    }
    return best;
  }

  /**
   * Counts the series' intervals into the histogram (which is all zeros between series; only the
   * bins touched are cleared afterwards). False when no interval is long enough to be binned.
   */
  private fillHistogram(times: Float64Array, start: number, end: number): boolean {
    const histogram = this.histogram;
    const binSums = this.binSums;
    let lowest = BINS;
    let highest = -1;
    for (let i = start + 1; i < end; i++) {
      const interval = times[i]! - times[i - 1]!;
      if (interval < MIN_BINNED_MS) continue;
      const bin = interval > MAX_BINNED_MS ? BINS - 1 : binOf(interval);
      histogram[bin]!++;
      binSums[bin]! += interval;
      if (bin < lowest) lowest = bin;
      if (bin > highest) highest = bin;
    }
    this.lowestBin = lowest;
    this.highestBin = highest;
    if (highest < 0) return false;
    const suffix = this.suffix;
    suffix[highest + 1] = 0;
    for (let b = highest; b >= lowest; b--) suffix[b] = suffix[b + 1]! + histogram[b]!;
    return true;
  }

  private clearHistogram(): null {
    if (this.highestBin >= 0) {
      this.histogram.fill(0, this.lowestBin, this.highestBin + 1);
      this.binSums.fill(0, this.lowestBin, this.highestBin + 1);
    }
    return null;
  }

  /**
   * Puts into windowBins the first bin of up to MAX_CANDIDATES disjoint 3-bin windows, densest
   * first, that hold MIN_PEAK_SHARE of the comparable intervals and start at or above
   * `shortestMs` (less the beat window); returns how many.
   */
  private chooseWindows(shortestMs: number): number {
    const s = this.settings;
    const histogram = this.histogram;
    const suffix = this.suffix;
    const lowest = this.lowestBin;
    const shortest = Math.max(MIN_BINNED_MS, shortestMs * (1 - s.tolerance));
    const firstBin = Math.max(binOf(shortest), lowest - 2);
    const lastBin = Math.min(BINS - 3, binOf(s.maxPeriodMs), this.highestBin);
    let found = 0;
    let taken = -10;
    while (found < MAX_CANDIDATES && firstBin <= lastBin) {
      let bestBin = -1;
      let bestCount = 0;
      // A sliding sum over three bins (bins past the highest touched one are zero).
      let inWindow = histogram[firstBin]! + histogram[firstBin + 1]! + histogram[firstBin + 2]!;
      for (let b = firstBin; b <= lastBin; b++) {
        if (b > firstBin) inWindow += histogram[b + 2]! - histogram[b - 1]!;
        if (inWindow <= bestCount || (b >= taken - 2 && b <= taken + 2)) continue;
        // Intervals under a quarter of the window's lower edge (two octaves down) would be
        // duplicates of a beat, so they do not count against the window.
        if (inWindow < MIN_PEAK_SHARE * suffix[Math.max(lowest, b - 16)]!) continue;
        bestBin = b;
        bestCount = inWindow;
      }
      if (bestBin < 0) break;
      this.windowBins[found++] = bestBin;
      taken = bestBin;
    }
    return found;
  }

  /** The mean interval inside each chosen window (from the bins' sums), into candidatePeriods. */
  private meanIntervals(windows: number): number {
    for (let w = 0; w < windows; w++) {
      const first = this.windowBins[w]!;
      let sum = 0;
      let n = 0;
      for (let b = first; b < first + 3; b++) {
        sum += this.binSums[b]!;
        n += this.histogram[b]!;
      }
      this.candidatePeriods[w] = sum / n;
    }
    return windows;
  }

  /**
   * Tracks and re-estimates the period until it settles, leaving the last pass's counts in the
   * instance; 0 when the series is clearly not periodic at this candidate. That is checked after
   * every pass, with margins because a first, rough period tracks less well than the final one,
   * so most random series cost a single pass.
   */
  private refine(
    times: Float64Array,
    start: number,
    end: number,
    initial: number,
    resolution: number,
  ): number {
    let period = initial;
    for (let round = 0; round < MAX_REFINEMENTS; round++) {
      if (!this.track(times, start, end, period, resolution, null, true, false)) return 0;
      if (!this.mayPass(times, start, end, period, resolution)) return 0;
      const next = this.sumStepMs / this.sumStepPeriods;
      const settled = Math.abs(next - period) <= SETTLED * period;
      period = next;
      if (settled) break;
    }
    return period;
  }

  /** The gates of `judge`, loosened by ROUGH_MARGIN, on the counts of the last tracking pass. */
  private mayPass(
    times: Float64Array,
    start: number,
    end: number,
    period: number,
    resolution: number,
  ): boolean {
    const s = this.settings;
    if (this.beats < s.minBeats || this.steps === 0) return false;
    if (this.beats / (end - start - this.duplicates) < s.minBeatShare - ROUGH_MARGIN) return false;
    if (this.missed / (this.steps + this.missed) > s.maxMissedShare + ROUGH_MARGIN) return false;
    if (this.runs - 1 > 2 * s.maxGapShare * this.steps + 1) return false;
    const span = times[end - 1]! - times[start]!;
    if (this.coveredMs / span < s.minCoverage - ROUGH_MARGIN) return false;
    return this.sharpness(resolution) <= (1 + ROUGH_MARGIN) * s.maxJitterRatio * period;
  }

  /**
   * The spread the jitter gate judges: standard deviation of the beat-to-beat residuals (each at
   * most the beat window, so a stray event cannot blow it up; centred, so a first rough period
   * does not inflate it), less what rounding to whole ticks adds. Rounding both ends of an interval adds a variance of a sixth of a tick squared when
   * beats fall at random phases of the tick (a re-armed timer), up to half a tick squared when a
   * jittery wall-clock schedule sits right on a tick boundary; a quarter is allowed. The median
   * absolute deviation cannot be used here: rounded random intervals of 3 s ± 20 % read "3 s"
   * more than half the time, which makes it 0.
   */
  private sharpness(resolution: number): number {
    const mean = this.sumResiduals / this.steps;
    const variance = this.sumSquaredResiduals / this.steps - mean * mean;
    return Math.sqrt(Math.max(0, variance - (resolution * resolution) / 4));
  }

  /**
   * One pass of the beat tracker at a fixed period (see the module comment), leaving its counts
   * and sums in the instance fields. With `detail` it also keeps what only the final judgement
   * needs: every beat-to-beat residual (for the jitter) and the clean-step counts (for the
   * significance). When `abortable`, returns false (counts unusable) as soon as the series can no
   * longer pass.
   */
  private track(
    times: Float64Array,
    start: number,
    end: number,
    period: number,
    resolution: number,
    roles: Uint8Array | null,
    abortable: boolean,
    detail: boolean,
  ): boolean {
    const s = this.settings;
    const inversePeriod = 1 / period;
    const tolerance = s.tolerance * period;
    const bands = this.bands;
    // A k-period step of a drifting clock has √k times the jitter of one period.
    for (let k = 1; k <= MAX_STEP; k++) bands[k] = tolerance * SQRT[k]! + resolution;
    const firstBand = bands[1]!;
    const gapAfter = (MAX_STEP + 0.5) * period;
    const cleanLimits = this.cleanLimits;
    const cleanSteps = this.cleanSteps;
    if (detail) {
      for (let f = 0; f < CLEAN_FRACTIONS.length; f++) {
        for (let k = 0; k < CLEAN_TICKS.length; k++) {
          cleanLimits[f * CLEAN_TICKS.length + k] =
            CLEAN_FRACTIONS[f]! * period + CLEAN_TICKS[k]! * resolution;
        }
      }
      cleanSteps.fill(0);
      if (this.residuals.length < end - start) {
        this.residuals = new Float64Array(Math.max(end - start, this.residuals.length * 2));
      }
    }
    const residuals = this.residuals;

    let beats = 0;
    let duplicates = 0;
    let extras = 0;
    let steps = 0;
    let missed = 0;
    let runs = 0;
    let coveredMs = 0;
    let sumStepMs = 0;
    let sumStepPeriods = 0;
    let sumResiduals = 0;
    let sumSquaredResiduals = 0;
    let firstBeat = NaN;
    let anchor = NaN;
    let runStart = NaN;
    let locked = false;
    let lookahead = start + 1;
    // Abort as soon as even a perfect rest of the series could not pass mayPass: the beat share
    // is at most (beats + rest) / (beats + rest + extras), the missed share at least
    // missed / (steps + rest + missed), and gaps never go away.
    const missedAllowed = s.maxMissedShare + ROUGH_MARGIN;
    const shareNeeded = s.minBeatShare - ROUGH_MARGIN;
    const extrasPerBeat = shareNeeded > 0 ? (1 - shareNeeded) / shareNeeded : Infinity;
    let untilCheck = ABORT_CHECK_EVERY;

    for (let i = start; i < end;) {
      if (abortable && --untilCheck === 0) {
        untilCheck = ABORT_CHECK_EVERY;
        const rest = end - i;
        if (beats + rest < s.minBeats) return false;
        if (extras > (beats + rest) * extrasPerBeat) return false;
        if (missed > (steps + rest + missed) * missedAllowed) return false;
        if (runs - 1 > 2 * s.maxGapShare * (steps + rest) + 1) return false;
      }
      const t = times[i]!;
      if (!locked) {
        // Lock only on an event that has a successor about one period later.
        const low = t + period - firstBand;
        if (lookahead <= i) lookahead = i + 1;
        while (lookahead < end && times[lookahead]! < low) lookahead++;
        if (lookahead < end && times[lookahead]! <= t + period + firstBand) {
          locked = true;
          anchor = runStart = t;
          runs++;
          beats++;
          if (beats === 1) firstBeat = t;
          if (roles) roles[i - start] = EventRole.Beat;
        } else {
          extras++;
          if (roles) roles[i - start] = EventRole.Extra;
        }
        i++;
        continue;
      }
      const elapsed = t - anchor;
      if (elapsed > gapAfter) {
        // A gap ends the run; this event is looked at again as a possible new start.
        coveredMs += anchor - runStart;
        locked = false;
        continue;
      }
      const k = Math.round(elapsed * inversePeriod);
      const residual = elapsed - k * period;
      if (k === 0) {
        if (elapsed <= firstBand) {
          duplicates++;
          if (roles) roles[i - start] = EventRole.Duplicate;
        } else {
          extras++;
          if (roles) roles[i - start] = EventRole.Extra;
        }
      } else if (Math.abs(residual) <= bands[k]!) {
        beats++;
        steps++;
        missed += k - 1;
        sumStepMs += elapsed;
        sumStepPeriods += k;
        const normalised = k === 1 ? residual : residual * INVERSE_SQRT[k]!;
        sumResiduals += normalised;
        sumSquaredResiduals += normalised * normalised;
        if (detail) {
          residuals[steps - 1] = normalised;
          if (k === 1) {
            const distance = Math.abs(residual);
            for (let b = 0; b < CLEAN_BANDS; b++) {
              if (distance <= cleanLimits[b]!) cleanSteps[b]!++;
            }
          }
        }
        anchor = t;
        if (roles) roles[i - start] = EventRole.Beat;
      } else {
        extras++;
        if (roles) roles[i - start] = EventRole.Extra;
      }
      i++;
    }
    if (locked) coveredMs += anchor - runStart;

    this.beats = beats;
    this.duplicates = duplicates;
    this.steps = steps;
    this.missed = missed;
    this.runs = runs;
    this.coveredMs = coveredMs;
    this.sumStepMs = sumStepMs;
    this.sumStepPeriods = sumStepPeriods;
    this.sumResiduals = sumResiduals;
    this.sumSquaredResiduals = sumSquaredResiduals;
    this.firstBeat = firstBeat;
    this.lastBeat = anchor;
    return true;
  }

  /** The final tracking pass at `period`, then every gate; a finding or null. */
  private judge(
    times: Float64Array,
    start: number,
    end: number,
    period: number,
    resolution: number,
    signatureTotal: number | undefined,
  ): PeriodicFinding | null {
    const s = this.settings;
    if (period < s.minPeriodMs * (1 - s.tolerance) || period > s.maxPeriodMs) return null;
    if (period < (MIN_PERIOD_TICKS - 0.5) * resolution) return null;
    if (!this.track(times, start, end, period, resolution, null, true, true)) return null;
    const refined = this.sumStepMs / this.sumStepPeriods;

    const count = end - start;
    const beats = this.beats;
    if (beats < s.minBeats || this.steps === 0) return null;
    const distinct = count - this.duplicates;
    const beatShare = beats / distinct;
    if (beatShare < s.minBeatShare) return null;
    const expectedSteps = this.steps + this.missed;
    const missedShare = this.missed / expectedSteps;
    if (missedShare > s.maxMissedShare) return null;
    const gaps = this.runs - 1;
    if (gaps > s.maxGapShare * this.steps) return null;
    const span = times[end - 1]! - times[start]!;
    const coverage = this.coveredMs / span;
    if (coverage < s.minCoverage) return null;

    const allowedJitter = s.maxJitterRatio * period;
    const sharpness = this.sharpness(resolution);
    if (sharpness > allowedJitter) return null;

    const significance = this.significance(distinct, span, period, resolution);
    if (significance < s.minSignificance) return null;

    const score = beatShare * coverage * (1 - missedShare) * (1 - sharpness / allowedJitter);
    // Reported as seen, rounding included; the gate above used the rounding-corrected spread.
    const jitter = robustSigmaInPlace(this.residuals, this.steps);
    return {
      periodSeconds: refined / 1000,
      jitterSeconds: jitter / 1000,
      resolutionSeconds: resolution / 1000,
      count,
      beats,
      duplicates: this.duplicates,
      extras: count - beats - this.duplicates,
      missedBeats: this.missed,
      gaps,
      first: this.firstBeat,
      last: this.lastBeat,
      coverage,
      share: signatureTotal !== undefined && signatureTotal > 0 ? count / signatureTotal : null,
      score,
      significance,
    };
  }

  /**
   * Under the null hypothesis the `distinct` events arrive as a Poisson process at their observed
   * rate λ. From any event, the chance that some event lands within ±h of one period later is
   * q = 1 − exp(−λ·2h), so the number of "clean" steps among the distinct − 1 intervals is at
   * most Binomial(distinct − 1, q). Rounding moves each timestamp by less than a tick, so an
   * interval that reads within ±h was really within ±(h + 1 tick): h is widened by a tick. The
   * period was chosen from the data, so the chance is multiplied by the number of
   * distinguishable periods in the searched range, and by the number of windows tried
   * (Bonferroni corrections).
   */
  private significance(distinct: number, span: number, period: number, resolution: number): number {
    const s = this.settings;
    const rate = distinct / span;
    const periodRange = Math.log(
      s.maxPeriodMs / Math.max(s.minPeriodMs * (1 - s.tolerance), MIN_BINNED_MS),
    );
    let best = 0;
    for (let b = 0; b < CLEAN_BANDS; b++) {
      const width = 2 * (this.cleanLimits[b]! + resolution);
      const q = 1 - Math.exp(-rate * width);
      const periodsSearched = Math.max(1, periodRange / Math.log1p(width / period));
      const log10Chance =
        binomialTailLog10(distinct - 1, q, this.cleanSteps[b]!) +
        Math.log10(periodsSearched * CLEAN_BANDS);
      best = Math.max(best, -log10Chance);
    }
    return best;
  }
}

/** Tests one series of sorted UTC-ms timestamps; null when it is not periodic. */
export function detectPeriodic(
  times: Float64Array,
  options: PeriodicOptions = {},
): PeriodicFinding | null {
  return new PeriodicAnalyzer(options).analyse(times, 0, times.length, options.signatureTotal);
}

/**
 * Tests the series of every key in `records` (one signature's records in the worker's columns;
 * see KeyedRecords), grouping them into `scratch`, which the caller should keep and reuse (see
 * records.ts for why). Each finding's share is of all the signature's records. Findings come in
 * key order; `counts` and `total` are what dominantSource needs.
 */
export function detectPeriodicByKey(
  records: KeyedRecords,
  options: PeriodicOptions = {},
  scratch?: GroupScratch,
): { findings: PeriodicKeyFinding[]; counts: Uint32Array; total: number } {
  const minCount = options.minBeats ?? DEFAULT_PERIODIC_OPTIONS.minBeats;
  const groups = groupTimes(records, minCount, scratch);
  // When every timestamp is a whole second (the common case) so is every key's; otherwise each
  // series that gets that far detects its own resolution.
  const analyzer = new PeriodicAnalyzer(
    groups.resolutionMs === 1000 && options.resolutionMs === undefined
      ? { ...options, resolutionMs: 1000 }
      : options,
  );
  const { offsets, counts, total } = groups;
  let longest = 0;
  for (let key = 0; key < records.keyCount; key++) {
    longest = Math.max(longest, offsets[key + 1]! - offsets[key]!);
  }
  const series = new Float64Array(longest);
  const findings: PeriodicKeyFinding[] = [];
  for (let key = 0; key < records.keyCount; key++) {
    if (offsets[key + 1] === offsets[key]) continue;
    const n = groups.series(key, series);
    const finding = analyzer.analyse(series, 0, n, total);
    if (finding) findings.push({ key, ...finding });
  }
  return { findings, counts, total };
}
