import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PeriodicFinding } from '../../../shared/findings/periodic';
import {
  EventRole,
  PeriodicAnalyzer,
  detectPeriodic,
  detectPeriodicByKey,
} from '../../../shared/findings/periodic';
import type { ClockSpec } from '../../helpers/arrivals';
import {
  Random,
  burstTimes,
  clockTimes,
  gamma,
  logUniform,
  normal,
  poissonBetween,
  poissonTimes,
  quantize,
  renewalTimes,
  sorted,
  uniform,
} from '../../helpers/arrivals';

const START = Date.UTC(2024, 2, 4);
const HOUR = 3_600_000;

function clock(
  seed: number,
  spec: Partial<ClockSpec> & { periodSeconds: number },
  res = 1,
): Float64Array {
  const rng = new Random(seed);
  const full: ClockSpec = { start: START, end: START + 24 * HOUR, ...spec };
  return sorted(quantize(clockTimes(rng, full), res));
}

/** Invariants every finding must keep, whatever the input. */
function expectConsistent(finding: PeriodicFinding, times: Float64Array): void {
  expect(finding.beats + finding.duplicates + finding.extras).toBe(finding.count);
  expect(finding.count).toBe(times.length);
  expect(finding.first).toBeGreaterThanOrEqual(times[0]!);
  expect(finding.last).toBeLessThanOrEqual(times[times.length - 1]!);
  expect(finding.first).toBeLessThan(finding.last);
  expect(finding.coverage).toBeGreaterThan(0);
  expect(finding.coverage).toBeLessThanOrEqual(1);
  expect(finding.score).toBeGreaterThanOrEqual(0);
  expect(finding.score).toBeLessThanOrEqual(1);
  expect(finding.significance).toBeGreaterThanOrEqual(9);
}

