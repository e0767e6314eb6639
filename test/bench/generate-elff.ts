/**
 * Deterministic generator of a realistic ProxySG ELFF access log for `npm run bench`: a
 * `bcreporterssl_v2`-like header (the field list starts as Broadcom KB 171396's does — `date time
 * c-ip x-exception-id sc-filter-result cs…` — and carries the SSL/certificate columns; the rest of
 * its order is ours), normal clients browsing through the proxy, two load balancers probing it
 * every 5 seconds, CONNECT tunnels, denials, and a few percent of TLS rows with certificate errors.
 * The certificate-error tokens are illustrative (their log vocabulary is UNVERIFIED, see
 * reference/elff-w3c.md). Same (bytes, seed) → byte-identical file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export const ELFF_FIELDS =
  'date time c-ip x-exception-id sc-filter-result cs-categories cs-host cs-uri-port cs-uri-scheme cs-method cs-uri-path cs-uri-query sc-status s-action time-taken sc-bytes cs-bytes cs-username cs-auth-group cs(Referer) cs(User-Agent) x-rs-certificate-validate-status x-rs-certificate-observed-errors x-cs-ocsp-error x-rs-ocsp-error x-rs-connection-negotiated-cipher-strength x-rs-certificate-hostname x-rs-certificate-hostname-category s-ip';

/** Small fast PRNG (mulberry32): the file depends on nothing but the seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTS = [
  'www.example.com',
  'portal.example.net',
  'intranet.example.com',
  'login.microsoftonline.com',
  'outlook.office365.com',
  'update.googleapis.com',
  'cdn.jsdelivr.net',
  'fonts.gstatic.com',
  'api.github.com',
  'www.wikipedia.org',
  's3.amazonaws.com',
  'ocsp.digicert.com',
  'crl.globalsign.com',
  'ads.tracker.example',
  'files.partner.example.org',
];
const CATEGORIES = [
  '"Technology/Internet"',
  '"Business/Economy"',
  '"Web Ads/Analytics"',
  '"Content Delivery Networks"',
  '"Reference"',
  '"Uncategorized"',
  '"Email;Technology/Internet"',
];
const AGENTS = [
  '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0"',
  '"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)"',
  '"Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.50"',
  '-',
];
const PATHS = ['/', '/index.html', '/api/v1/items', '/static/app.js', '/images/logo.png', '/auth'];
const CERT_ERRORS = [
  ['expired.badssl.com', 'expired'],
  ['revoked.badssl.com', 'revoked-by-ocsp'],
  ['wrong.host.badssl.com', 'hostname-mismatch'],
  ['self-signed.badssl.com', 'self-signed'],
  ['untrusted-root.badssl.com', 'untrusted-issuer'],
] as const;
const PROXY_IP = '10.1.1.5';
const BALANCERS = ['172.16.1.5', '172.16.1.6'];
const KEEPALIVE_MS = 5000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

export interface GeneratedElff {
  readonly bytes: number;
  /** Records written (header directives included). */
  readonly records: number;
  readonly keepalives: number;
  readonly certificateErrors: number;
}

/**
 * Writes about `bytes` bytes (never more) of ELFF to `path`, whole lines only, LF line ends.
 * Streams in 1 MiB blocks, so any size fits in constant memory.
 */
