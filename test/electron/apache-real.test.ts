/**
 * The exports and the audit against a real Apache httpd (Debian's apache2, which .ci/run
 * installs). Each snippet is included in a generated configuration on a loopback port, with its
 * own ServerRoot, PidFile and logs in a temporary directory; `apache2 -t` must accept it; then
 * requests come from source addresses inside, at the edges of and just outside every range
 * (Linux routes all of 127.0.0.0/8 to loopback, so any 127.x.y.z can be a source), and the
 * access log, written with `CustomLog … env=!nolog`, must hold exactly the requests the filter
 * set does not hide, as the reference matcher decides.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditConfiguration } from '../../shared/audit/audit';
import { ruleMatches, type MatchableRecord } from '../../shared/filters/match';
import type { FilterRule, FilterSet } from '../../shared/filters/model';
import { parseIpAddress } from '../../shared/net/address';
import { rangeContains } from '../../shared/net/range';
import { exportFilterSet } from '../../shared/exporters/registry';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const missing = existsSync(APACHE)
  ? null
  : `${APACHE} is not installed (.ci/run installs Debian's apache2; locally: apt-get install -y apache2)`;

const HIDE: FilterRule = {
  id: 'lb-keepalive',
  enabled: true,
  action: 'hide',
  when: {
    srcIp: [
      '127.16.1.0/24',
      '127.16.10.5',
      '127.0.0.10-127.0.0.20',
      '127.30.255.250-127.31.0.5',
      '::1',
    ],
  },
  comment: 'Cisco CSS keepalive, every 5 s',
};
const SET: FilterSet = {
  logsieve: 'filter-set',
  version: 1,
  name: 'Loopback probes',
  rules: [HIDE],
};

/** Inside, at the edges of and just outside each value; some are what `^127.16.1.` would catch. */
// prettier-ignore
const IPV4_PROBES = [
  '127.16.1.0', '127.16.1.77', '127.16.1.255', '127.16.0.255', '127.16.2.0', '127.16.10.1', '127.16.100.5', '127.16.19.9',
  '127.16.10.5', '127.16.10.4', '127.16.10.6', '127.16.10.50',
  '127.0.0.10', '127.0.0.15', '127.0.0.20', '127.0.0.9', '127.0.0.21', '127.0.0.2', '127.0.0.100',
  '127.30.255.250', '127.30.255.255', '127.31.0.0', '127.31.0.5', '127.30.255.249', '127.31.0.6',
];

const record = (srcIp: string): MatchableRecord => ({
  srcIp,
  certHost: null,
  host: null,
  tags: [],
  code: null,
  source: null,
  level: null,
  message: null,
  fields: {},
});

const running = new Set<ChildProcess>();
const directories: string[] = [];

afterAll(async () => {
  await Promise.all([...running].map(stop));
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}

function canUseIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

/** Modules this Apache has built in (Debian compiles in log_config and unixd). */
const builtIn = (): string => spawnSync(APACHE, ['-l'], { encoding: 'utf8' }).stdout;

function runAs(): string[] {
  if (process.getuid?.() !== 0) return [];
  // As root, Apache's children must switch to an unprivileged user; logs are opened before that.
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const user = /^www-data:/m.test(passwd) ? 'www-data' : 'nobody';
  const group = /^www-data:/m.test(readFileSync('/etc/group', 'utf8')) ? 'www-data' : 'nogroup';
  return [`User ${user}`, `Group ${group}`];
}

interface Instance {
  readonly dir: string;
  readonly config: string;
  readonly ipv6: boolean;
  /** Chosen when Apache starts (a port found free can be taken again before Apache binds it). */
  port: number;
}

async function createInstance(snippet: string): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), 'logsieve-apache-'));
  directories.push(dir);
  mkdirSync(join(dir, 'htdocs'));
  writeFileSync(join(dir, 'snippet.conf'), snippet);
  const instance = {
    dir,
    config: join(dir, 'httpd.conf'),
    ipv6: await canUseIpv6Loopback(),
    port: 0,
  };
  writeConfig(instance, await freePort());
  return instance;
}

function writeConfig(instance: Instance, port: number): void {
  const { dir, ipv6 } = instance;
  instance.port = port;
  const compiled = builtIn();
  const module = (name: string, file: string): string[] =>
    compiled.includes(`mod_${name}.c`) ? [] : [`LoadModule ${name}_module ${MODULES}/${file}`];
  writeFileSync(
    instance.config,
    [
      `ServerRoot "${dir}"`,
      'ServerName localhost',
      `Listen 127.0.0.1:${port}`,
      ...(ipv6 ? [`Listen [::1]:${port}`] : []),
      `PidFile "${dir}/httpd.pid"`,
      `DefaultRuntimeDir "${dir}"`,
      `ErrorLog "${dir}/error.log"`,
      'LogLevel warn',
      `LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so`,
      ...module('unixd', 'mod_unixd.so'),
      ...module('log_config', 'mod_log_config.so'),
      ...module('authz_core', 'mod_authz_core.so'),
      ...module('setenvif', 'mod_setenvif.so'),
      ...runAs(),
      `DocumentRoot "${dir}/htdocs"`,
      'LogFormat "%a %U" probe',
      `Include "${dir}/snippet.conf"`,
      `CustomLog "${dir}/access.log" probe env=!nolog`,
      '',
    ].join('\n'),
  );
}