describe('detectPeriodic finds clocks', () => {
  it.each([1, 2.5, 5, 17, 60, 300, 3600, 6 * 3600])(
    'a clean clock every %s s (millisecond timestamps)',
    (periodSeconds) => {
      const end = START + Math.max(24 * HOUR, 60 * periodSeconds * 1000);
      const times = clock(1, { periodSeconds, end, jitter: 0.002 });
      const found = detectPeriodic(times, { maxPeriodSeconds: 7 * 86_400 });
      expect(found).not.toBeNull();
      expectConsistent(found!, times);
      expect(Math.abs(found!.periodSeconds / periodSeconds - 1)).toBeLessThan(0.001);
      expect(found!).toMatchObject({ beats: times.length, extras: 0, missedBeats: 0, gaps: 0 });
      expect(found!.coverage).toBe(1);
      expect(found!.jitterSeconds).toBeLessThan(0.005 * periodSeconds);
    },
  );

  it.each([3, 4, 5, 7, 12, 30, 60])(
    'a keepalive every %s s ± 2 % logged in whole seconds',
    (periodSeconds) => {
      const times = clock(2, { periodSeconds, jitter: 0.02 }, 1000);
      const found = detectPeriodic(times);
      expect(found).not.toBeNull();
      expectConsistent(found!, times);
      expect(Math.abs(found!.periodSeconds - periodSeconds) / periodSeconds).toBeLessThan(0.005);
      expect(found!.resolutionSeconds).toBe(1);
    },
  );

  it('reports jitter as the spread of one interval', () => {
    for (const jitter of [0.01, 0.02, 0.04]) {
      const times = clock(3, { periodSeconds: 60, jitter });
      const found = detectPeriodic(times)!;
      expect(found.jitterSeconds / 60).toBeGreaterThan(jitter * 0.8);
      expect(found.jitterSeconds / 60).toBeLessThan(jitter * 1.2);
    }
  });

  it('accepts a wall-clock schedule (jitter around fixed times) as well as a drifting timer', () => {
    const times = clock(4, { periodSeconds: 30, jitter: 0.02, jitterModel: 'lattice' });
    expect(detectPeriodic(times)?.periodSeconds).toBeCloseTo(30, 1);
  });

  it('bridges an outage: the device was off for an hour', () => {
    const times = clock(5, {
      periodSeconds: 5,
      jitter: 0.01,
      outages: [[START + 10 * HOUR, START + 11 * HOUR]],
    });
    const found = detectPeriodic(times)!;
    expect(found.gaps).toBe(1);
    expect(found.coverage).toBeCloseTo(23 / 24, 2);
    expect(found.periodSeconds).toBeCloseTo(5, 2);
  });

  it('counts missed beats and duplicated events without losing the rhythm', () => {
    const times = clock(6, {
      periodSeconds: 20,
      jitter: 0.01,
      missedRate: 0.1,
      duplicateRate: 0.2,
      duplicateDelayMs: 200,
    });
    const found = detectPeriodic(times)!;
    expectConsistent(found, times);
    expect(found.periodSeconds).toBeCloseTo(20, 1);
    const expectedBeats = found.beats + found.missedBeats;
    expect(found.missedBeats / expectedBeats).toBeGreaterThan(0.08);
    expect(found.missedBeats / expectedBeats).toBeLessThan(0.12);
    expect(found.duplicates / found.beats).toBeGreaterThan(0.17);
    expect(found.duplicates / found.beats).toBeLessThan(0.23);
  });

  it('finds a clock whose every event is logged twice at the same millisecond', () => {
    const once = clock(7, { periodSeconds: 10, jitter: 0.01 });
    const twice = sorted([...once, ...once]);
    const found = detectPeriodic(twice)!;
    expect(found.duplicates).toBe(once.length);
    expect(found.beats).toBe(once.length);
  });

  it('gives the share of the signature when its total is given', () => {
    const times = clock(8, { periodSeconds: 5 });
    const found = detectPeriodic(times, { signatureTotal: times.length * 2 })!;
    expect(found.share).toBeCloseTo(0.5, 10);
    expect(detectPeriodic(times)!.share).toBeNull();
  });

  it('gives the same finding, moved, for the same series at another time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), (shiftSeconds) => {
        const times = clock(9, { periodSeconds: 15, jitter: 0.02, missedRate: 0.02 }, 1000);
        const shift = shiftSeconds * 1000;
        const moved = times.map((t) => t + shift);
        const a = detectPeriodic(times)!;
        const b = detectPeriodic(moved)!;
        expect({ ...b, first: b.first - shift, last: b.last - shift }).toEqual(a);
      }),
      { numRuns: 20 },
    );
  });

  it('finds every clock with up to 3 % jitter, missed beats, duplicates and stray events', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat(),
          logPeriod: fc.double({ min: 0, max: Math.log(6 * 3600), noNaN: true }),
          beats: fc.integer({ min: 100, max: 3000 }),
          wholeSeconds: fc.boolean(),
          jitter: fc.double({ min: 0, max: 0.03, noNaN: true }),
          jitterModel: fc.constantFrom('drift' as const, 'lattice' as const),
          missedRate: fc.double({ min: 0, max: 0.03, noNaN: true }),
          duplicateRate: fc.double({ min: 0, max: 0.05, noNaN: true }),
          strayShare: fc.double({ min: 0, max: 0.05, noNaN: true }),
          outage: fc.boolean(),
        }),
        (p) => {
          const rng = new Random(p.seed);
          const res = p.wholeSeconds ? 1000 : 1;
          // In whole seconds a period needs four ticks to be told from random arrivals, and a
          // wall-clock schedule ten: its beats may sit on a tick boundary and read ±1 s at random.
          const shortest = !p.wholeSeconds ? 1 : p.jitterModel === 'lattice' ? 10 : 4;
          const periodSeconds = Math.max(shortest, Math.exp(p.logPeriod));
          const span = p.beats * periodSeconds * 1000;
          const outageStart = START + 0.4 * span;
          const beats = clockTimes(rng, {
            start: START,
            end: START + span,
            periodSeconds,
            jitter: p.jitter,
            jitterModel: p.jitterModel,
            missedRate: p.missedRate,
            duplicateRate: p.duplicateRate,
            duplicateDelayMs: 0.01 * periodSeconds * 1000,
            outages: p.outage ? [[outageStart, outageStart + 0.05 * span]] : [],
          });
          const strays = poissonBetween(rng, START, START + span, p.strayShare / periodSeconds);
          const times = sorted(quantize([...beats, ...strays], res));
          const found = detectPeriodic(times);
          expect(found).not.toBeNull();
          expectConsistent(found!, times);
          expect(Math.abs(found!.periodSeconds - periodSeconds) / periodSeconds).toBeLessThan(0.02);
        },
      ),
      { seed: 20_240_304, numRuns: 300 },
    );
  });
});

