/**
 * `npm run bench:findings [-- --events 5000000 --keys 50000 --runs 7]`: what the behaviour
 * findings cost after ingest, on columns shaped like the worker's (a time column in record order,
 * a dictionary-id column and a tag column), for generated traffic of a stated size. Not a test:
 * it prints figures and asserts nothing.
 *
 * Budget: the findings of a 1 GiB log may add 10 % to its ingest (about 2.5 s per GiB), so
 * 5 M timestamps over 50 k keys must take well under 250 ms.
 *
 * Workloads (all deterministic):
 * - realistic: key sizes Zipf-like (a few keys with most events, most keys with a handful), most
 *   keys random (Poisson, retry sessions, office hours, loose pollers), 1 % load balancers and
 *   schedules; whole-second timestamps, as most gateway logs have; a second signature mixed in
 *   and selected out by the tag mask.
 * - worst case: every key a loose poller at 3–8 s in whole seconds, the shape that survives the
 *   cheap histogram test and must be tracked before it is rejected.
 *
 * Each is timed cold (a fresh GroupScratch: the first call in a worker, paying the first touch of
 * its memory) and warm (the scratch reused, as every later call is); wall and CPU time. The
 * calibration line times a plain loop over the same number of timestamps, so figures from a busy
 * machine can be scaled.
 */
import { parseArgs } from 'node:util';
import { detectRecurringBursts } from '../../shared/findings/bursts';
import { dominantSource } from '../../shared/findings/dominant';
import { detectPeriodicByKey } from '../../shared/findings/periodic';
import type { KeyedRecords } from '../../shared/findings/records';
import { GroupScratch } from '../../shared/findings/records';
import {
  Random,
  clockTimes,
  gamma,
  poissonBetween,
  renewalTimes,
  uniform,
} from '../helpers/arrivals';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '5000000' },
    keys: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '7' },
  },
});
const EVENTS = Number(values.events);
const KEYS = Number(values.keys);
const RUNS = Number(values.runs);
const START = Date.UTC(2024, 2, 4);
const SPAN = 24 * 3_600_000;

/** Records in time order, as one log file's index would hold them; tag bit 1 is the signature. */
interface Columns extends KeyedRecords {
  readonly times: Float64Array;
  readonly keys: Uint32Array;
  readonly select: { readonly tags: Uint8Array; readonly mask: number };
}

/** Zipf-like sizes summing to about `events`: key k gets a share proportional to 1/(k + 10). */
function keySizes(events: number, keys: number): number[] {
  const weights = Array.from({ length: keys }, (_, k) => 1 / (k + 10));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => Math.max(1, Math.round((w / total) * events)));
}

/** One record in ten belongs to another signature (tag 2), which the mask must leave out. */
function toColumns(perKey: number[][], rng: Random): Columns {
  const records: [number, number, number][] = [];
  perKey.forEach((times, key) => {
    for (const t of times) records.push([Math.floor(t / 1000) * 1000, key, 1]);
  });
  const others = Math.round(records.length / 9);
  for (let i = 0; i < others; i++) {
    records.push([START + Math.floor((rng.next() * SPAN) / 1000) * 1000, rng.int(KEYS), 2]);
  }
  records.sort((a, b) => a[0] - b[0]);
  return {
    times: Float64Array.from(records, (r) => r[0]),
    keys: Uint32Array.from(records, (r) => r[1]),
    keyCount: KEYS,
    select: { tags: Uint8Array.from(records, (r) => r[2]), mask: 1 },
  };
}

function realistic(seed: number): Columns {
  const rng = new Random(seed);
  const perKey = keySizes(EVENTS, KEYS).map((size, key) => {
    const rate = size / (SPAN / 1000);
    if (key % 100 === 7) {
      return clockTimes(rng, {
        start: START,
        end: START + SPAN,
        periodSeconds: 1 / rate,
        jitter: 0.01,
      });
    }
    switch (rng.int(4)) {
      case 0:
        return poissonBetween(rng, START, START + SPAN, rate);
      case 1: {
        // Retry sessions: a few events seconds apart.
        const times: number[] = [];
        for (const s of poissonBetween(rng, START, START + SPAN, rate / 4)) {
          for (let i = 0; i < 4; i++) times.push(s + i * 2000 * (1 + rng.next()));
        }
        return times;
      }
      case 2:
        return poissonBetween(rng, START, START + SPAN, rate).filter(
          (t) => new Date(t).getUTCHours() >= 8 || rng.next() < 0.3,
        );
      default: {
        const shape = uniform(rng, 2, 8);
        return renewalTimes(rng, START, size, () => gamma(rng, shape) / rate);
      }
    }
  });
  return toColumns(perKey, rng);
}

