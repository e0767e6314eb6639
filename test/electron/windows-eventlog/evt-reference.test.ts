/**
 * LogSieve's legacy EVT reader against libevt (Debian's python3-libevt, the library behind
 * `evtexport` in libevt-utils) on the corpus's Windows XP System log: every record libevt reads
 * must come out of LogSieve with the same number, times, event id, type, category, source,
 * computer, user SID, insertion strings and data, and the common columns must follow from them.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { evt } from '../../../shared/formats/evt';
import { RecordFlag } from '../../../shared/record';
import type { RecordText } from '../../../shared/index/records';
import { CORPUS, corpusBytes, ingest } from '../../helpers/ingest';
import type { ReferenceRecord } from './reference';
import { missingReader, missingTool, referenceRecords } from './reference';

// The independent readers are Python: python-evtx needs about ten seconds for system.evtx alone.
vi.setConfig({ testTimeout: 180_000 });

const FILE = 'evt/plaso_SysEvent.Evt';

const TYPE_NAMES: Record<number, string> = {
  0: 'Information',
  1: 'Error',
  2: 'Warning',
  4: 'Information',
  8: 'Audit Success',
  16: 'Audit Failure',
};

function compare(ref: ReferenceRecord, mine: RecordText): string[] {
  const f = mine.record.fields;
  const out: string[] = [];
  const eq = (what: string, theirs: unknown, ours: unknown) => {
    if (theirs !== ours)
      out.push(`${what}: libevt ${JSON.stringify(theirs)}, LogSieve ${JSON.stringify(ours)}`);
  };
  const iso = (seconds: number | undefined) =>
    new Date((seconds ?? 0) * 1000).toISOString().replace('.000Z', 'Z');
  eq('number', String(ref.id), f.RecordNumber);
  eq('time generated', iso(ref.created), f.TimeGenerated);
  eq('time written', iso(ref.written), f.TimeWritten);
  const eventId = ref.eventId as number;
  eq('event id', eventId, Number(f.Qualifiers) * 65536 + Number(f.EventID));
  eq('type', String(ref.type), f.EventType);
  eq('category', String(ref.category), f.Category);
  eq('source', ref.source, f.Source);
  eq('computer', ref.computer, f.Computer);
  eq('user SID', ref.sid ?? undefined, f.UserID);
  (ref.strings ?? []).forEach((s, i) => eq(`string ${i + 1}`, s, f[`%${i + 1}`]));
  eq(
    'string count',
    ref.strings?.length ?? 0,
    Object.keys(f).filter((k) => /^%\d+$/.test(k)).length,
  );
  eq('data', (ref.data as string).toUpperCase() || undefined, f.Data);
  // The common columns, from those values.
  eq('time column', (ref.created ?? 0) * 1000, mine.record.time);
  eq('code column', String(eventId & 0xffff), mine.record.code);
  eq('level column', TYPE_NAMES[ref.type ?? -1] ?? `Type ${String(ref.type)}`, mine.record.level);
  eq('source column', ref.source, mine.record.source);
  eq('host column', ref.computer, mine.record.host);
  return out;
}

describe('plaso_SysEvent.Evt', () => {
  const missing = missingReader('libevt');
  it.skipIf(missing !== null)(`agrees with libevt${missing ? ` (${missing})` : ''}`, () => {
    const { records, index } = ingest(evt, corpusBytes(FILE), { chunkSize: 100_003 });
    expect(index.errors).toEqual([]);
    const refs = referenceRecords('libevt', CORPUS + FILE);
    expect(refs.filter((r) => r.error !== undefined)).toEqual([]);
    const recovered = (r: RecordText) => (r.record.flags & RecordFlag.Recovered) !== 0;
    const byNumber = new Map<string, RecordText[]>();
    for (const r of records)
      byNumber.set(r.record.fields.RecordNumber!, [
        ...(byNumber.get(r.record.fields.RecordNumber!) ?? []),
        r,
      ]);
    const problems: string[] = [];

    // Live records: all 6063, one each, equal.
    const live = refs.filter((r) => r.recovered !== true);
    expect(live.length).toBe(6063);
    for (const ref of live) {
      const mine = (byNumber.get(String(ref.id)) ?? []).filter((r) => !recovered(r));
      if (mine.length !== 1) problems.push(`record ${String(ref.id)}: ${mine.length} live matches`);
      else {
        if (mine[0]!.offset !== ref.offset)
          problems.push(`record ${String(ref.id)} offset ${mine[0]!.offset}`);
        for (const p of compare(ref, mine[0]!)) problems.push(`record ${String(ref.id)} ${p}`);
      }
    }
    expect(records.filter((r) => !recovered(r)).length).toBe(live.length);

    // libevt's "recovered" list holds every intact record of the free space, 438 of them: 257 older
    // records (1135-1391) and 181 stale copies of live records (1392-1572, overwritten in place
    // since: the live copies are the ones above). LogSieve recovers the 257 and drops the copies,
    // as libyal advises for EVTX ("ignore any record with an identifier that already exists").
    const stale = refs.filter((r) => r.recovered === true);
    expect(stale.length).toBe(438);
    const liveNumbers = new Set(live.map((r) => r.id));
    const copies = stale.filter((r) => liveNumbers.has(r.id));
    const older = stale.filter((r) => !liveNumbers.has(r.id));
    expect(copies.length).toBe(181);
    expect(older.length).toBe(257);
    for (const ref of older) {
      const mine = (byNumber.get(String(ref.id)) ?? []).filter(recovered);
      if (mine.length !== 1)
        problems.push(`recovered record ${String(ref.id)}: ${mine.length} matches`);
      else
        for (const p of compare(ref, mine[0]!))
          problems.push(`recovered record ${String(ref.id)} ${p}`);
    }
    // The dropped copies say the same as the live records they duplicate (checked, not assumed),
    // but one: the copy of 1572 at 0x1dff10 is itself cut (its size copy does not match; the
    // live 1572 crosses the end of the log there), and libevt reads 11 "strings" out of what
    // follows it. LogSieve's copy-of-size check rejects it as a record at all.
    const bytes = corpusBytes(FILE);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    for (const ref of copies) {
      const liveCopy = byNumber.get(String(ref.id))!.find((r) => !recovered(r))!;
      const size = view.getUint32(ref.offset!, true);
      if (view.getUint32(ref.offset! + size - 4, true) !== size) {
        expect([ref.id, ref.offset]).toEqual([1572, 0x1dff10]);
        continue;
      }
      for (const p of compare(ref, liveCopy)) problems.push(`stale copy ${String(ref.id)} ${p}`);
    }
    expect(records.filter(recovered).length).toBe(older.length);
    expect(problems).toEqual([]);
  });

  const tool = missingTool('evtexport', 'libevt-utils');
  it.skipIf(tool !== null)(
    `evtexport lists the same live records${tool ? ` (${tool})` : ''}`,
    () => {
      const r = spawnSync('evtexport', [CORPUS + FILE], { encoding: 'utf8', maxBuffer: 1 << 28 });
      expect(r.status).toBe(0);
      const theirs = Array.from(r.stdout.matchAll(/^Event number\s*: (\d+)$/gm), (m) =>
        Number(m[1]),
      );
      expect(theirs.length).toBe(6063);
      const { records } = ingest(evt, corpusBytes(FILE));
      const mine = records
        .filter((x) => (x.record.flags & RecordFlag.Recovered) === 0)
        .map((x) => Number(x.record.fields.RecordNumber));
      // evtexport lists oldest first (from the header's first record, round the ring); LogSieve's
      // rows are in file order: the same records.
      expect([...mine].sort((a, b) => a - b)).toEqual([...theirs].sort((a, b) => a - b));
    },
  );
});