export function writeElff(path: string, bytes: number, seed: number): GeneratedElff {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const fd = openSync(path, 'w');
  const encoder = new TextEncoder();
  const block = new Uint8Array(1 << 20);
  let used = 0;
  let written = 0;
  let records = 0;
  let keepalives = 0;
  let certificateErrors = 0;
  const flush = (): void => {
    if (used > 0) writeSync(fd, block, 0, used);
    used = 0;
  };
  /** False when the line does not fit in the remaining budget. */
  const emit = (line: string): boolean => {
    const length = line.length + 1; // every generated line is ASCII
    if (written + length > bytes) return false;
    if (used + length > block.length) flush();
    encoder.encodeInto(line + '\n', block.subarray(used));
    used += length;
    written += length;
    records++;
    return true;
  };
  try {
    let now = Date.UTC(2024, 2, 5, 0, 0, 0);
    const header = [
      '#Software: SGOS 7.3.16.1',
      '#Version: 1.0',
      `#Date: ${stamp(now)}`,
      `#Fields: ${ELFF_FIELDS}`,
    ];
    for (const line of header)
      if (!emit(line)) return { bytes: written, records, keepalives, certificateErrors };
    const clients = Array.from(
      { length: 2000 },
      (_, i) => `10.${20 + (i >> 8)}.${i & 0xff}.${1 + Math.floor(next() * 250)}`,
    );
    const users = Array.from({ length: 300 }, (_, i) => `user${i}`);
    const group = (user: string): string =>
      user === '-' ? '-' : `"EXAMPLE\\${user.length % 2 === 0 ? 'Staff' : 'Contractors'}"`;
    const referer = (host: string): string =>
      next() < 0.4 ? '-' : `"https://${host}${pick(PATHS)}?ref=${Math.floor(next() * 1e6)}"`;
    const dueAt = BALANCERS.map((_, i) => now + i * 1700);
    for (;;) {
      now += Math.floor(next() * 60);
      let line: string;
      const balancer = dueAt.findIndex((t) => t <= now);
      if (balancer >= 0) {
        // A load balancer's TCP/TLS keepalive: it opens a connection to the proxy and resets it.
        dueAt[balancer]! += KEEPALIVE_MS + Math.floor(next() * 40) - 20;
        keepalives++;
        line = `${stamp(now)} ${BALANCERS[balancer]} tcp_error DENIED "none" ${PROXY_IP} 8080 tcp - - - 0 TCP_ERR_MISS ${Math.floor(next() * 3)} 0 0 - - - - - - - - - - - ${PROXY_IP}`;
      } else {
        const client = pick(clients);
        const user = next() < 0.7 ? pick(users) : '-';
        const roll = next();
        const time = stamp(now);
        if (roll < 0.55) {
          // Intercepted HTTPS, sometimes with a certificate problem.
          let host = pick(HOSTS);
          let validate = 'OK';
          let observed = '-';
          if (next() < 0.03) {
            const [badHost, error] = pick(CERT_ERRORS);
            host = badHost;
            observed = error;
            validate = 'Failed';
            certificateErrors++;
          }
          const denied = observed !== '-' && observed !== 'revoked-by-ocsp' && next() < 0.5;
          const status = denied ? 403 : pick([200, 200, 200, 204, 304, 404]);
          line = `${time} ${client} ${denied ? 'ssl_server_cert_untrusted' : '-'} ${denied ? 'DENIED' : 'OBSERVED'} ${pick(CATEGORIES)} ${host} 443 https ${pick(['GET', 'GET', 'POST'])} ${pick(PATHS)} - ${status} ${denied ? 'TCP_DENIED' : pick(['TCP_NC_MISS', 'TCP_HIT', 'TCP_MISS'])} ${Math.floor(next() * 900)} ${Math.floor(next() * 90000)} ${200 + Math.floor(next() * 900)} ${user} ${group(user)} ${referer(host)} ${pick(AGENTS)} ${validate} ${observed} - ${observed === 'revoked-by-ocsp' ? 'revoked' : '-'} ${pick(['high', 'high', 'medium'])} ${host} ${pick(CATEGORIES)} ${PROXY_IP}`;
        } else if (roll < 0.8) {
          // A tunnel the proxy did not intercept.
          const host = pick(HOSTS);
          line = `${time} ${client} - OBSERVED ${pick(CATEGORIES)} ${host} 443 tcp CONNECT / - 200 TCP_TUNNELED ${Math.floor(next() * 120000)} ${Math.floor(next() * 200000)} ${Math.floor(next() * 5000)} ${user} ${group(user)} - ${pick(AGENTS)} - - - - - - - ${PROXY_IP}`;
        } else if (roll < 0.97) {
          const host = pick(HOSTS);
          line = `${time} ${client} - PROXIED ${pick(CATEGORIES)} ${host} 80 http GET ${pick(PATHS)} ?id=${Math.floor(next() * 1e6)} ${pick([200, 200, 301, 302, 404])} ${pick(['TCP_NC_MISS', 'TCP_HIT', 'TCP_REFRESH_MISS'])} ${Math.floor(next() * 2000)} ${Math.floor(next() * 50000)} ${300 + Math.floor(next() * 700)} ${user} ${group(user)} ${referer(host)} ${pick(AGENTS)} - - - - - - - ${PROXY_IP}`;
        } else {
          line = `${time} ${client} policy_denied DENIED "Web Ads/Analytics" ads.tracker.example 80 http GET /pixel.gif - 403 TCP_DENIED 1 420 380 ${user} ${group(user)} ${referer('www.example.com')} ${pick(AGENTS)} - - - - - - - ${PROXY_IP}`;
        }
      }
      if (!emit(line)) break;
    }
    return { bytes: written, records, keepalives, certificateErrors };
  } finally {
    flush();
    closeSync(fd);
  }
}
