/**
 * Generated logs with planted behaviour and the truth about them, for the findings' tests and,
 * later, for end-to-end checks on real files: every event is `{ time, key, signature }`, sorted by
 * time, so rendering one as a log line is a template away, e.g.
 *   gateway:   `${isoSeconds(time)}\tSecure Gateway\t125\tSSL handshake from client failed. Client IP: ${key}`
 *   ClearTrust `${ctagentTime(time)} - [12] - <Critical> - ${key} CT_SOCKET_ERROR`
 * The same seed always gives the same scenario.
 *
 * The truth is stated by construction (what was planted), never by running a detector:
 * - periodic: a key whose events of a signature come from a clock (a load balancer; a ClearTrust
 *   server that takes part in at least 90 % of the refresh bursts). Every other series is random
 *   traffic and must not be reported.
 * - bursts: the refresh schedule, with the servers planted in at least half of its bursts.
 * - dominant: a key planted to produce at least 60 % of a signature. The gateway has none when
 *   its top key has at most 45 % (the generator adds random traffic until one of the two holds);
 *   ClearTrust socket errors are spread evenly over the servers, so they have none either.
 */
import type { KeyedRecords } from '../../shared/findings/records';
import {
  Random,
  clockTimes,
  exponential,
  gamma,
  logUniform,
  poissonBetween,
  renewalTimes,
  uniform,
} from './arrivals';

export const TLS_HANDSHAKE_FAILURE = 'tls-handshake-failure';
export const AGENT_SOCKET_ERROR = 'agent-socket-error';
export const AGENT_SERVER_TIMEOUT = 'agent-server-timeout';

export interface LogEvent {
  /** UTC ms, already rounded to the scenario's resolution. */
  readonly time: number;
  /** What the event is grouped by: a client address, or a ClearTrust `server#N, ip:port`. */
  readonly key: string;
  /** The tag the event would carry. */
  readonly signature: string;
}

export interface PeriodicTruth {
  readonly signature: string;
  readonly key: string;
  readonly periodSeconds: number;
}

export interface BurstTruth {
  readonly signature: string;
  readonly intervalSeconds: number;
  /** Keys planted in at least half of the bursts, sorted. */
  readonly keys: readonly string[];
}

export interface DominantTruth {
  readonly signature: string;
  readonly key: string;
}

export interface ScenarioTruth {
  readonly periodic: readonly PeriodicTruth[];
  readonly bursts: readonly BurstTruth[];
  readonly dominant: readonly DominantTruth[];
}

export interface Scenario {
  readonly name: string;
  readonly seed: number;
  /** [start, end) of the log, UTC ms. */
  readonly start: number;
  readonly end: number;
  /** Timestamp resolution of the log, ms (1000: whole seconds, as Event Viewer and ctagent.log write). */
  readonly resolutionMs: number;
  readonly events: readonly LogEvent[];
  readonly truth: ScenarioTruth;
}

const HOUR = 3_600_000;
const DEFAULT_START = Date.UTC(2024, 2, 4, 0, 0, 0);

export interface Balancer {
  readonly address: string;
  readonly periodSeconds: number;
  /** Standard deviation of each interval as a fraction of the period. */
  readonly jitter: number;
  readonly missedRate: number;
  readonly duplicateRate: number;
  /** Hours into the log at which the balancer was off for `outageMinutes`, or null. */
  readonly outageAtHour: number | null;
  readonly outageMinutes: number;
}

export interface GatewayScenarioOptions {
  readonly hours?: number;
  readonly resolutionMs?: number;
  /** The load balancers; by default one at 172.16.1.5 with a period drawn from 3–60 s. */
  readonly balancers?: readonly Balancer[];
  /** Random clients besides the balancer's neighbours. */
  readonly clients?: number;
}

