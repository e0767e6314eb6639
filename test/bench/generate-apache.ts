/**
 * Writes a realistic Apache combined access log of a given size, deterministically: a few
 * thousand clients with skewed traffic, crawlers, a load balancer (172.16.1.5) sending `HEAD /`
 * every 5 s and its neighbour 172.16.1.50 browsing normally. Streams to disk; never holds the file.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Random } from './random';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PATHS = [
  '/',
  '/index.html',
  '/login',
  '/Citrix/MetaFrame/default/default.aspx',
  '/portal/app/dashboard',
  '/static/css/site.css',
  '/static/js/app.bundle.js',
  '/images/logo.png',
  '/api/v2/session/refresh',
  '/favicon.ico',
  '/robots.txt',
  '/reports/quarterly.pdf',
];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Citrix Receiver/23.9.0 (Windows NT 10.0)',
];
const REFERERS = [
  '-',
  'https://portal.example.com/',
  'https://www.google.com/',
  'https://intranet.example.com/start',
];
const STATUS = [200, 200, 200, 200, 200, 200, 304, 304, 302, 404, 500, 403];

function clf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export async function writeApache(
  path: string,
  bytes: number,
  seed = 42,
): Promise<{ lines: number }> {
  const random = new Random(seed);
  const clients = Array.from(
    { length: 4000 },
    (_, i) => `${10 + (i % 3)}.${(i * 7) % 256}.${(i * 13) % 256}.${1 + (i % 254)}`,
  );
  const out = createWriteStream(path, { highWaterMark: 4 << 20 });
  let written = 0;
  let lines = 0;
  let time = Date.UTC(2024, 2, 5, 0, 0, 0);
  let nextProbe = time;
  let batch = '';
  while (written < bytes) {
    let line: string;
    if (time >= nextProbe) {
      line = `172.16.1.5 - - [${clf(nextProbe)}] "HEAD / HTTP/1.0" 200 - "-" "-"\n`;
      nextProbe += 5000;
    } else {
      const client = random.next() < 0.01 ? '172.16.1.50' : clients[random.skewed(clients.length)]!;
      const path_ = random.pick(PATHS);
      const status = random.pick(STATUS);
      const size = status === 304 ? '-' : String(200 + random.int(60000));
      line = `${client} - - [${clf(time)}] "GET ${path_}${random.next() < 0.3 ? `?id=${random.int(100000)}` : ''} HTTP/1.1" ${status} ${size} "${random.pick(REFERERS)}" "${random.pick(AGENTS)}"\n`;
      time += random.int(40);
    }
    batch += line;
    written += line.length;
    lines++;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  return { lines };
}
