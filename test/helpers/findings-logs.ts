/**
 * The planted scenarios of findings-scenarios.ts written as real log text, so that the findings
 * are tested from bytes through the real framer, format, tagger and index:
 * - gateway TLS handshake failures as Apache 2.4 mod_ssl error-log lines (tagged
 *   tls-handshake-failure, keyed by the client address);
 * - ClearTrust socket errors and timeouts as ctagent.log lines (keyed by the agent's server);
 * - a ProxySG ELFF access log with certificate errors per host, with its truth;
 * - a ProxySG ELFF access log with load balancers' TCP probes (tcp_error), with its truth.
 */
import { ELFF_FIELDS } from '../bench/generate-elff';
import { Random, clockTimes, poissonBetween } from './arrivals';
import type { LogEvent, Scenario } from './findings-scenarios';
import { AGENT_SOCKET_ERROR, TLS_HANDSHAKE_FAILURE } from './findings-scenarios';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `Mon Mar 04 00:00:05.123000 2024` (Apache 2.4 error-log time, UTC). */
function apacheTime(ms: number): string {
  const d = new Date(ms);
  const micros = pad(d.getUTCMilliseconds(), 3) + '000';
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${micros} ${d.getUTCFullYear()}`;
}

/** `Mar 04, 2024 01:05:03 AM GMT` (ctagent.log time, 12-hour clock). */
function ctagentTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())}, ${d.getUTCFullYear()} ${pad(h12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'} GMT`;
}

