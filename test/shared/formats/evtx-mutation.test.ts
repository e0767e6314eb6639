/**
 * Property tests on damaged input: corpus files with random mutations (flipped bytes, overwritten
 * and zeroed ranges, copied ranges, truncation). Whatever the damage:
 * - ingest and parse never throw, and the work stays bounded (each run finishes well within a
 *   limit far above its normal time);
 * - every record's index entry equals what parse shows, and no record is flagged as a LogSieve
 *   bug (ParseError comes only from an unexpected exception);
 * - damage inside one chunk leaves every record of the other chunks exactly as before.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evtx } from '../../../shared/formats/evtx';
import { DICT_COLUMNS, RecordFlag } from '../../../shared/record';
import type { Ingested } from '../../helpers/ingest';
import { corpusBytes, ingest } from '../../helpers/ingest';

const CHUNK = 65536;
const HEADER = 4096;

type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'write'; at: number; bytes: number[] }
  | { kind: 'zero'; at: number; length: number }
  | { kind: 'copy'; from: number; to: number; length: number };

/** Offsets that matter most: file and chunk headers, record starts, template data. */
function offsetIn(start: number, end: number): fc.Arbitrary<number> {
  const headers = fc.integer({ min: 0, max: 511 }).map((o) => start + o);
  return fc.oneof(
    { weight: 1, arbitrary: headers.filter((o) => o < end) },
    { weight: 3, arbitrary: fc.integer({ min: start, max: end - 1 }) },
  );
}

function mutation(start: number, end: number): fc.Arbitrary<Mutation> {
  const at = offsetIn(start, end);
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, xor: fc.integer({ min: 1, max: 255 }) }),
    fc.record({
      kind: fc.constant('write' as const),
      at,
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }),
    }),
    fc.record({
      kind: fc.constant('zero' as const),
      at,
      length: fc.integer({ min: 1, max: 4096 }),
    }),
    fc.record({
      kind: fc.constant('copy' as const),
      from: at,
      to: at,
      length: fc.integer({ min: 1, max: 2048 }),
    }),
  );
}

/** Applies mutations; ranges they write are cut at `end`. */
function mutate(original: Uint8Array, mutations: readonly Mutation[], end: number): Uint8Array {
  const b = original.slice();
  const limit = Math.min(end, b.length);
  const clip = (at: number, length: number) =>
    [at, Math.max(at, Math.min(limit, at + length))] as const;
  for (const m of mutations) {
    if (m.kind === 'flip') b[m.at]! ^= m.xor;
    else if (m.kind === 'write') {
      const [from, to] = clip(m.at, m.bytes.length);
      b.set(m.bytes.slice(0, to - from), from);
    } else if (m.kind === 'zero') {
      const [from, to] = clip(m.at, m.length);
      b.fill(0, from, to);
    } else {
      const [from, to] = clip(m.to, m.length);
      b.set(original.subarray(m.from, m.from + (to - from)), from);
    }
  }
  return b;
}

function check(run: Ingested): void {
  expect(run.index.errors.filter((e) => e.includes('internal error'))).toEqual([]);
  run.records.forEach((r, i) => {
    expect(r.record.flags & RecordFlag.ParseError, `record ${i}: ${r.record.notes.join(' ')}`).toBe(
      0,
    );
    expect(run.index.timeOf(i)).toBe(r.record.time);
    for (const column of DICT_COLUMNS)
      expect(run.index.valueOf(column, i), column).toBe(r.record[column]);
    expect(run.index.flagsOf(i)).toBe(r.record.flags);
  });
}

/** Runs ingest and reads every record back, failing if either takes unreasonably long. */
function timedIngest(bytes: Uint8Array, chunkSize: number, limitMs: number): Ingested {
  const started = performance.now();
  const run = ingest(evtx, bytes, { chunkSize });
  const elapsed = performance.now() - started;
  expect(elapsed, 'bounded work').toBeLessThan(limitMs);
  return run;
}

describe('mutated EVTX files', () => {
  const small = [
    'omerbenamram_Security_short_selected.evtx',
    'omerbenamram_new-user-security.evtx',
    'omerbenamram_Application_no_crc32.evtx',
    'omerbenamram_MSExchange_Management_wec.evtx',
    'python-evtx_dns_log_malformed.evtx',
  ].map((f) => corpusBytes(`evtx/${f}`));

  it('never throw or hang, and index what parse shows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: small.length - 1 }),
        fc.array(mutation(0, 69632), { minLength: 1, maxLength: 24 }),
        fc.option(fc.integer({ min: 0, max: 69632 }), { freq: 4 }),
        fc.integer({ min: 1, max: 70000 }),
        (which, mutations, truncate, chunkSize) => {
          const original = small[which]!;
          let bytes = mutate(original, mutations, original.length);
          if (truncate !== null) bytes = bytes.subarray(0, truncate);
          check(timedIngest(bytes, chunkSize, 10_000));
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it('damage in one chunk leaves the records of the other chunks as they were', () => {
    const files = ['omerbenamram_CAPI2_Operational.evtx', 'plaso_System2_truncated.evtx'].map((f) =>
      corpusBytes(`evtx/${f}`),
    );
    const originals = files.map((bytes) => ({ bytes, run: ingest(evtx, bytes) }));
    const key = (run: Ingested, i: number) =>
      JSON.stringify([
        run.index.timeOf(i),
        ...DICT_COLUMNS.map((c) => run.index.valueOf(c, i)),
        run.index.flagsOf(i),
      ]);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: files.length - 1 })
          .chain((which) => {
            const slots = Math.ceil((files[which]!.length - HEADER) / CHUNK);
            return fc.tuple(fc.constant(which), fc.integer({ min: 0, max: slots - 1 }));
          })
          .chain(([which, slot]) => {
            const start = HEADER + slot * CHUNK;
            const end = Math.min(files[which]!.length, start + CHUNK);
            return fc.tuple(
              fc.constant(which),
              fc.constant(slot),
              fc.array(mutation(start, end), { minLength: 1, maxLength: 16 }),
            );
          }),
        ([which, slot, mutations]) => {
          const { bytes, run: before } = originals[which]!;
          const start = HEADER + slot * CHUNK;
          const after = timedIngest(mutate(bytes, mutations, start + CHUNK), 300_007, 20_000);
          check(after);
          const kept = new Map<number, string>();
          after.records.forEach((r, i) => kept.set(r.offset, key(after, i)));
          before.records.forEach((r, i) => {
            const inOtherChunk = r.offset < start || r.offset >= start + CHUNK;
            if (!inOtherChunk || (r.record.flags & RecordFlag.Recovered) !== 0) return;
            expect(kept.get(r.offset), `record at ${r.offset}`).toBe(key(before, i));
          });
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