/**
 * A Secure Gateway's TLS handshake failures: load balancers whose keepalive fails a handshake
 * every few seconds, among hundreds of clients that fail now and then. The balancer's neighbours
 * (172.16.1.50, 172.16.10.5, 172.16.1.15, 172.16.100.5 — the addresses a careless `^172.16.1.`
 * would also hide) are busy but random: one steady Poisson stream, one app polling about every
 * 30 s ± 40 % (uniformly), one retrying in sessions, one following office hours. Defaults make a
 * balancer at 3–4 s dominate the signature and one at 10 s and slower not.
 */
export function gatewayScenario(seed: number, options: GatewayScenarioOptions = {}): Scenario {
  const rng = new Random(seed);
  const hours = options.hours ?? 24;
  const resolutionMs = options.resolutionMs ?? 1000;
  const start = DEFAULT_START;
  const end = start + hours * HOUR;
  const balancers = options.balancers ?? [randomBalancer(rng, '172.16.1.5', hours)];
  const series = new Map<string, number[]>();
  const add = (key: string, times: number[]): void => {
    const list = series.get(key) ?? [];
    for (const t of times) if (t >= start && t < end) list.push(t);
    series.set(key, list);
  };

  for (const b of balancers) {
    const outages: (readonly [number, number])[] =
      b.outageAtHour === null
        ? []
        : [
            [
              start + b.outageAtHour * HOUR,
              start + b.outageAtHour * HOUR + b.outageMinutes * 60_000,
            ],
          ];
    add(
      b.address,
      clockTimes(rng, {
        start,
        end,
        periodSeconds: b.periodSeconds,
        jitter: b.jitter,
        missedRate: b.missedRate,
        duplicateRate: b.duplicateRate,
        duplicateDelayMs: 300,
        outages,
      }),
    );
  }

  add('172.16.1.50', poissonBetween(rng, start, end, 1 / 60));
  add(
    '172.16.10.5',
    renewalTimes(rng, start, hours * 120, () => 30 * (1 + 0.4 * (2 * rng.next() - 1))),
  );
  add('172.16.1.15', sessions(rng, start, end, 6, 2));
  add('172.16.100.5', officeHours(rng, start, end, 1 / 120));

  const clientCount = options.clients ?? 300;
  for (let i = 0; i < clientCount; i++) addRandomClient(rng, start, end, add);

  // Decide dominance by construction; in the ambiguous middle add random clients until it is clear.
  const balancerKeys = new Set(balancers.map((b) => b.address));
  for (;;) {
    const { top, share } = topShare(series);
    if (share <= 0.45) break;
    if (share >= 0.6 && balancerKeys.has(top)) break;
    addRandomClient(rng, start, end, add, 2000);
  }
  const { top, share } = topShare(series);

  const events = toEvents(series, TLS_HANDSHAKE_FAILURE, resolutionMs);
  return {
    name: `gateway #${seed}`,
    seed,
    start,
    end,
    resolutionMs,
    events,
    truth: {
      periodic: balancers.map((b) => ({
        signature: TLS_HANDSHAKE_FAILURE,
        key: b.address,
        periodSeconds: b.periodSeconds,
      })),
      bursts: [],
      dominant: share >= 0.6 ? [{ signature: TLS_HANDSHAKE_FAILURE, key: top }] : [],
    },
  };
}

/** A balancer with a keepalive period drawn log-uniformly from 3–60 s and realistic faults. */
export function randomBalancer(rng: Random, address: string, hours: number): Balancer {
  return {
    address,
    periodSeconds: Math.round(logUniform(rng, 3, 60) * 10) / 10,
    jitter: uniform(rng, 0, 0.03),
    missedRate: uniform(rng, 0, 0.02),
    duplicateRate: uniform(rng, 0, 0.01),
    outageAtHour: rng.next() < 0.5 ? uniform(rng, 1, hours - 2) : null,
    outageMinutes: uniform(rng, 20, 90),
  };
}