describe('detectPeriodic never calls random traffic periodic', () => {
  /** Series of many shapes and sizes, half in whole seconds, from one seed. */
  function randomKeys(seed: number, keys: number, make: (rng: Random) => number[]): number {
    const rng = new Random(seed);
    const all: number[] = [];
    const groupOf: number[] = [];
    for (let k = 0; k < keys; k++) {
      const times = quantize(make(rng), k % 2 ? 1000 : 1);
      for (const t of times) {
        all.push(t);
        groupOf.push(k);
      }
    }
    const { findings, total } = detectPeriodicByKey({
      times: Float64Array.from(all),
      keys: Uint32Array.from(groupOf),
      keyCount: keys,
    });
    // Shown on failure: which series was called periodic, and why.
    expect(findings).toEqual([]);
    return total;
  }

  it('5,000 Poisson keys at 1/2 h to 2/s, with 10 to 5,000 events each', () => {
    const total = randomKeys(101, 5000, (rng) =>
      poissonTimes(rng, START, logUniform(rng, 1 / 7200, 2), Math.round(logUniform(rng, 10, 5000))),
    );
    expect(total).toBeGreaterThan(2_000_000);
  });

  it('keys with a mildly preferred interval (gamma, coefficient of variation 0.25 to 0.5)', () => {
    randomKeys(102, 1500, (rng) => {
      const mean = logUniform(rng, 1, 3600);
      const shape = uniform(rng, 4, 16);
      const count = Math.round(logUniform(rng, 10, 3000));
      return renewalTimes(rng, START, count, () => mean * gamma(rng, shape));
    });
  });

  it('keys with an interval anywhere within ±45 % to ±90 % of a mean', () => {
    randomKeys(103, 1000, (rng) => {
      const mean = logUniform(rng, 1, 3600);
      const width = uniform(rng, 0.45, 0.9);
      const count = Math.round(logUniform(rng, 10, 3000));
      return renewalTimes(rng, START, count, () => mean * (1 + width * (2 * rng.next() - 1)));
    });
  });

  it('keys with log-normal intervals (σ 0.25 to 0.6)', () => {
    randomKeys(104, 1000, (rng) => {
      const mean = logUniform(rng, 1, 3600);
      const sigma = uniform(rng, 0.25, 0.6);
      const count = Math.round(logUniform(rng, 10, 3000));
      return renewalTimes(rng, START, count, () => mean * Math.exp(sigma * normal(rng)));
    });
  });

  it('clients retrying in bursts: random sessions of events a few seconds apart', () => {
    randomKeys(105, 1000, (rng) =>
      burstTimes(
        rng,
        START,
        START + logUniform(rng, 1, 72) * HOUR,
        logUniform(rng, 0.2, 30),
        [2, 30],
        uniform(rng, 1, 10),
        uniform(rng, 0.3, 0.8),
      ),
    );
  });

  it('random bursts, each a short clock: regular inside, random between', () => {
    randomKeys(106, 500, (rng) =>
      burstTimes(
        rng,
        START,
        START + 24 * HOUR,
        uniform(rng, 0.5, 6),
        [5, 30],
        uniform(rng, 2, 10),
        0.01,
      ),
    );
  });
});

