/**
 * What a finding most likely is, why, and what to do on the device: a table per signature (tag)
 * and finding kind, as data. The detectors measure; these entries only turn the measured numbers
 * into sentences. Facts and their status come from ../shared/reference/ (cited per entry); where
 * the reference marks something UNVERIFIED the sentence says so.
 */
import { ipv4RangeRegex } from '../net/ipv4-regex';
import { parseIpAddress } from '../net/address';

export type FindingKind = 'periodic' | 'recurring-burst' | 'dominant-source' | 'cert-host';

/** The numbers an explanation may use. */
export interface Measured {
  readonly kind: FindingKind;
  readonly tag: string;
  readonly tagTitle: string;
  /** Which column the key is from, and its value (several for a recurring burst). */
  readonly keyColumn: 'srcIp' | 'source' | 'certHost';
  readonly keys: readonly string[];
  readonly count: number;
  /** Of the signature's records, 0–1. */
  readonly share: number;
  readonly periodSeconds: number | null;
  readonly jitterSeconds: number | null;
  /** cert-host: records per certificate error tag, and distinct clients. */
  readonly errors?: Readonly<Record<string, number>>;
  readonly users?: number;
}

export interface Explained {
  readonly title: string;
  readonly explanation: string;
  readonly remedy: string;
}

interface Entry {
  readonly tags: readonly string[];
  readonly kinds: readonly FindingKind[];
  /** Only for keys of this column; any when absent. */
  readonly keyColumn?: Measured['keyColumn'];
  explain(m: Measured): Explained;
}

