import { describe, expect, it } from 'vitest';
import { detectRecurringBursts } from '../../../shared/findings/bursts';
import { detectPeriodic } from '../../../shared/findings/periodic';
import { selectedTimeOrder } from '../../../shared/index/order';
import type { KeyedRecords } from '../../../shared/findings/records';
import { Random, clockTimes, exponential, poissonBetween, quantize } from '../../helpers/arrivals';
import {
  AGENT_SERVER_TIMEOUT,
  AGENT_SOCKET_ERROR,
  clearTrustScenario,
  columnsBySignature,
} from '../../helpers/findings-scenarios';

const START = Date.UTC(2024, 2, 4);
const HOUR = 3_600_000;

/** Events as the worker's columns: times in time order with the key of each. */
function keyed(events: { time: number; key: number }[]): KeyedRecords {
  const list = [...events].sort((a, b) => a.time - b.time);
  return {
    times: Float64Array.from(list, (e) => e.time),
    keys: Uint32Array.from(list, (e) => e.key),
    keyCount: Math.max(0, ...list.map((e) => e.key)) + 1,
  };
}

/** Keys 0..servers-1 failing together, a second or two apart, at each of `times`. */
function burstsAt(rng: Random, times: number[], servers: number): { time: number; key: number }[] {
  return times.flatMap((t) =>
    Array.from({ length: servers }, (_, key) => ({ time: t + key * 700 + rng.int(500), key })),
  );
}