describe('detectPeriodic: where it draws the line', () => {
  it('needs ten beats, however clean', () => {
    // Millisecond timestamps: whole seconds need a few more beats (see the next test).
    const nine = Float64Array.from({ length: 9 }, (_, i) => START + i * 60_000 + 123);
    const ten = Float64Array.from({ length: 10 }, (_, i) => START + i * 60_000 + 123);
    expect(detectPeriodic(nine)).toBeNull();
    expect(detectPeriodic(ten)).not.toBeNull();
  });

  it('needs more beats when timestamps are coarse, as chance alignments are likelier', () => {
    const beats = (n: number): Float64Array =>
      Float64Array.from({ length: n }, (_, i) => START + i * 5000);
    expect(detectPeriodic(beats(12))).toBeNull();
    expect(detectPeriodic(beats(40))).not.toBeNull();
    expect(detectPeriodic(beats(40))!.significance).toBeLessThan(
      detectPeriodic(beats(80))!.significance,
    );
  });

  it('does not report a period under three timestamp ticks', () => {
    const twoSeconds = clock(20, { periodSeconds: 2, jitter: 0.01 });
    expect(detectPeriodic(twoSeconds)?.periodSeconds).toBeCloseTo(2, 2);
    expect(detectPeriodic(sorted(quantize([...twoSeconds], 1000)))).toBeNull();
  });

  it('does not call a key periodic when the clock is a minority of its events', () => {
    const rng = new Random(21);
    const beats = clockTimes(rng, { start: START, end: START + 24 * HOUR, periodSeconds: 30 });
    const noise = poissonBetween(rng, START, START + 24 * HOUR, 2 / 30);
    expect(detectPeriodic(sorted(beats))).not.toBeNull();
    expect(detectPeriodic(sorted([...beats, ...noise]))).toBeNull();
  });

  it('does not call a key periodic when the clock ran for only a fifth of the series', () => {
    const rng = new Random(22);
    const episode = clockTimes(rng, { start: START, end: START + 2 * HOUR, periodSeconds: 10 });
    const later = poissonBetween(rng, START + 2 * HOUR, START + 10 * HOUR, 1 / 600);
    expect(detectPeriodic(sorted(episode))).not.toBeNull();
    expect(detectPeriodic(sorted([...episode, ...later]))).toBeNull();
  });

  it('stops at about 8 % jitter', () => {
    expect(detectPeriodic(clock(23, { periodSeconds: 60, jitter: 0.05 }))).not.toBeNull();
    expect(detectPeriodic(clock(23, { periodSeconds: 60, jitter: 0.12 }))).toBeNull();
  });

  it('keeps to the period range it is given', () => {
    const times = clock(24, { periodSeconds: 30 });
    expect(detectPeriodic(times, { minPeriodSeconds: 60 })).toBeNull();
    expect(detectPeriodic(times, { maxPeriodSeconds: 20 })).toBeNull();
    expect(detectPeriodic(times, { minPeriodSeconds: 20, maxPeriodSeconds: 40 })).not.toBeNull();
  });

  it('refuses options that make no sense (a bug in the caller)', () => {
    expect(() => detectPeriodic(new Float64Array(0), { minPeriodSeconds: 0 })).toThrow(RangeError);
    expect(() => detectPeriodic(new Float64Array(0), { tolerance: 0.6 })).toThrow(RangeError);
    expect(() => detectPeriodic(new Float64Array(0), { minBeats: 2 })).toThrow(RangeError);
    expect(() => detectPeriodic(new Float64Array(0), { maxPeriodSeconds: 30 * 86_400 })).toThrow(
      RangeError,
    );
  });

  it('handles empty, single-instant and tiny series', () => {
    expect(detectPeriodic(new Float64Array(0))).toBeNull();
    expect(detectPeriodic(new Float64Array(100).fill(START))).toBeNull();
    expect(detectPeriodic(Float64Array.of(START, START + 5000))).toBeNull();
  });
});

describe('PeriodicAnalyzer', () => {
  it('labels each event of a periodic series as a beat, a duplicate or an extra', () => {
    const rng = new Random(30);
    const beats = clockTimes(rng, { start: START, end: START + 6 * HOUR, periodSeconds: 60 });
    const strays = [START + 90_500, START + 3 * HOUR + 20_250];
    const times = sorted([...beats, beats[5]!, ...strays]);
    const roles = new Uint8Array(times.length);
    const found = new PeriodicAnalyzer().analyse(times, 0, times.length, undefined, roles)!;
    const count = (role: number): number => roles.filter((r) => r === role).length;
    expect(count(EventRole.Beat)).toBe(found.beats);
    expect(count(EventRole.Duplicate)).toBe(1);
    expect(count(EventRole.Extra)).toBe(2);
    expect(strays.map((t) => roles[times.indexOf(t)])).toEqual([EventRole.Extra, EventRole.Extra]);
  });

  it('gives the same findings for every key of a signature as for each series alone', () => {
    const rng = new Random(31);
    const series = [
      clock(32, { periodSeconds: 5 }, 1000),
      sorted(quantize(poissonTimes(rng, START, 0.1, 2000), 1000)),
      clock(33, { periodSeconds: 3600, end: START + 48 * HOUR }, 1000),
      new Float64Array(0),
      clock(34, { periodSeconds: 45, jitter: 0.03 }),
    ];
    // Records in time order, interleaved across keys, with a second signature mixed in.
    const records = series
      .flatMap((s, key) => [...s].map((time) => ({ time, key, tags: 0b01 })))
      .concat([...series[0]!].slice(0, 500).map((time) => ({ time: time + 1, key: 4, tags: 0b10 })))
      .sort((a, b) => a.time - b.time);
    const { findings, counts, total } = detectPeriodicByKey({
      times: Float64Array.from(records, (r) => r.time),
      keys: Uint16Array.from(records, (r) => r.key),
      keyCount: series.length,
      select: { tags: Uint8Array.from(records, (r) => r.tags), mask: 0b01 },
    });
    const signatureTotal = series.reduce((sum, s) => sum + s.length, 0);
    expect(total).toBe(signatureTotal);
    expect(Array.from(counts)).toEqual(series.map((s) => s.length));
    expect(findings.map((f) => f.key)).toEqual([0, 2, 4]);
    for (const { key, ...finding } of findings) {
      expect(finding).toEqual(detectPeriodic(series[key]!, { signatureTotal }));
    }
  });
});