/** `2024-03-04 00:00:05`: an ELFF date and time cell (UTC). */
function cell(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The gateway scenario as an Apache error log (only TLS handshake failures, in time order). */
export function gatewayErrorLog(scenario: Scenario): string {
  return scenario.events
    .map((e: LogEvent, i) => {
      if (e.signature !== TLS_HANDSHAKE_FAILURE) throw new Error(`unexpected ${e.signature}`);
      return `[${apacheTime(e.time)}] [ssl:info] [pid 4711:tid ${140 + (i % 7)}] [client ${e.key}:${40000 + (i % 20000)}] AH02008: SSL library error 1 in handshake (server gw.example.com:443)\n`;
    })
    .join('');
}

/** The ClearTrust scenario as ctagent.log (key `server#N, ip:port`). */
export function ctagentLog(scenario: Scenario): string {
  return scenario.events
    .map(
      (e) =>
        `${ctagentTime(e.time)} - [12] - <Critical> - ${e.key} ${e.signature === AGENT_SOCKET_ERROR ? 'CT_SOCKET_ERROR' : 'CT_SERVER_TIMED_OUT_ERROR'}\n`,
    )
    .join('');
}

/** The agent server a ClearTrust scenario key names (`server#2, 10.10.10.12:5615` → `server#2`). */
export function serverOf(key: string): string {
  return key.split(',')[0]!;
}

export interface CertHostTruth {
  readonly host: string;
  /** Records per certificate tag. */
  readonly errors: Readonly<Record<string, number>>;
  readonly users: number;
}

export interface ElffScenario {
  readonly text: string;
  /** Hosts with certificate errors, most records first (ties by name). */
  readonly truth: readonly CertHostTruth[];
}

const CERT_ERRORS: readonly [string, string][] = [
  ['cert-revoked', 'revoked-by-ocsp'],
  ['cert-hostname-mismatch', 'hostname-mismatch'],
  ['cert-expired', 'expired'],
  ['cert-untrusted-issuer', 'untrusted-issuer'],
  ['cert-self-signed', 'self-signed'],
];

/**
 * A ProxySG ELFF log over a day: clients browsing clean hosts, and a few hosts whose certificates
 * have errors of planted kinds, each reached by a planted set of clients.
 */
export function elffScenario(seed: number): ElffScenario {
  const rng = new Random(seed);
  const start = Date.UTC(2024, 2, 4);
  const lines = [
    '#Software: SGOS 6.7.5.3',
    '#Version: 1.0',
    '#Fields: date time c-ip cs-host sc-status cs-method x-rs-certificate-observed-errors x-rs-certificate-hostname s-ip',
  ];
  const records: { time: number; line: string }[] = [];
  const clients = Array.from(
    { length: 200 },
    (_, i) => `10.1.${Math.floor(i / 50)}.${(i % 50) + 10}`,
  );
  const clean = ['www.example.com', 'intranet.example.com', 'cdn.example.net', 'api.example.org'];
  for (let i = 0; i < 4000; i++) {
    const time = start + Math.floor(rng.next() * 86_400) * 1000;
    const host = rng.pick(clean);
    records.push({
      time,
      line: `${cell(time)} ${rng.pick(clients)} ${host} 200 GET none ${host} 10.0.0.1`,
    });
  }
  const truth: CertHostTruth[] = [];
  const badHosts = [
    'legacy.partner.example',
    'old-portal.example.com',
    'self.lab.example',
    'revoked.example.net',
  ];
  badHosts.forEach((host, h) => {
    const users = clients.slice(h * 7, h * 7 + 3 + h * 4);
    const errors: Record<string, number> = {};
    const kinds = [
      CERT_ERRORS[h % CERT_ERRORS.length]!,
      CERT_ERRORS[(h + 2) % CERT_ERRORS.length]!,
    ];
    const n = 40 + 30 * (badHosts.length - h);
    for (let i = 0; i < n; i++) {
      const [tag, token] = kinds[i % 3 === 0 ? 1 : 0]!;
      errors[tag] = (errors[tag] ?? 0) + 1;
      const time = start + Math.floor(rng.next() * 86_400) * 1000;
      const user = users[i % users.length]!;
      records.push({
        time,
        line: `${cell(time)} ${user} ${host} 503 CONNECT ${token} ${host} 10.0.0.1`,
      });
    }
    truth.push({ host, errors, users: users.length });
  });
  records.sort((a, b) => a.time - b.time);
  return {
    text: [...lines, ...records.map((r) => r.line)].join('\n') + '\n',
    truth: truth.sort((a, b) => total(b) - total(a) || (a.host < b.host ? -1 : 1)),
  };
}

function total(t: CertHostTruth): number {
  return Object.values(t.errors).reduce((s, n) => s + n, 0);
}

export interface ProbeTruth {
  readonly periodic: readonly { readonly srcIp: string; readonly periodSeconds: number }[];
  /** The address planted to hold most tcp_error records. */
  readonly dominant: string;
}

export interface ElffProbeScenario {
  readonly text: string;
  readonly truth: ProbeTruth;
}

/**
 * A ProxySG ELFF access log (the bench's field list, test/bench/generate-elff.ts) over six hours:
 * a load balancer at 172.16.1.5 whose TCP keepalive every 5 s ends as `tcp_error` / DENIED /
 * TCP_ERR_MISS, a second at 172.16.1.6 every 30 s, clients browsing, clients whose connections
 * to an unreachable origin fail now and then with the same exception (random, never periodic),
 * the balancer's neighbour 172.16.1.50 failing at random, and DENIED / TCP_ERR_MISS records that
 * are not tcp_error (an ICAP server unavailable, as in the corpus). Whole-second times, jitter of
 * about 1 %, the odd missed beat.
 */
export function elffProbeScenario(seed: number): ElffProbeScenario {
  const rng = new Random(seed);
  const start = Date.UTC(2024, 2, 5);
  const end = start + 6 * 3_600_000;
  const proxy = '10.1.1.5';
  const records: { time: number; line: string }[] = [];
  const tcpError = (time: number, client: string, host: string, port: number): void => {
    records.push({
      time,
      line: `${cell(time)} ${client} tcp_error DENIED "none" ${host} ${port} tcp - - - 0 TCP_ERR_MISS ${rng.int(3)} 0 0 - - - - - - - - - - - ${proxy}`,
    });
  };
  const balancers = [
    { address: '172.16.1.5', periodSeconds: 5 },
    { address: '172.16.1.6', periodSeconds: 30 },
  ];
  for (const b of balancers)
    for (const t of clockTimes(rng, {
      start,
      end,
      periodSeconds: b.periodSeconds,
      jitter: 0.01,
      missedRate: 0.01,
    }))
      tcpError(t, b.address, proxy, 8080);
  const clients = Array.from({ length: 300 }, (_, i) => `10.20.${i >> 4}.${10 + (i & 15)}`);
  for (const t of poissonBetween(rng, start, end, 1 / 2)) {
    const client = rng.pick(clients);
    records.push({
      time: t,
      line: `${cell(t)} ${client} - OBSERVED "Technology/Internet" www.example.com 443 https GET /index.html - 200 TCP_NC_MISS ${rng.int(900)} ${rng.int(90000)} ${200 + rng.int(900)} - - - "Mozilla/5.0" OK - - - high www.example.com "Technology/Internet" ${proxy}`,
    });
  }
  // Origins that do not answer: the same exception from many clients, at random times.
  for (const t of poissonBetween(rng, start, end, 1 / 120))
    tcpError(t, rng.pick(clients), 'files.partner.example.org', 443);
  for (const t of poissonBetween(rng, start, end, 1 / 300))
    tcpError(t, '172.16.1.50', 'www.example.com', 80);
  for (const t of poissonBetween(rng, start, end, 1 / 60))
    records.push({
      time: t,
      line: `${cell(t)} ${rng.pick(clients)} - DENIED "Uncategorized" www.example.com 80 http GET /download.zip - 503 TCP_ERR_MISS 3 0 0 - - - "Mozilla/5.0" - - - - - - - ${proxy}`,
    });
  records.sort((a, b) => a.time - b.time);
  return {
    text:
      [
        '#Software: SGOS 7.3.16.1',
        '#Version: 1.0',
        `#Fields: ${ELFF_FIELDS}`,
        ...records.map((r) => r.line),
      ].join('\n') + '\n',
    truth: {
      periodic: balancers.map((b) => ({ srcIp: b.address, periodSeconds: b.periodSeconds })),
      dominant: '172.16.1.5',
    },
  };
}