function addRandomClient(
  rng: Random,
  start: number,
  end: number,
  add: (key: string, times: number[]) => void,
  atLeast = 0,
): void {
  const address =
    rng.next() < 0.5
      ? `10.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`
      : `192.168.${rng.int(256)}.${1 + rng.int(254)}`;
  const hours = (end - start) / HOUR;
  // Most clients fail a handful of times; a few fail thousands of times.
  const perHour = Math.max(atLeast / hours, logUniform(rng, 0.01, 10));
  const model = rng.int(4);
  if (model === 0) add(address, poissonBetween(rng, start, end, perHour / 3600));
  else if (model === 1) add(address, sessions(rng, start, end, perHour / 5, 5));
  else if (model === 2) add(address, officeHours(rng, start, end, perHour / 3600));
  else {
    // An application polling at a preferred interval, but loosely (coefficient of variation 0.3–0.5).
    const shape = uniform(rng, 4, 11);
    const mean = 3600 / perHour;
    add(
      address,
      renewalTimes(rng, start, Math.ceil(hours * perHour), () => mean * gamma(rng, shape)),
    );
  }
}

/** Retry sessions: starts at `sessionsPerHour` (Poisson), each a few events a few seconds apart, irregularly. */
function sessions(
  rng: Random,
  start: number,
  end: number,
  sessionsPerHour: number,
  meanEvents: number,
): number[] {
  const times: number[] = [];
  for (const session of poissonBetween(rng, start, end, sessionsPerHour / 3600)) {
    let t = session;
    const n = 1 + Math.floor(exponential(rng) * meanEvents);
    for (let i = 0; i < n; i++) {
      times.push(t);
      t += 1000 * (1 + 4 * gamma(rng, 1.5));
    }
  }
  return times;
}

/** Poisson at `ratePerSecond` from 08:00 to 18:00 UTC, a tenth of it at night. */
function officeHours(rng: Random, start: number, end: number, ratePerSecond: number): number[] {
  return poissonBetween(rng, start, end, ratePerSecond).filter((t) => {
    const hour = new Date(t).getUTCHours();
    return (hour >= 8 && hour < 18) || rng.next() < 0.1;
  });
}

function topShare(series: Map<string, number[]>): { top: string; share: number } {
  let top = '';
  let topCount = 0;
  let total = 0;
  for (const [key, times] of series) {
    total += times.length;
    if (times.length > topCount) {
      top = key;
      topCount = times.length;
    }
  }
  return { top, share: total === 0 ? 0 : topCount / total };
}

function toEvents(
  series: Map<string, number[]>,
  signature: string,
  resolutionMs: number,
): LogEvent[] {
  const events: LogEvent[] = [];
  for (const [key, times] of series) {
    for (const t of times)
      events.push({ time: Math.floor(t / resolutionMs) * resolutionMs, key, signature });
  }
  return events.sort((a, b) => a.time - b.time);
}

export interface ClearTrustScenarioOptions {
  readonly hours?: number;
  /** Probability that each server takes part in a refresh burst; its length is the number of servers. */
  readonly presence?: readonly number[];
  /** The agent's pool refresh, minutes. */
  readonly refreshMinutes?: number;
  /** Random CT_SERVER_TIMED_OUT_ERROR per hour, over all servers. */
  readonly timeoutsPerHour?: number;
  /** Random CT_SOCKET_ERROR per hour (network blips), over all servers. */
  readonly blipsPerHour?: number;
  /** When set, this server index gets 80 % of the random timeouts (an overloaded aserver). */
  readonly overloadedServer?: number | null;
}

/**
 * A ClearTrust agent's `ctagent.log`: at every pool refresh (about hourly, a few seconds of
 * scheduling noise) the agent finds its idle connections cut by a firewall and logs
 * CT_SOCKET_ERROR for each server within a few seconds; between refreshes, random server timeouts
 * and the odd network blip.
 */
