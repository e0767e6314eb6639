/**
 * Seeded arrival-time generators for the findings' tests and benchmark: clocks with jitter,
 * missed beats, duplicates and outages, and the random traffic they must be told apart from.
 * Everything is deterministic for a given Random; times are UTC ms.
 */
import { Random } from '../bench/random';

export { Random };

/** Exponential with mean 1. */
export function exponential(rng: Random): number {
  return -Math.log(1 - rng.next());
}

/** Standard normal (Box–Muller). */
export function normal(rng: Random): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Gamma with the given shape and mean 1 (Marsaglia–Tsang); its coefficient of variation is 1/√shape. */
export function gamma(rng: Random, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * rng.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - rng.next()) < 0.5 * x * x + d - d * v + d * Math.log(v))
      return (d * v) / shape;
  }
}

/** Uniform in [low, high). */
export function uniform(rng: Random, low: number, high: number): number {
  return low + (high - low) * rng.next();
}

/** Log-uniform in [low, high): as likely to be in [1, 10) as in [10, 100). */
export function logUniform(rng: Random, low: number, high: number): number {
  return Math.exp(uniform(rng, Math.log(low), Math.log(high)));
}

/** Rounds every time down to a multiple of `resolutionMs` (as a log with that resolution would). */
export function quantize(times: number[], resolutionMs: number): number[] {
  if (resolutionMs <= 1) return times.map(Math.floor);
  return times.map((t) => Math.floor(t / resolutionMs) * resolutionMs);
}

export function sorted(times: number[]): Float64Array {
  return Float64Array.from(times).sort();
}

/** `count` Poisson arrivals at `ratePerSecond` from `start`. */
export function poissonTimes(
  rng: Random,
  start: number,
  ratePerSecond: number,
  count: number,
): number[] {
  const times: number[] = [];
  let t = start;
  for (let i = 0; i < count; i++) {
    t += (exponential(rng) / ratePerSecond) * 1000;
    times.push(t);
  }
  return times;
}

/** Poisson arrivals at `ratePerSecond` in [start, end). */
export function poissonBetween(
  rng: Random,
  start: number,
  end: number,
  ratePerSecond: number,
): number[] {
  const times: number[] = [];
  for (let t = start + (exponential(rng) / ratePerSecond) * 1000; t < end;) {
    times.push(t);
    t += (exponential(rng) / ratePerSecond) * 1000;
  }
  return times;
}

/** `count` arrivals whose intervals are independent draws of `interval()` seconds. */
export function renewalTimes(
  rng: Random,
  start: number,
  count: number,
  interval: () => number,
): number[] {
  const times: number[] = [];
  let t = start;
  for (let i = 0; i < count; i++) {
    t += interval() * 1000;
    times.push(t);
  }
  return times;
}

export interface ClockSpec {
  readonly start: number;
  readonly end: number;
  readonly periodSeconds: number;
  /** Standard deviation of the timing noise as a fraction of the period. */
  readonly jitter?: number;
  /**
   * `drift`: each interval is period ± noise (a timer re-armed after each beat, the usual
   * keepalive); `lattice`: each beat is phase + k·period ± noise (a wall-clock schedule).
   */
  readonly jitterModel?: 'drift' | 'lattice';
  /** Probability that a beat is not logged. */
  readonly missedRate?: number;
  /** Probability that a beat is logged twice (the copy up to `duplicateDelayMs` later). */
  readonly duplicateRate?: number;
  readonly duplicateDelayMs?: number;
  /** Periods of silence, [from, to) in UTC ms (the device switched off). */
  readonly outages?: readonly (readonly [number, number])[];
}

/** The beats of a clock, before quantisation. */
export function clockTimes(rng: Random, spec: ClockSpec): number[] {
  const period = spec.periodSeconds * 1000;
  const jitter = (spec.jitter ?? 0) * period;
  const times: number[] = [];
  // A random phase: a schedule has no reason to start on a whole second.
  const phase = spec.start + rng.next() * period;
  let nominal = phase;
  for (let k = 0; ; k++) {
    const t = spec.jitterModel === 'lattice' ? phase + k * period + jitter * normal(rng) : nominal;
    if (t >= spec.end) break;
    nominal += period + jitter * normal(rng);
    if (spec.outages?.some(([from, to]) => t >= from && t < to)) continue;
    if (rng.next() < (spec.missedRate ?? 0)) continue;
    times.push(t);
    if (rng.next() < (spec.duplicateRate ?? 0))
      times.push(t + rng.next() * (spec.duplicateDelayMs ?? 0));
  }
  return times.sort((a, b) => a - b);
}

/**
 * Sessions that start as Poisson arrivals and each produce a burst of events a short, regular-
 * looking spacing apart (a client retrying, a crawler): regular inside, random between.
 */
export function burstTimes(
  rng: Random,
  start: number,
  end: number,
  burstsPerHour: number,
  eventsPerBurst: readonly [number, number],
  spacingSeconds: number,
  spacingJitter: number,
): number[] {
  const times: number[] = [];
  for (const burst of poissonBetween(rng, start, end, burstsPerHour / 3600)) {
    const n = eventsPerBurst[0] + rng.int(eventsPerBurst[1] - eventsPerBurst[0] + 1);
    let t = burst;
    for (let i = 0; i < n && t < end; i++) {
      times.push(t);
      t += spacingSeconds * 1000 * (1 + spacingJitter * normal(rng));
    }
  }
  return times.sort((a, b) => a - b);
}