/** `5.0 s`, `12 min`, `1.0 h`: a period as an admin reads it. */
export function formatPeriod(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(seconds < 600 ? 1 : 0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function formatShare(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/**
 * A count with thousands separators, `12,345`, as en-US writes it. Grouped here rather than by
 * `toLocaleString`: the first call of that in a thread loads ICU's number data, about 30 ms, a
 * tenth of a 1 GiB file's findings.
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${grouped}` : grouped;
}

/** `5.0 s ± 0.2 s`. */
function interval(m: Measured): string {
  if (m.periodSeconds === null) return '';
  const jitter = m.jitterSeconds === null ? '' : ` ± ${formatPeriod(m.jitterSeconds)}`;
  return `${formatPeriod(m.periodSeconds)}${jitter}`;
}

function rhythm(m: Measured): string {
  return m.periodSeconds === null ? '' : `every ${interval(m)}`;
}

/** `TLS handshake failure records`: the signature named in a sentence. */
function records(m: Measured): string {
  return `${m.tagTitle} records`;
}

/**
 * The exact `SetEnvIf Remote_Addr` line for one IPv4 address (dots escaped, anchored: the
 * reference article's own `^172.16.1.` would also hide 172.16.10.x), or null for anything else.
 */
export function setEnvIfLine(address: string): string | null {
  const parsed = parseIpAddress(address);
  if (!parsed.ok || parsed.value.family !== 4) return null;
  const n = Number(parsed.value.value);
  return `SetEnvIf Remote_Addr "${ipv4RangeRegex(n, n)}" nolog`;
}

/**
 * The pool refresh to write: three quarters of the measured interval, in whole minutes, in
 * seconds (the property's unit is UNVERIFIED in the reference; seconds is our reading).
 */
export function poolRefreshSeconds(intervalSeconds: number): number {
  return Math.max(60, Math.floor((Math.round(intervalSeconds / 60) * 60 * 0.75) / 60) * 60);
}

const BALANCER_REMEDY = (address: string): string => {
  const line = setEnvIfLine(address);
  return [
    `Exclude ${address} from logging on the gateway: in the Secure Gateway Configuration Wizard, add it to the logging exclusions;`,
    line === null
      ? 'or, for an Apache-based gateway, exclude it in httpd.conf with a SetEnvIf Remote_Addr rule (LogSieve export --target httpd writes it exactly).'
      : `or in the gateway's Apache httpd.conf: ${line} and "CustomLog … env=!nolog" on the access log (LogSieve export --target httpd writes both).`,
    'Exclude the single address, not a prefix such as ^172.16.1. (that also hides 172.16.10.x–172.16.19.x and 172.16.100.x–172.16.199.x).',
  ].join(' ');
};

/**
 * A ProxySG logs the balancer's probes itself: the exclusion is a CPL rule that turns access
 * logging off for the address (reference/cpl.md §5, `access_log`), which LogSieve's CPL export
 * writes from the finding's hide rule.
 */
const PROXY_BALANCER_REMEDY = (address: string): string =>
  [
    `Stop logging ${address} on the proxy: in the Local policy file, a <Proxy> layer with "client.address=${address} access_log(no)" (or access_log.main(no) for the main log only); LogSieve export --target cpl writes it from the rule below.`,
    'Whether policy is evaluated at all for a connection that ended with tcp_error before any request is not verified: if the records keep coming, change the balancer to an HTTP HEAD or GET health check that completes, or keep them and hide them here.',
  ].join(' ');

const CERT_TAGS = [
  'cert-revoked',
  'cert-hostname-mismatch',
  'cert-expired',
  'cert-untrusted-issuer',
  'cert-self-signed',
  'ocsp-error',
];

const TABLE: readonly Entry[] = [
  {
    // reference/cleartrust-citrix.md §2-4 (Citrix Secure Gateway event 125, CTX KB 100005).
    tags: ['tls-handshake-failure', 'health-check'],
    kinds: ['periodic'],
    keyColumn: 'srcIp',
    explain: (m) => ({
      title: `${m.tagTitle} ${rhythm(m)} from ${m.keys[0]}`,
      explanation: `${count(m.count)} records (${formatShare(m.share)} of this file's ${records(m)}) come from ${m.keys[0]} at a steady interval of ${interval(m)}. A clock this regular from one address is a machine, most likely a load balancer's SSL or TCP keepalive (health probe) that opens a connection and resets it: harmless noise that buries real failures.`,
      remedy: BALANCER_REMEDY(m.keys[0]!),
    }),
  },
  {
    tags: ['tls-handshake-failure', 'health-check'],
    kinds: ['periodic'],
    keyColumn: 'source',
    explain: (m) => ({
      title: `${m.tagTitle} ${rhythm(m)} (source ${m.keys[0]})`,
      explanation: `${count(m.count)} records (${formatShare(m.share)} of this file's ${records(m)}) from ${m.keys[0]} arrive at a steady interval of ${interval(m)}. The records carry no client address; a clock this regular is almost always a load balancer's keepalive or health probe.`,
      remedy: `Find the balancer's address (its health-monitor settings, or an access log of the same gateway showing one client ${rhythm(m)}) and exclude that address from logging: the Secure Gateway wizard's logging exclusion, or an exact SetEnvIf Remote_Addr … nolog line in httpd.conf (LogSieve export --target httpd).`,
    }),
  },
  {
    tags: ['tls-handshake-failure', 'health-check'],
    kinds: ['dominant-source'],
    keyColumn: 'srcIp',
    explain: (m) => ({
      title: `${formatShare(m.share)} of ${records(m)} come from ${m.keys[0]}`,
      explanation: `${count(m.count)} of this file's ${records(m)} come from one address, ${m.keys[0]}. One client behind most of them is usually a monitor, a load balancer or a misconfigured client, not many users.`,
      remedy: `Check what ${m.keys[0]} is. If it is a balancer or monitor: ${BALANCER_REMEDY(m.keys[0]!)} If it is a client failing TLS handshakes, fix its TLS settings (protocol versions, cipher suites, trusted CAs).`,
    }),
  },
  {
    // reference/elff-w3c.md §3 (x-exception-id tcp_error), reference/cpl.md §5 (access_log).
    tags: ['tcp-error'],
    kinds: ['periodic'],
    keyColumn: 'srcIp',
    explain: (m) => ({
      title: `${m.tagTitle} ${rhythm(m)} from ${m.keys[0]}`,
      explanation: `${count(m.count)} records (${formatShare(m.share)} of this file's ${records(m)}) come from ${m.keys[0]} at a steady interval of ${interval(m)}. A clock this regular from one address is a machine, most likely a load balancer's TCP keepalive that opens a connection to the proxy and resets it: harmless noise that buries real connection failures.`,
      remedy: PROXY_BALANCER_REMEDY(m.keys[0]!),
    }),
  },
  {
    tags: ['tcp-error'],
    kinds: ['dominant-source'],
    keyColumn: 'srcIp',
    explain: (m) => ({
      title: `${formatShare(m.share)} of ${records(m)} come from ${m.keys[0]}`,
      explanation: `${count(m.count)} of this file's ${records(m)} come from one address, ${m.keys[0]}. One client behind most connection errors is usually a monitor or load balancer probing the proxy, or one client that keeps failing to connect.`,
      remedy: `Check what ${m.keys[0]} is. If it is a balancer or monitor: ${PROXY_BALANCER_REMEDY(m.keys[0]!)}`,
    }),
  },
  {
    // reference/cleartrust-citrix.md §1 (KB 000025051, 000023587).
    tags: ['agent-socket-error', 'agent-server-timeout'],
    kinds: ['recurring-burst', 'periodic'],
    explain: (m) => {
      const seconds = m.periodSeconds ?? 3600;
      const refresh = poolRefreshSeconds(seconds);
      const who = m.keys.length > 1 ? `servers ${m.keys.join(', ')}` : m.keys[0]!;
      return {
        title: `${m.tagTitle} on ${who} ${rhythm(m)}`,
        explanation: `${count(m.count)} records (${formatShare(m.share)} of this file's ${records(m)}) recur ${rhythm(m)} on ${who}. The agent keeps a pooled connection to every authorization server and checks them at each pool refresh; a firewall between agent and servers that drops idle connections makes the next use fail. At a steady interval (typically about an hour) this is harmless: no request is lost, the agent reconnects.`,
        remedy: `Keep pooled connections from sitting idle past the firewall's idle timeout: set cleartrust.agent.auth_server_pool_refresh=${refresh} in the agent's properties (below the measured ${formatPeriod(seconds)}; the property's unit is not verified, seconds assumed — check your agent's documentation), or raise the firewall's idle timeout, or stop keeping idle fail-over connections (list servers only in cleartrust.agent.dispatcher_list, not also in cleartrust.agent.auth_server_list; cleartrust.agent.max_open_connections may cap the pool, UNVERIFIED).`,
      };
    },
  },
  {
    tags: ['agent-socket-error', 'agent-server-timeout'],
    kinds: ['dominant-source'],
    explain: (m) => ({
      title: `${formatShare(m.share)} of ${records(m)} are on ${m.keys[0]}`,
      explanation: `${count(m.count)} of this file's ${records(m)} name one authorization server, ${m.keys[0]}. One server behind most errors is more likely overloaded, unreachable or misconfigured than a firewall's idle drop.`,
      remedy: `Check ${m.keys[0]}: its load, its reachability from the agent and its response times (the agent waits 15 s by default). If it should not be used, remove it from the agent's server lists.`,
    }),
  },
  {
    // reference/elff-w3c.md, reference/cpl.md.
    tags: CERT_TAGS,
    kinds: ['cert-host'],
    explain: (m) => {
      const errors = Object.entries(m.errors ?? {})
        .sort((a, b) => b[1] - a[1])
        .map(([tag, n]) => `${tag} ${count(n)}`)
        .join(', ');
      return {
        title: `Certificate problems with ${m.keys[0]}: ${count(m.count)} records, ${count(m.users ?? 0)} clients`,
        explanation: `${count(m.count)} TLS records (${formatShare(m.share)} of this file's certificate errors) for certificate host ${m.keys[0]}: ${errors}; ${count(m.users ?? 0)} distinct clients. A host many users reach with a known, accepted problem (an internal CA, a name mismatch on a trusted service) is a whitelisting candidate; revoked or unknown hosts are blocking candidates.`,
        remedy: `Decide per host: trust it (a CPL <SSL> layer with server.certificate.validate(no) for this host; LogSieve export --target cpl writes it from a "trust" rule) or block it (a deny rule on server.certificate.hostname). The rule below is disabled until you decide.`,
      };
    },
  },
];

/** The generic sentences, for signatures without an entry of their own. */
function generic(m: Measured): Explained {
  const who = m.keys.join(', ');
  switch (m.kind) {
    case 'periodic':
      return {
        title: `${m.tagTitle} ${rhythm(m)} from ${who}`,
        explanation: `${count(m.count)} records (${formatShare(m.share)} of this signature) from ${who} arrive at a steady interval of ${interval(m)}: a machine on a timer (a monitor, a scheduled job, a keepalive), not people.`,
        remedy: `Find the scheduled job or monitor at ${who}. If it is expected, hide it here and, where the device supports it, exclude it from logging.`,
      };
    case 'recurring-burst':
      return {
        title: `${m.tagTitle} on ${who} ${rhythm(m)}`,
        explanation: `${count(m.count)} records recur in bursts across ${who} ${rhythm(m)}: one scheduled cause (a refresh, a timeout, a job) touches them all at once.`,
        remedy:
          'Look for a timer of about this interval on the device or between it and its peers.',
      };
    case 'dominant-source':
      return {
        title: `${formatShare(m.share)} of ${records(m)} from ${who}`,
        explanation: `${count(m.count)} of this signature's records come from one key, ${who}.`,
        remedy: `Check ${who} first: fixing or excluding it removes most of this signature.`,
      };
    case 'cert-host':
      return {
        title: `Certificate problems with ${who}`,
        explanation: `${count(m.count)} records with certificate errors for ${who}.`,
        remedy: 'Decide whether to trust or block this host (CPL).',
      };
  }
}

export function explain(m: Measured): Explained {
  const entry = TABLE.find(
    (e) =>
      e.tags.includes(m.tag) &&
      e.kinds.includes(m.kind) &&
      (e.keyColumn === undefined || e.keyColumn === m.keyColumn),
  );
  return (entry?.explain ?? generic)(m);
}

export const CERTIFICATE_TAGS: readonly string[] = CERT_TAGS;