describe('detectRecurringBursts', () => {
  it('finds the ClearTrust refresh: all servers within seconds, every hour', () => {
    const scenario = clearTrustScenario(1);
    const columns = columnsBySignature(scenario.events).get(AGENT_SOCKET_ERROR)!;
    const found = detectRecurringBursts(columns);
    expect(found).not.toBeNull();
    const truth = scenario.truth.bursts[0]!;
    expect(Math.abs(found!.intervalSeconds / truth.intervalSeconds - 1)).toBeLessThan(0.02);
    expect(found!.bursts).toBeGreaterThanOrEqual(46);
    expect(found!.widthSeconds).toBeLessThan(10);
    expect(found!.keysPerBurst).toBe(4);
    const mostly = found!.keys.filter((k) => k.share >= 0.5).map((k) => columns.keyNames[k.key]);
    expect(mostly.sort()).toEqual(truth.keys);
    expect(found!.share).toBeGreaterThan(0.85);
    expect(found!.first).toBeGreaterThanOrEqual(scenario.start);
    expect(found!.last).toBeLessThan(scenario.end);
  });

  it('does not find a schedule in random timeouts, though some fall on several servers together', () => {
    const scenario = clearTrustScenario(2, { timeoutsPerHour: 30 });
    const columns = columnsBySignature(scenario.events).get(AGENT_SERVER_TIMEOUT)!;
    expect(detectRecurringBursts(columns)).toBeNull();
  });

  it('does not call bursts at random times recurring', () => {
    const rng = new Random(3);
    const times = poissonBetween(rng, START, START + 72 * HOUR, 1 / 3600);
    expect(times.length).toBeGreaterThan(50);
    expect(detectRecurringBursts(keyed(burstsAt(rng, times, 4)))).toBeNull();
  });

  it('leaves one key failing on a schedule to the periodicity test', () => {
    const rng = new Random(4);
    const times = clockTimes(rng, { start: START, end: START + 48 * HOUR, periodSeconds: 3600 });
    const events = keyed(times.map((time) => ({ time, key: 0 })));
    expect(detectRecurringBursts(events)).toBeNull();
    expect(detectPeriodic(events.times)?.periodSeconds).toBeCloseTo(3600, -1);
  });

  it('takes a cluster wider than maxWidthSeconds for busy traffic, not a burst', () => {
    const rng = new Random(5);
    const refreshes = clockTimes(rng, {
      start: START,
      end: START + 48 * HOUR,
      periodSeconds: 3600,
    });
    // Forty events ten seconds apart from two keys: five minutes of steady failures each hour.
    const events = keyed(
      refreshes.flatMap((t) =>
        Array.from({ length: 40 }, (_, i) => ({ time: t + i * 10_000, key: i % 2 })),
      ),
    );
    expect(detectRecurringBursts(events)).toBeNull();
    expect(detectRecurringBursts(events, { maxWidthSeconds: 600 })?.intervalSeconds).toBeCloseTo(
      3600,
      -1,
    );
  });

  it('counts missed refreshes, bursts off the rhythm, and how often each key took part', () => {
    const rng = new Random(6);
    const refreshes = clockTimes(rng, {
      start: START,
      end: START + 48 * HOUR,
      periodSeconds: 1800,
      missedRate: 0.1,
    });
    const offRhythm = [START + 5.3 * HOUR, START + 20.6 * HOUR];
    const events = [
      ...burstsAt(rng, refreshes, 3),
      ...burstsAt(rng, offRhythm, 2),
      // A fourth server that takes part in every other refresh.
      ...refreshes.filter((_, i) => i % 2 === 0).map((t) => ({ time: t + 3000, key: 3 })),
    ];
    const found = detectRecurringBursts(keyed(events))!;
    expect(found.intervalSeconds).toBeCloseTo(1800, -1);
    expect(found.bursts).toBe(refreshes.length);
    expect(found.otherBursts).toBe(2);
    expect(found.missedBursts).toBeGreaterThan(0);
    expect(found.keys.map((k) => k.key)).toEqual([0, 1, 2, 3]);
    expect(found.keys[0]).toEqual({ key: 0, bursts: refreshes.length, share: 1 });
    expect(found.keys[3]!.share).toBeCloseTo(0.5, 1);
    expect(found.events + 2 * 2).toBe(found.count);
  });

  it('keeps the rhythm through random events of the same signature between the bursts', () => {
    const rng = new Random(7);
    const refreshes = clockTimes(rng, {
      start: START,
      end: START + 48 * HOUR,
      periodSeconds: 3600,
    });
    const blips = poissonBetween(rng, START, START + 48 * HOUR, 3 / 3600).map((time) => ({
      time,
      key: rng.int(4),
    }));
    const events = [...burstsAt(rng, refreshes, 4), ...blips].map((e) => ({
      ...e,
      time: quantize([e.time], 1000)[0]!,
    }));
    const found = detectRecurringBursts(keyed(events))!;
    expect(Math.abs(found.intervalSeconds / 3600 - 1)).toBeLessThan(0.02);
    expect(found.share).toBeGreaterThan(0.5);
  });

  it("reads the worker's columns: a tag mask, spare capacity, a time order, records without a key", () => {
    const rng = new Random(9);
    const refreshes = clockTimes(rng, {
      start: START,
      end: START + 24 * HOUR,
      periodSeconds: 3600,
    });
    const plain = keyed(burstsAt(rng, refreshes, 3));
    const expected = detectRecurringBursts(plain);
    expect(expected).not.toBeNull();
    // The same events in reverse record order, each followed by a record of another signature
    // and by one without a key, plus spare capacity: the same finding.
    const n = plain.times.length;
    const times: number[] = [];
    const keys: number[] = [];
    const tags: number[] = [];
    for (let i = n - 1; i >= 0; i--) {
      times.push(plain.times[i]!, plain.times[i]! + 1, plain.times[i]! + 2);
      keys.push(plain.keys[i]!, 0, 99);
      tags.push(1, 2, 1);
    }
    const order = Uint32Array.from({ length: times.length }, (_, j) => times.length - 1 - j);
    const columns = {
      times: Float64Array.from([...times, 0, 0]),
      keys: Uint32Array.from([...keys, 0, 0]),
      keyCount: 3,
      select: { tags: Uint8Array.from([...tags, 1, 1]), mask: 1 },
      length: times.length,
      order,
    };
    expect(detectRecurringBursts(columns)).toEqual(expected);
    expect(() => detectRecurringBursts({ ...columns, order: null })).toThrow(/time order/);
    // An order of the signature's records alone (what analyse passes) walks the same records.
    const selected = selectedTimeOrder(columns.times, columns.length, columns.select.tags, 1);
    expect(selected!.length).toBe((2 * times.length) / 3);
    expect(detectRecurringBursts({ ...columns, order: selected })).toEqual(expected);
  });

  it('reads nothing into no events, and refuses bad options or short columns (bugs in the caller)', () => {
    expect(detectRecurringBursts({ times: new Float64Array(0), keys: [], keyCount: 0 })).toBeNull();
    expect(() =>
      detectRecurringBursts({ times: Float64Array.of(1, 2), keys: [0], keyCount: 1 }),
    ).toThrow(RangeError);
    expect(() =>
      detectRecurringBursts(
        { times: new Float64Array(0), keys: [], keyCount: 0 },
        { maxSpreadSeconds: 0 },
      ),
    ).toThrow(RangeError);
  });

  it('is not thrown off by an exponential spread of burst sizes', () => {
    const rng = new Random(8);
    const refreshes = clockTimes(rng, {
      start: START,
      end: START + 24 * HOUR,
      periodSeconds: 3600,
    });
    const events = refreshes.flatMap((t) => {
      const servers = 2 + Math.min(10, Math.floor(exponential(rng) * 3));
      return Array.from({ length: servers }, (_, key) => ({ time: t + key * 300, key }));
    });
    const found = detectRecurringBursts(keyed(events))!;
    expect(found.bursts).toBe(refreshes.length);
    expect(found.keysPerBurst).toBeGreaterThanOrEqual(2);
  });
});
