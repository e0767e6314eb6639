/**
 * The findings of whole files, from log text through the real framer, format, tagger and index:
 * planted load balancers, ClearTrust refresh bursts and certificate hosts must come out exactly
 * (no missing, no extra, periods within 2 %), each with valid rules, and `suggest` must make a
 * filter set the validator and the exporters accept.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/findings/analyse';
import { analyseIndex } from '../../../shared/findings/analyse';
import { poolRefreshSeconds } from '../../../shared/findings/explain';
import { suggestFilterSet } from '../../../shared/findings/suggest';
import { validateFilterSet } from '../../../shared/filters/persist';
import { exportFilterSet } from '../../../shared/exporters/registry';
import { formatById } from '../../../shared/formats/registry';
import type { LogFormat } from '../../../shared/formats/types';
import type { Scenario } from '../../helpers/findings-scenarios';
import {
  AGENT_SERVER_TIMEOUT,
  AGENT_SOCKET_ERROR,
  clearTrustScenario,
  gatewayScenario,
} from '../../helpers/findings-scenarios';
import { ctagentLog, elffScenario, gatewayErrorLog, serverOf } from '../../helpers/findings-logs';
import { corpusBytes, ingest } from '../../helpers/ingest';
import { FINDING_KEYS } from '../../helpers/contract';

function format(id: string): LogFormat {
  const found = formatById(id);
  if (found === undefined) throw new Error(`no format ${id}`);
  return found;
}

function findingsOf(formatId: string, text: string): Finding[] {
  const { index } = ingest(format(formatId), text);
  return analyseIndex(index);
}

const keyOf = (f: Finding): string => {
  const value = Object.values(f.match)[0]!;
  return typeof value === 'string' ? value : value.join(' ');
};

/** Periodic, burst and dominant findings against the scenario's truth, keys mapped by `key`. */
function expectTruth(scenario: Scenario, findings: Finding[], key: (k: string) => string): void {
  const sorted = <T>(list: T[]): T[] => list.sort((a, b) => (String(a) < String(b) ? -1 : 1));
  const periodic = findings.filter((f) => f.kind === 'periodic');
  expect(sorted(periodic.map((f) => `${f.tag} ${keyOf(f)}`))).toEqual(
    sorted(scenario.truth.periodic.map((p) => `${p.signature} ${key(p.key)}`)),
  );
  for (const f of periodic) {
    const truth = scenario.truth.periodic.find(
      (p) => p.signature === f.tag && key(p.key) === keyOf(f),
    )!;
    expect(Math.abs(f.periodSeconds! / truth.periodSeconds - 1)).toBeLessThan(0.02);
  }
  const bursts = findings.filter((f) => f.kind === 'recurring-burst');
  expect(bursts.map((f) => [f.tag, f.match.source ?? f.match.srcIp])).toEqual(
    scenario.truth.bursts.map((b) => [b.signature, b.keys.map(key).sort()]),
  );
  bursts.forEach((f, i) => {
    expect(Math.abs(f.periodSeconds! / scenario.truth.bursts[i]!.intervalSeconds - 1)).toBeLessThan(
      0.02,
    );
  });
  expect(
    sorted(findings.filter((f) => f.kind === 'dominant-source').map((f) => `${f.tag} ${keyOf(f)}`)),
  ).toEqual(sorted(scenario.truth.dominant.map((d) => `${d.signature} ${key(d.key)}`)));
}

/** Every finding has the contract's fields and valid rules. */
function expectShape(findings: Finding[]): void {
  for (const f of findings) {
    expect(Object.keys(f)).toEqual([...FINDING_KEYS]);
    expect(f.rules.length).toBeGreaterThan(0);
    const set = validateFilterSet({
      logsieve: 'filter-set',
      version: 1,
      name: 't',
      rules: f.rules,
    });
    expect(set.ok).toBe(true);
  }
}

describe('gateway error logs: load balancers among hundreds of random clients', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i', (seed) => {
    const scenario = gatewayScenario(seed, { hours: 12 });
    const findings = findingsOf('apache-error', gatewayErrorLog(scenario));
    expectTruth(scenario, findings, (k) => k);
    expectShape(findings);
  });

  it('seed 101 with millisecond times: the balancer, its remedy written exactly', () => {
    const scenario = gatewayScenario(101, { hours: 12, resolutionMs: 1 });
    const findings = findingsOf('apache-error', gatewayErrorLog(scenario));
    expectTruth(scenario, findings, (k) => k);
    const balancer = findings.find((f) => f.kind === 'periodic')!;
    expect(balancer).toMatchObject({
      tag: 'tls-handshake-failure',
      code: 'AH02008',
      match: { srcIp: '172.16.1.5' },
    });
    expect(balancer.remedy).toContain('SetEnvIf Remote_Addr "^172\\.16\\.1\\.5$" nolog');
    expect(balancer.rules[0]).toMatchObject({ action: 'hide', when: { srcIp: ['172.16.1.5'] } });
  });
});

describe('ClearTrust agent logs: hourly bursts on several servers, random timeouts', () => {
  it.each([1, 2, 3])('seed %i', (seed) => {
    const scenario = clearTrustScenario(seed, { hours: 24 });
    const findings = findingsOf('cleartrust', ctagentLog(scenario));
    expectTruth(scenario, findings, serverOf);
    expectShape(findings);
    const burst = findings.find((f) => f.kind === 'recurring-burst')!;
    expect(burst.code).toBe('CT_SOCKET_ERROR');
    expect(burst.remedy).toContain(
      `cleartrust.agent.auth_server_pool_refresh=${poolRefreshSeconds(burst.periodSeconds!)}`,
    );
    expect(poolRefreshSeconds(burst.periodSeconds!)).toBeLessThan(burst.periodSeconds!);
  });

  it('an overloaded server is the dominant source of timeouts', () => {
    const scenario = clearTrustScenario(8, { overloadedServer: 2, timeoutsPerHour: 10 });
    const findings = findingsOf('cleartrust', ctagentLog(scenario));
    expectTruth(scenario, findings, serverOf);
    const dominant = findings.filter((f) => f.kind === 'dominant-source');
    expect(dominant.map((f) => [f.tag, f.match.source])).toEqual([
      [AGENT_SERVER_TIMEOUT, 'server#3'],
    ]);
    expect(findings.some((f) => f.tag === AGENT_SOCKET_ERROR)).toBe(true);
  });
});