function configTest(instance: Instance): { status: number | null; output: string } {
  const result = spawnSync(APACHE, ['-t', '-f', instance.config], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

const errorLog = (instance: Instance): string => {
  const path = join(instance.dir, 'error.log');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts Apache and waits until it has bound its ports: it writes its pid file only after that,
 * so once the file names our process, the port answering is this Apache and no other server.
 * A port taken in the meantime by another test makes Apache exit; then another port is tried.
 */
async function start(instance: Instance): Promise<ChildProcess> {
  for (let attempt = 1; ; attempt += 1) {
    // Start-up errors (such as a port in use) go to stderr: the error log is not open yet.
    const child = spawn(APACHE, ['-f', instance.config, '-D', 'FOREGROUND'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.add(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const pidFile = join(instance.dir, 'httpd.pid');
    for (let wait = 0; wait < 200 && child.exitCode === null; wait += 1) {
      const pid = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : '';
      if (pid === String(child.pid) && (await accepts(instance.port))) return child;
      await sleep(50);
    }
    await stop(child);
    const errors = `${stderr}${errorLog(instance)}`;
    if (attempt < 5 && errors.includes('Address already in use')) {
      writeConfig(instance, await freePort());
      continue;
    }
    throw new Error(`Apache did not start on port ${instance.port}: ${errors}`);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

function stop(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    // SIGTERM is Apache's "stop now": children are stopped and the pid file removed.
    child.kill('SIGTERM');
  });
}

/**
 * One request from `source`. Resolves once the server has closed the connection: with
 * `Connection: close`, Apache writes the access-log line before it closes.
 */
function probe(port: number, source: string): Promise<void> {
  const ipv6 = source.includes(':');
  return new Promise((resolve, reject) => {
    const req = request({
      host: ipv6 ? '::1' : '127.0.0.1',
      port,
      localAddress: source,
      path: `/probe/${source}`,
      agent: false,
      headers: { Connection: 'close' },
    });
    req.once('socket', (socket) => socket.once('close', () => resolve()));
    req.once('response', (res) => res.resume());
    req.once('error', reject);
    req.end();
  });
}

/** Sends every probe, then a sentinel that is never hidden, and returns the logged sources. */
async function loggedSources(instance: Instance, sources: readonly string[]): Promise<string[]> {
  const child = await start(instance);
  try {
    for (const source of sources) await probe(instance.port, source);
    await probe(instance.port, '127.99.99.99');
    const log = join(instance.dir, 'access.log');
    for (let wait = 0; wait < 500; wait += 1) {
      if (existsSync(log) && readFileSync(log, 'utf8').includes('/probe/127.99.99.99')) break;
      await sleep(20);
    }
    return readFileSync(log, 'utf8')
      .split('\n')
      .map((line) => /^\S+ \/probe\/(\S+)$/.exec(line)?.[1])
      .filter((s): s is string => s !== undefined && s !== '127.99.99.99');
  } finally {
    await stop(child);
  }
}

const exported = (target: string): string => {
  const r = exportFilterSet(target, SET);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe.skipIf(missing !== null)(
  missing === null ? 'a real Apache httpd' : `a real Apache httpd (skipped: ${missing})`,
  () => {
    it.each([
      ['httpd', false],
      ['httpd24', true],
    ] as const)(
      '%s: apache2 -t accepts the snippet and Apache logs exactly what the set does not hide',
      async (target, hidesIpv6) => {
        const instance = await createInstance(exported(target));
        const checked = configTest(instance);
        expect(checked.output).toContain('Syntax OK');
        expect(checked.status).toBe(0);

        const sources = [...IPV4_PROBES, ...(instance.ipv6 ? ['::1'] : [])];
        const logged = await loggedSources(instance, sources);
        const expected = sources.filter((s) => {
          if (s === '::1') return !hidesIpv6; // httpd lists IPv6 values as comments
          return !ruleMatches(HIDE, record(s));
        });
        expect(logged).toEqual(expected);
        // The probes do reach both sides of every edge.
        expect(expected.length).toBeGreaterThan(5);
        expect(sources.length - expected.length).toBeGreaterThan(5);
      },
    );

    it('behaves as the audit says for loose patterns, substrings and host bits', async () => {
      const deployed = [
        'SetEnvIf Remote_Addr ^127.16.1. nolog',
        'SetEnvIf Remote_Addr 127\\.0\\.0\\.2 nolog',
        'SetEnvIfExpr "-R \'127.40.0.5/24\'" nolog',
        '',
      ].join('\n');
      const report = auditConfiguration(deployed);
      // 127.0.0.2 as a substring: .2, .20–.29 and .200–.255 of 127.0.0.x.
      expect(report.directives.map((d) => d.matches)).toEqual([28_416, 67, 256]);
      const instance = await createInstance(deployed);
      expect(configTest(instance).status).toBe(0);

      // prettier-ignore
      const sources = [
        '127.16.1.5', '127.16.15.3', '127.16.150.3', '127.16.2.1', '127.16.200.1', '127.16.19.255',
        '127.0.0.2', '127.0.0.20', '127.0.0.25', '127.0.0.200', '127.0.0.3', '127.0.0.12',
        '127.40.0.9', '127.40.0.255', '127.40.1.1',
      ];
      const hiddenByAudit = (source: string): boolean => {
        const address = parseIpAddress(source);
        if (!address.ok) throw new Error(source);
        return report.directives.some((d) => d.ranges.some((r) => rangeContains(r, address.value)));
      };
      expect(await loggedSources(instance, sources)).toEqual(
        sources.filter((s) => !hiddenByAudit(s)),
      );
    });
  },
);