export function clearTrustScenario(
  seed: number,
  options: ClearTrustScenarioOptions = {},
): Scenario {
  const rng = new Random(seed);
  const hours = options.hours ?? 48;
  const presence = options.presence ?? [1, 1, 0.95, 1];
  const refreshMinutes = options.refreshMinutes ?? 60;
  const start = DEFAULT_START;
  const end = start + hours * HOUR;
  const resolutionMs = 1000;
  const servers = presence.map((_, i) => `server#${i + 1}, 10.10.10.${11 + i}:5615`);
  const socket = new Map<string, number[]>(servers.map((s) => [s, []]));
  const timeouts = new Map<string, number[]>(servers.map((s) => [s, []]));

  const refreshes = clockTimes(rng, {
    start,
    end,
    periodSeconds: refreshMinutes * 60,
    jitter: 2 / (refreshMinutes * 60),
  });
  for (const refresh of refreshes) {
    // The agent checks its connections in pool order, a fraction of a second to a few seconds apart.
    let t = refresh;
    presence.forEach((p, i) => {
      t += uniform(rng, 100, 2500);
      if (rng.next() < p) socket.get(servers[i]!)!.push(t);
    });
  }
  for (const t of poissonBetween(rng, start, end, (options.blipsPerHour ?? 0.3) / 3600)) {
    socket.get(rng.pick(servers))!.push(t);
  }
  const overloaded = options.overloadedServer ?? null;
  for (const t of poissonBetween(rng, start, end, (options.timeoutsPerHour ?? 4) / 3600)) {
    const server =
      overloaded !== null && rng.next() < 0.8 ? servers[overloaded]! : rng.pick(servers);
    timeouts.get(server)!.push(t);
  }
  for (const list of [...socket.values(), ...timeouts.values()]) list.sort((a, b) => a - b);

  const periodic = servers
    .filter((_, i) => presence[i]! >= 0.9)
    .map((key) => ({ signature: AGENT_SOCKET_ERROR, key, periodSeconds: refreshMinutes * 60 }));
  const burstKeys = servers.filter((_, i) => presence[i]! >= 0.5).sort();
  const dominant: DominantTruth[] = [];
  const top = topShare(timeouts);
  if (overloaded !== null && top.share >= 0.6)
    dominant.push({ signature: AGENT_SERVER_TIMEOUT, key: top.top });
  // Socket errors are spread evenly by design; with two servers that is about half each, which is
  // not a confident majority either.
  if (topShare(socket).share >= 0.6) {
    throw new Error('socket errors should be spread over the servers');
  }

  return {
    name: `cleartrust #${seed}`,
    seed,
    start,
    end,
    resolutionMs,
    events: [
      ...toEvents(socket, AGENT_SOCKET_ERROR, resolutionMs),
      ...toEvents(timeouts, AGENT_SERVER_TIMEOUT, resolutionMs),
    ].sort((a, b) => a.time - b.time),
    truth: {
      periodic,
      bursts:
        burstKeys.length >= 2
          ? [
              {
                signature: AGENT_SOCKET_ERROR,
                intervalSeconds: refreshMinutes * 60,
                keys: burstKeys,
              },
            ]
          : [],
      dominant,
    },
  };
}

/**
 * The events of one signature as the worker's columns: times in time order, and key ids into
 * `keyNames` (in first-seen order).
 */
export interface SignatureColumns extends KeyedRecords {
  readonly times: Float64Array;
  readonly keys: Uint32Array;
  readonly keyNames: readonly string[];
}

/** Splits a scenario's events by signature into the columns the detectors read. */
export function columnsBySignature(events: readonly LogEvent[]): Map<string, SignatureColumns> {
  const bySignature = new Map<string, LogEvent[]>();
  for (const e of events) {
    const list = bySignature.get(e.signature) ?? [];
    list.push(e);
    bySignature.set(e.signature, list);
  }
  const result = new Map<string, SignatureColumns>();
  for (const [signature, list] of bySignature) {
    const ids = new Map<string, number>();
    const keys = new Uint32Array(list.length);
    list.forEach((e, i) => {
      let id = ids.get(e.key);
      if (id === undefined) ids.set(e.key, (id = ids.size));
      keys[i] = id;
    });
    result.set(signature, {
      times: Float64Array.from(list, (e) => e.time),
      keys,
      keyCount: ids.size,
      keyNames: [...ids.keys()],
    });
  }
  return result;
}