describe('ELFF certificate errors per host', () => {
  it.each([1, 2])('seed %i: every bad host with its errors and clients, no clean host', (seed) => {
    const scenario = elffScenario(seed);
    const findings = findingsOf('w3c', scenario.text);
    const hosts = findings.filter((f) => f.kind === 'cert-host');
    expect(hosts.map((f) => f.match.certHost)).toEqual(scenario.truth.map((t) => t.host));
    hosts.forEach((f, i) => {
      const truth = scenario.truth[i]!;
      const total = Object.values(truth.errors).reduce((s, n) => s + n, 0);
      expect(f.count).toBe(total);
      for (const [tag, n] of Object.entries(truth.errors))
        expect(f.explanation).toContain(`${tag} ${n}`);
      expect(f.title).toContain(`${truth.users} clients`);
      expect(f.rules[0]).toMatchObject({ action: 'trust', enabled: false });
    });
    expect(findings.filter((f) => f.kind !== 'cert-host')).toEqual([]);
    expectShape(findings);
  });
});

describe('signatures that are a sliver of a big file', () => {
  /** After every line, `n` lines of the same time that no tag marks and no finding reads. */
  function diluted(text: string, n: number, filler: (line: string) => string): string {
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => [line, ...Array<string>(n).fill(filler(line))].join('\n'))
      .join('\n');
  }

  it('finds exactly what it finds in the signatures alone (they are read from their own list)', () => {
    const gateway = gatewayErrorLog(gatewayScenario(2, { hours: 12 }));
    const agent = ctagentLog(clearTrustScenario(1, { hours: 24 }));
    const cases: [string, string, (line: string) => string][] = [
      [
        'apache-error',
        gateway,
        (line) => `${line.slice(0, line.indexOf(']') + 1)} [core:notice] [pid 1] ok`,
      ],
      [
        'cleartrust',
        agent,
        (line) => `${line.slice(0, line.indexOf(' - ['))} - [3] - <Info> - started`,
      ],
    ];
    for (const [id, text, filler] of cases) {
      const alone = findingsOf(id, text);
      expect(alone.some((f) => f.kind === 'periodic' || f.kind === 'recurring-burst')).toBe(true);
      // 20 fillers a line: every signature is under a sixteenth of the records.
      expect(findingsOf(id, diluted(text, 20, filler))).toEqual(alone);
    }
  });
});

describe('suggest', () => {
  it('makes a valid filter set from the findings above the share, that every target exports', () => {
    const gateway = findingsOf('apache-error', gatewayErrorLog(gatewayScenario(3, { hours: 12 })));
    const agent = findingsOf('cleartrust', ctagentLog(clearTrustScenario(1, { hours: 24 })));
    const certs = findingsOf('w3c', elffScenario(1).text);
    const all = [...gateway, ...agent, ...certs];
    const set = suggestFilterSet(all, { minShare: 0.05 });
    expect(set.ok).toBe(true);
    if (!set.ok) return;
    const ids = set.value.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(set.value.rules.some((r) => r.when.srcIp?.[0] === '172.16.1.5')).toBe(true);
    for (const target of ['httpd', 'httpd24', 'cpl']) {
      const out = exportFilterSet(target, set.value, {});
      expect(out.ok).toBe(true);
    }
    // A higher threshold keeps fewer rules; above every share, none.
    const strict = suggestFilterSet(all, { minShare: 0.99 });
    expect(strict.ok && strict.value.rules.length).toBeLessThan(set.value.rules.length);
    const none = suggestFilterSet(all, { minShare: 1.01 });
    expect(none.ok && none.value.rules).toEqual([]);
  });
});

describe('the real corpus', () => {
  it('SysEvent.Evt: the Google Update service started and stopped every 5 h (codes without a tag)', () => {
    const { index } = ingest(format('evt'), corpusBytes('evt/plaso_SysEvent.Evt'));
    const findings = analyseIndex(index);
    expect(findings.map((f) => [f.kind, f.tag, f.code, f.match.source])).toEqual([
      ['periodic', null, '7036', 'Service Control Manager'],
      ['periodic', null, '7035', 'Service Control Manager'],
    ]);
    for (const f of findings) {
      expect(Math.abs(f.periodSeconds! / 18_000 - 1)).toBeLessThan(0.02);
      expect(f.rules).toEqual([
        expect.objectContaining({
          action: 'hide',
          when: { code: [f.code], source: ['Service Control Manager'] },
        }),
      ]);
    }
  });

  it.each([
    ['evtx', 'evtx/omerbenamram_system.evtx'],
    ['evtx', 'evtx/omerbenamram_CAPI2_Operational.evtx'],
    ['apache-access', 'apache/elastic-examples_apache_logs_combined.log'],
    ['w3c', 'elff/stroom-docs_sampleBluecoat.log'],
  ])('%s %s: nothing regular enough to report', (formatId, path) => {
    const { index } = ingest(format(formatId), corpusBytes(path));
    expect(analyseIndex(index)).toEqual([]);
  });
});