function worstCase(seed: number): Columns {
  const rng = new Random(seed);
  const perKey: number[][] = [];
  const perKeyEvents = Math.round(EVENTS / KEYS);
  for (let key = 0; key < KEYS; key++) {
    const mean = uniform(rng, 3, 8);
    const shape = uniform(rng, 10, 16);
    const start = START + rng.next() * SPAN;
    perKey.push(renewalTimes(rng, start, perKeyEvents, () => mean * gamma(rng, shape)));
  }
  return toColumns(perKey, rng);
}

interface Timing {
  wall: { periodic: number; dominant: number; bursts: number };
  cpu: number;
  found: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function runOnce(columns: Columns, scratch: GroupScratch): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { findings, counts, total } = detectPeriodicByKey(columns, {}, scratch);
  const t1 = performance.now();
  dominantSource(counts, total);
  const t2 = performance.now();
  detectRecurringBursts(columns);
  const t3 = performance.now();
  return {
    wall: { periodic: t1 - t0, dominant: t2 - t1, bursts: t3 - t2 },
    cpu: cpuMs(cpu0),
    found: findings.length,
  };
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** A plain pass over the timestamps (sum of intervals): what one touch costs on this machine now. */
function calibrate(times: Float64Array): number {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    let sum = 0;
    for (let i = 1; i < times.length; i++) sum += times[i]! - times[i - 1]!;
    best = Math.min(best, performance.now() - t0);
    if (sum < 0) console.log(sum);
  }
  return best;
}

function report(name: string, columns: Columns): void {
  const n = columns.select.tags.reduce((count, tag) => count + (tag & 1), 0);
  const cold = runOnce(columns, new GroupScratch());
  const scratch = new GroupScratch();
  runOnce(columns, scratch);
  const runs = Array.from({ length: RUNS }, () => runOnce(columns, scratch));
  const show = (label: string, values: number[]): void => {
    console.log(
      `  ${label.padEnd(34)}${median(values).toFixed(1).padStart(8)} ms  (min ${Math.min(...values).toFixed(1)})`,
    );
  };
  const total = (t: Timing): number => t.wall.periodic + t.wall.dominant + t.wall.bursts;
  console.log(
    `\n${name}: ${n.toLocaleString('en')} timestamps of the signature among ${columns.times.length.toLocaleString('en')} records, ${KEYS.toLocaleString('en')} keys, ${runs[0]!.found} periodic found`,
  );
  console.log(
    `  cold (fresh scratch), wall${total(cold).toFixed(1).padStart(14)} ms, CPU ${cold.cpu.toFixed(1)} ms`,
  );
  show(
    'warm: group + periodicity, wall',
    runs.map((t) => t.wall.periodic),
  );
  show(
    'warm: dominant source, wall',
    runs.map((t) => t.wall.dominant),
  );
  show(
    'warm: recurring bursts, wall',
    runs.map((t) => t.wall.bursts),
  );
  show('warm: total, wall', runs.map(total));
  show(
    'warm: total, CPU',
    runs.map((t) => t.cpu),
  );
  console.log(
    `  warm per timestamp (wall)${((median(runs.map(total)) * 1e6) / n).toFixed(1).padStart(15)} ns`,
  );
}

console.log(`node ${process.version}, median of ${RUNS} warm runs after one warm-up`);
const realisticColumns = realistic(1);
const pass = calibrate(realisticColumns.times);
console.log(
  `calibration: a plain pass over ${realisticColumns.times.length.toLocaleString('en')} timestamps takes ${pass.toFixed(1)} ms (${((pass * 1e6) / realisticColumns.times.length).toFixed(2)} ns each)`,
);
report('realistic', realisticColumns);
report('worst case (loose pollers at 3–8 s, whole seconds)', worstCase(2));
