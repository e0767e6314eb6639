/**
 * The detectors against generated logs with planted behaviour: they must find exactly the truth
 * (no missing finding, no extra one, periods within 2 %), over every series of every signature.
 */
import { describe, expect, it } from 'vitest';
import { detectRecurringBursts } from '../../../shared/findings/bursts';
import { dominantSource } from '../../../shared/findings/dominant';
import { detectPeriodicByKey } from '../../../shared/findings/periodic';
import { Random } from '../../helpers/arrivals';
import type { Scenario, ScenarioTruth } from '../../helpers/findings-scenarios';
import {
  TLS_HANDSHAKE_FAILURE,
  clearTrustScenario,
  columnsBySignature,
  gatewayScenario,
  randomBalancer,
} from '../../helpers/findings-scenarios';

/** What the detectors report, in the truth's shape (periods as measured). */
function detect(scenario: Scenario): ScenarioTruth {
  const periodic: ScenarioTruth['periodic'][number][] = [];
  const bursts: ScenarioTruth['bursts'][number][] = [];
  const dominant: ScenarioTruth['dominant'][number][] = [];
  for (const [signature, columns] of columnsBySignature(scenario.events)) {
    const { findings, counts, total } = detectPeriodicByKey(columns);
    for (const f of findings) {
      periodic.push({ signature, key: columns.keyNames[f.key]!, periodSeconds: f.periodSeconds });
    }
    const burst = detectRecurringBursts(columns);
    if (burst) {
      bursts.push({
        signature,
        intervalSeconds: burst.intervalSeconds,
        keys: burst.keys
          .filter((k) => k.share >= 0.5)
          .map((k) => columns.keyNames[k.key]!)
          .sort(),
      });
    }
    const top = dominantSource(counts, total);
    if (top) dominant.push({ signature, key: columns.keyNames[top.key]! });
  }
  return { periodic, bursts, dominant };
}

/** Exact match, periods and intervals within 2 %. */
function expectTruth(scenario: Scenario): void {
  const found = detect(scenario);
  const truth = scenario.truth;
  const byKey = <T extends { signature: string; key: string }>(list: readonly T[]): T[] =>
    [...list].sort((a, b) => (a.signature + a.key).localeCompare(b.signature + b.key));

  const foundPeriodic = byKey(found.periodic);
  const truePeriodic = byKey(truth.periodic);
  expect(foundPeriodic.map((p) => [p.signature, p.key])).toEqual(
    truePeriodic.map((p) => [p.signature, p.key]),
  );
  foundPeriodic.forEach((p, i) => {
    expect(Math.abs(p.periodSeconds / truePeriodic[i]!.periodSeconds - 1)).toBeLessThan(0.02);
  });

  expect(found.bursts.map((b) => [b.signature, b.keys])).toEqual(
    truth.bursts.map((b) => [b.signature, b.keys]),
  );
  found.bursts.forEach((b, i) => {
    expect(Math.abs(b.intervalSeconds / truth.bursts[i]!.intervalSeconds - 1)).toBeLessThan(0.02);
  });

  expect(byKey(found.dominant)).toEqual(byKey(truth.dominant));
}

describe('gateway logs: load balancers among hundreds of random clients', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('seed %i, in whole seconds', (seed) => {
    expectTruth(gatewayScenario(seed));
  });

  it.each([101, 102, 103])('seed %i, with millisecond timestamps', (seed) => {
    expectTruth(gatewayScenario(seed, { resolutionMs: 1 }));
  });

  it.each([201, 202, 203])('seed %i, two balancers at different periods', (seed) => {
    const rng = new Random(seed);
    const balancers = [
      randomBalancer(rng, '172.16.1.5', 24),
      randomBalancer(rng, '172.16.1.6', 24),
    ];
    expectTruth(gatewayScenario(seed, { balancers }));
  });

  it('covers both sides of dominance and the whole 3–60 s range across the seeds', () => {
    const scenarios = Array.from({ length: 12 }, (_, i) => gatewayScenario(i + 1));
    const periods = scenarios.map((s) => s.truth.periodic[0]!.periodSeconds);
    expect(Math.min(...periods)).toBeLessThan(5);
    expect(Math.max(...periods)).toBeGreaterThan(40);
    const dominated = scenarios.filter((s) => s.truth.dominant.length > 0).length;
    expect(dominated).toBeGreaterThan(0);
    expect(dominated).toBeLessThan(scenarios.length);
  });

  it('a balancer at 3 s dominates the signature; its neighbours are not periodic', () => {
    const balancer = { ...randomBalancer(new Random(1), '172.16.1.5', 24), periodSeconds: 3 };
    const scenario = gatewayScenario(300, { balancers: [balancer] });
    expect(scenario.truth.dominant).toEqual([
      { signature: TLS_HANDSHAKE_FAILURE, key: '172.16.1.5' },
    ]);
    const neighbours = new Set(['172.16.1.50', '172.16.10.5', '172.16.1.15', '172.16.100.5']);
    expect(scenario.events.filter((e) => neighbours.has(e.key)).length).toBeGreaterThan(3000);
    expectTruth(scenario);
  });
});

describe('ClearTrust agent logs: hourly socket errors on several servers, random timeouts', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i, four servers', (seed) => {
    expectTruth(clearTrustScenario(seed));
  });

  it('a server that misses most refreshes is in the burst but not periodic on its own', () => {
    expectTruth(clearTrustScenario(7, { presence: [1, 0.95, 0.3, 1, 0.6] }));
  });

  it('an overloaded server behind most timeouts is the dominant source of timeouts', () => {
    const scenario = clearTrustScenario(8, { overloadedServer: 2, timeoutsPerHour: 10 });
    expect(scenario.truth.dominant).toHaveLength(1);
    expectTruth(scenario);
  });

  it('a 30-minute refresh over a day, with busier random errors', () => {
    expectTruth(
      clearTrustScenario(9, {
        hours: 24,
        refreshMinutes: 30,
        timeoutsPerHour: 20,
        blipsPerHour: 2,
      }),
    );
  });

  it('two servers only', () => {
    expectTruth(clearTrustScenario(10, { presence: [1, 1] }));
  });
});
