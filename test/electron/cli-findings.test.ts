/**
 * Findings through the CLI as scripts use it, a real process over real worker threads: `scan
 * --json` fills `findings` (keeping every other field), and `suggest` prints a filter set that
 * the loader validates and `export --target httpd` turns into exact SetEnvIf lines.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { FINDING_KEYS, SCAN_FILE_KEYS } from '../helpers/contract';
import { parseFilterSet } from '../../shared/filters/persist';
import { poolRefreshSeconds } from '../../shared/findings/explain';
import { clearTrustScenario, gatewayScenario } from '../helpers/findings-scenarios';
import { ctagentLog, elffScenario, gatewayErrorLog } from '../helpers/findings-logs';
import { BALANCER, linkedGatewayLogs } from '../helpers/linked-logs';
import { CORPUS } from '../helpers/ingest';
import { tempDir, writeTemp } from '../helpers/session';

interface FindingJson {
  kind: string;
  tag: string | null;
  code: string | null;
  match: Record<string, string | string[]>;
  count: number;
  share: number | null;
  periodSeconds: number | null;
  jitterSeconds: number | null;
  first: string | null;
  last: string | null;
  title: string;
  explanation: string;
  remedy: string;
  rules: unknown[];
  file: string;
  links: {
    fileId: number;
    file: string;
    name: string;
    index: number;
    kind: string;
    match: Record<string, string | string[]>;
    title: string;
    why: string;
    reason: string;
  }[];
}

let dir: string;
let gateway: string;
let agent: string;
let proxy: string;
beforeAll(() => {
  dir = tempDir();
  gateway = writeTemp(dir, 'gateway_error.log', gatewayErrorLog(gatewayScenario(4, { hours: 12 })));
  agent = writeTemp(dir, 'ctagent.log', ctagentLog(clearTrustScenario(2, { hours: 24 })));
  proxy = writeTemp(dir, 'proxy_access.log', elffScenario(1).text);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('scan --json findings', () => {
  it('lists each file’s findings in the contract shape, with every file field kept', async () => {
    const { code, stdout } = await cli('scan', '--json', gateway, agent, proxy);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      files: Record<string, unknown>[];
      tags: Record<string, number>;
      findings: FindingJson[];
    };
    expect(result.files.map((f) => f.format)).toEqual(['apache-error', 'cleartrust', 'w3c']);
    for (const key of SCAN_FILE_KEYS)
      for (const file of result.files) expect(file).toHaveProperty(key);
    expect(result.tags['tls-handshake-failure']).toBeGreaterThan(0);

    for (const f of result.findings)
      expect(Object.keys(f)).toEqual([...FINDING_KEYS, 'file', 'links']);
    const counts = result.findings.map((f) => f.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const balancer = result.findings.find((f) => f.kind === 'periodic' && f.file === gateway)!;
    expect(balancer).toMatchObject({
      tag: 'tls-handshake-failure',
      match: { srcIp: '172.16.1.5' },
    });
    expect(balancer.first).toMatch(/^2024-03-04T/);
    expect(balancer.remedy).toContain('SetEnvIf Remote_Addr "^172\\.16\\.1\\.5$" nolog');

    const burst = result.findings.find((f) => f.kind === 'recurring-burst')!;
    expect(burst).toMatchObject({
      file: agent,
      tag: 'agent-socket-error',
      code: 'CT_SOCKET_ERROR',
      match: { source: ['server#1', 'server#2', 'server#3', 'server#4'] },
    });
    expect(Math.abs(burst.periodSeconds! / 3600 - 1)).toBeLessThan(0.02);
    expect(burst.remedy).toContain(
      `cleartrust.agent.auth_server_pool_refresh=${poolRefreshSeconds(burst.periodSeconds!)}`,
    );

    const hosts = result.findings.filter((f) => f.kind === 'cert-host');
    expect(hosts.map((f) => f.match.certHost)).toEqual(elffScenario(1).truth.map((t) => t.host));
    for (const f of hosts) expect(f.periodSeconds).toBeNull();
    // Three unrelated logs: nothing lines up across them.
    expect(result.findings.flatMap((f) => f.links)).toEqual([]);
  });

  it('links the event log’s handshake failures and the access log’s probes: one balancer', async () => {
    const logs = linkedGatewayLogs(1);
    const events = writeTemp(dir, 'gateway-events.csv', logs.eventLog);
    const access = writeTemp(dir, 'access.log', logs.accessLog);
    const { code, stdout } = await cli('scan', '--json', events, access);
    expect(code).toBe(0);
    const { findings } = JSON.parse(stdout) as { findings: FindingJson[] };
    const linked = findings.filter((f) => f.links.length > 0);
    expect(linked.map((f) => [f.file, f.kind, f.match, f.links.length])).toEqual(
      expect.arrayContaining([
        [events, 'periodic', { source: 'Secure Gateway' }, 1],
        [access, 'periodic', { srcIp: BALANCER }, 1],
      ]),
    );
    expect(linked).toHaveLength(2);
    // Each link finds its finding: the link's file, at the link's position among that file's.
    for (const f of linked) {
      const link = f.links[0]!;
      const target = findings.filter((g) => g.file === link.file)[link.index]!;
      expect(target).toBe(linked.find((g) => g !== f));
      expect(link).toMatchObject({ why: 'same-rhythm', kind: 'periodic', title: target.title });
      expect(target.links[0]!.file).toBe(f.file);
    }
  });

  it('finds nothing to explain in a corpus access log without signatures (an empty list)', async () => {
    const { code, stdout } = await cli(
      'scan',
      '--json',
      CORPUS + 'apache/plaso_apache_access_mixed.log',
    );
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { findings: unknown[] }).findings).toEqual([]);
  });
});

describe('suggest', () => {
  it('prints a valid filter set that export --target httpd writes as exact SetEnvIf lines', async () => {
    const { code, stdout, stderr } = await cli(
      'suggest',
      gateway,
      agent,
      proxy,
      '--min-share',
      '0.05',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const set = parseFilterSet(stdout);
    expect(set.ok).toBe(true);
    if (!set.ok) return;
    expect(set.value.rules.length).toBeGreaterThan(0);
    const setFile = writeTemp(dir, 'suggested.logsieve-filters.json', stdout);

    const httpd = await cli('export', '--filters', setFile, '--target', 'httpd');
    expect(httpd.stderr).toBe('');
    expect(httpd.code).toBe(0);
    expect(httpd.stdout).toContain('SetEnvIf Remote_Addr "^172\\.16\\.1\\.5$" nolog');
    const cpl = await cli('export', '--filters', setFile, '--target', 'cpl');
    expect(cpl.code).toBe(0);
  });

  it('keeps fewer rules at a higher --min-share, and refuses a share outside 0–1 (exit 2)', async () => {
    const loose = await cli('suggest', gateway, agent, '--min-share', '0');
    const strict = await cli('suggest', gateway, agent, '--min-share', '0.99');
    const rules = (text: string): number => (JSON.parse(text) as { rules: unknown[] }).rules.length;
    expect(rules(strict.stdout)).toBeLessThan(rules(loose.stdout));
    const bad = await cli('suggest', agent, '--min-share', '5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-share');
  });
});
