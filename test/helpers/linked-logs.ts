/**
 * Two logs of one gateway with planted truth about what lines up across them: a load balancer at
 * 172.16.1.5 whose keepalive every 5 s fails a TLS handshake, logged by the Secure Gateway as
 * event 125 (an Event Viewer CSV export: the event carries no client address), and that also
 * sends `HEAD /` to the gateway's web server on the same clock (its Apache access log names the
 * address). Around them, things that must not be linked:
 * - in the access log, a monitor at 10.9.9.9 probing every 12 s (a period nothing else has);
 * - in the event log, a backup agent's event every 60 s over the same hours (a period the access
 *   log does not have), and a time service's event every 5 s only after the access log ends (the
 *   right period at the wrong time);
 * - random clients and random events.
 * Every clock drifts with jitter and misses the odd beat; times are whole seconds, as both logs
 * write them. `accessShiftHours` moves the whole access log in time (nothing lines up then).
 */
import { Random, clockTimes, poissonBetween } from './arrivals';

const HOUR = 3_600_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `3/5/2024 8:14:05 AM`: Event Viewer's CSV time (read as UTC by default). */
function eventTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** `05/Mar/2024:08:14:05 +0000`: Apache's %t. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]!}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

export interface LinkedLogs {
  /** Event Viewer CSV export (format eventlog-csv). */
  readonly eventLog: string;
  /** Apache combined access log (format apache-access). */
  readonly accessLog: string;
  /** The one pair that must be linked, by construction. */
  readonly truth: {
    readonly event: { readonly tag: string; readonly source: string };
    readonly access: { readonly tag: string; readonly srcIp: string };
    readonly periodSeconds: number;
  };
}

export const BALANCER = '172.16.1.5';
export const MONITOR = '10.9.9.9';

export function linkedGatewayLogs(
  seed: number,
  options: { readonly hours?: number; readonly accessShiftHours?: number } = {},
): LinkedLogs {
  const rng = new Random(seed);
  const hours = options.hours ?? 6;
  const start = Date.UTC(2024, 2, 5, 0, 0, 0);
  const end = start + hours * HOUR;
  const shift = (options.accessShiftHours ?? 0) * HOUR;
  const clock = (from: number, to: number, periodSeconds: number): number[] =>
    clockTimes(rng, {
      start: from,
      end: to,
      periodSeconds,
      jitter: 0.01,
      missedRate: 0.01,
    });

  // One balancer, one clock: each beat fails a handshake (event 125) and is a HEAD / a moment later.
  const beats = clock(start, end, 5);
  const events: { time: number; line: string }[] = [];
  const event = (time: number, level: string, source: string, id: number, text: string): void => {
    events.push({
      time,
      line: `${level},${eventTime(time)},${source},${id},None,${text}`,
    });
  };
  for (const t of beats)
    events.push({
      time: t,
      line: `Error,${eventTime(t)},Secure Gateway,125,SCHANNEL,SSL handshake from client failed.`,
    });
  for (const t of clock(start, end, 60))
    event(t, 'Information', 'Backup Agent', 1000, 'Backup agent heartbeat.');
  for (const t of clock(end + 2 * HOUR, end + 4 * HOUR, 5))
    event(t, 'Information', 'Time-Service', 35, 'The time service is synchronizing.');
  const randomEvents: [string, string, number, string][] = [
    ['Information', 'Service Control Manager', 7036, 'A service entered the running state.'],
    ['Warning', 'Microsoft-Windows-DNS-Client', 1014, 'Name resolution timed out.'],
    ['Information', 'Microsoft-Windows-Kernel-General', 16, 'The access history was cleared.'],
  ];
  for (const [level, source, id, text] of randomEvents)
    for (const t of poissonBetween(rng, start, end + 4 * HOUR, 1 / 300))
      event(t, level, source, id, text);
  events.sort((a, b) => a.time - b.time);

  const requests: { time: number; line: string }[] = [];
  for (const t of beats)
    requests.push({
      time: t + 20 + shift,
      line: `${BALANCER} - - [${clfTime(t + 20 + shift)}] "HEAD / HTTP/1.0" 200 - "-" "-"`,
    });
  for (const t of clock(start, end, 12))
    requests.push({
      time: t + shift,
      line: `${MONITOR} - - [${clfTime(t + shift)}] "HEAD / HTTP/1.1" 200 - "-" "-"`,
    });
  for (const t of poissonBetween(rng, start, end, 1 / 2)) {
    const client = `10.${rng.int(4)}.${rng.int(256)}.${1 + rng.int(254)}`;
    requests.push({
      time: t + shift,
      line: `${client} - - [${clfTime(t + shift)}] "GET /app/page${rng.int(50)}.html HTTP/1.1" 200 ${200 + rng.int(9000)} "-" "Mozilla/5.0"`,
    });
  }
  requests.sort((a, b) => a.time - b.time);

  return {
    eventLog:
      ['Level,Date and Time,Source,Event ID,Task Category', ...events.map((e) => e.line)].join(
        '\n',
      ) + '\n',
    accessLog: requests.map((r) => r.line).join('\n') + '\n',
    truth: {
      event: { tag: 'tls-handshake-failure', source: 'Secure Gateway' },
      access: { tag: 'health-check', srcIp: BALANCER },
      periodSeconds: 5,
    },
  };
}
