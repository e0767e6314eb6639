/**
 * The legacy EVT reader on the corpus's Windows XP System log and on logs written by
 * test/helpers/evt-writer.ts (wrapped rings, dirty headers, stale free space, broken records,
 * Citrix Secure Gateway events). Agreement with libevt is
 * test/electron/windows-eventlog/evt-reference.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evt } from '../../../shared/formats/evt';
import { detectFormat } from '../../../shared/formats/registry';
import { DICT_COLUMNS, RecordFlag } from '../../../shared/record';
import type { Ingested } from '../../helpers/ingest';
import { corpusBytes, ingest } from '../../helpers/ingest';
import type { EvtRecordSpec } from '../../helpers/evt-writer';
import { evtFile, evtRecord } from '../../helpers/evt-writer';

function expectIndexAgreesWithParse({ index, records }: Ingested): void {
  expect(records.length).toBe(index.count);
  records.forEach((r, i) => {
    expect(index.timeOf(i), `record ${i} time`).toBe(r.record.time);
    for (const column of DICT_COLUMNS)
      expect(index.valueOf(column, i), `record ${i} ${column}`).toBe(r.record[column]);
    expect(index.flagsOf(i), `record ${i} flags`).toBe(r.record.flags);
  });
}

const summary = (run: Ingested) =>
  run.records.map((r, i) => [
    r.offset,
    run.index.timeOf(i),
    ...DICT_COLUMNS.map((c) => run.index.valueOf(c, i)),
    run.index.flagsOf(i),
  ]);

const numbers = (run: Ingested) => run.records.map((r) => Number(r.record.fields.RecordNumber));

describe('corpus plaso_SysEvent.Evt (Windows XP System log, wrapped, dirty header)', () => {
  const bytes = corpusBytes('evt/plaso_SysEvent.Evt');
  const run = ingest(evt, bytes);

  it('reads the 6063 live records and recovers 257 older ones from the free space', () => {
    expect(run.index.errors).toEqual([]);
    const live = run.records.filter((r) => (r.record.flags & RecordFlag.Recovered) === 0);
    const recovered = run.records.filter((r) => (r.record.flags & RecordFlag.Recovered) !== 0);
    expect(live.length).toBe(6063);
    // The header says the next record is 7430 (it lags); the EOF record says 7455.
    expect(new Set(live.map((r) => Number(r.record.fields.RecordNumber)))).toEqual(
      new Set(Array.from({ length: 7455 - 1392 }, (_, i) => 1392 + i)),
    );
    expect(recovered.map((r) => Number(r.record.fields.RecordNumber))).toEqual(
      Array.from({ length: 1392 - 1135 }, (_, i) => 1135 + i),
    );
  });

  it('indexes exactly what parse shows, whatever the size of the pushes', () => {
    expectIndexAgreesWithParse(run);
    for (const chunkSize of [1, 333, 65536, 1 << 20]) {
      if (chunkSize === 1) {
        // One byte at a time over the start, the free space boundary and the crossing record.
        const small = ingest(evt, bytes.subarray(0, 4096), { chunkSize: 1 });
        expect(small.index.count).toBeGreaterThan(0);
        continue;
      }
      expect(summary(ingest(evt, bytes, { chunkSize })), `pushes of ${chunkSize}`).toEqual(
        summary(run),
      );
    }
  });

  it('reads the record that crosses the end of the log and continues at offset 48', () => {
    const crossing = run.records.find((r) => r.offset === 0x1eff10)!;
    // evtexport: 1572, LSASRV 0x8000a000, "cifs/CONTROLLER", "Kerberos", "There are ... (0xc000005e)".
    expect(crossing.record.fields).toMatchObject({
      RecordNumber: '1572',
      EventID: '40960',
      Qualifiers: '32768',
      '%2': 'Kerberos',
    });
    expect(crossing.record.fields['%3']).toMatch(
      /^"There are currently no logon servers .*\(0xc000005e\)"$/s,
    );
    expect(crossing.record.flags).toBe(0);
  });

  it('maps a record to the common columns', () => {
    const first = run.records.find((r) => r.record.fields.RecordNumber === '1392')!;
    expect(first.record).toMatchObject({
      time: Date.UTC(2011, 6, 27, 6, 41, 47),
      code: '40961',
      source: 'LSASRV',
      level: 'Warning',
      host: 'WKS-WINXP32BIT',
      srcIp: null,
    });
    expect(first.record.fields).toMatchObject({
      Category: '3',
      '%1': 'cifs/CONTROLLER',
      EventType: '2',
    });
    expect(first.raw).toContain('Event identifier: 0x8000a001 (code 40961, qualifiers 32768)');
  });

  it('is detected as evt', () => {
    expect(
      detectFormat({
        fileName: 'SysEvent.Evt',
        bytes: bytes.subarray(0, 65536),
        encoding: null,
        lines: [],
      }).format,
    ).toBe('evt');
  });
});

const T = Date.UTC(2006, 4, 2, 9, 0, 0) / 1000;

function record(number: number, extra: Partial<EvtRecordSpec> = {}): EvtRecordSpec {
  return {
    number,
    generated: T + number * 5,
    eventId: 0xc000007d,
    type: 1,
    category: 3,
    source: 'Secure Gateway',
    computer: 'CSG01',
    strings: [`10.0.0.${number % 250}:4${number % 1000}`],
    ...extra,
  };
}

describe('written logs', () => {
  it('a wrapped log: every live record once, the crossing record whole, stale copies dropped', () => {
    const records = Array.from({ length: 40 }, (_, i) => record(100 + i));
    const size = 2048;
    // Oldest record somewhere in the middle: the ring wraps and one record crosses its end.
    for (const firstOffset of [48, 400, 1000, 1600, 1996]) {
      // The newest records that fit the ring together with the EOF record.
      const kept: EvtRecordSpec[] = [];
      let used = 40;
      for (const r of [...records].reverse()) {
        used += evtRecord(r).length;
        if (used > size - 48) break;
        kept.unshift(r);
      }
      const run = ingest(evt, evtFile({ records: kept, size, firstOffset }), { chunkSize: 97 });
      expectIndexAgreesWithParse(run);
      expect(run.index.errors, `first at ${firstOffset}`).toEqual([]);
      expect(
        numbers(run).sort((a, b) => a - b),
        `first at ${firstOffset}`,
      ).toEqual(kept.map((r) => r.number));
    }
  });

  it('takes the client address of Secure Gateway events from their insertion strings', () => {
    const run = ingest(
      evt,
      evtFile({
        records: [
          record(7),
          record(8, {
            eventId: 0x40000c82,
            source: 'CtxSecGwy',
            type: 2,
            strings: ['[172.16.1.5:1042]'],
          }),
        ],
        size: 4096,
      }),
    );
    expectIndexAgreesWithParse(run);
    const [handshake, dropped] = run.records.map((r) => r.record);
    expect(handshake).toMatchObject({
      code: '125',
      level: 'Error',
      source: 'Secure Gateway',
      srcIp: '10.0.0.7',
      message: 'SSL handshake from client failed. [%1=10.0.0.7:47]',
    });
    expect(handshake!.fields).toMatchObject({ Qualifiers: String(0xc000), '%1': '10.0.0.7:47' });
    expect(dropped).toMatchObject({
      code: '3202',
      level: 'Warning',
      source: 'CtxSecGwy',
      srcIp: '172.16.1.5',
    });
    expect(dropped!.notes.join(' ')).toContain("LogSieve's table of known events");
  });

  it('a dirty header: the EOF record is the authority', () => {
    const records = Array.from({ length: 10 }, (_, i) => record(i + 1));
    const run = ingest(evt, evtFile({ records, size: 4096, headerLag: 4 }));
    expect(run.index.errors).toEqual([]);
    expect(numbers(run)).toEqual(records.map((r) => r.number));
  });

  it('stale records in the free space: older ones recovered, copies of live ones dropped', () => {
    const live = Array.from({ length: 6 }, (_, i) => record(20 + i));
    const stale = [record(3), record(22)].map(evtRecord);
    const junk = Uint8Array.from({ length: 24 }, (_, i) => 0x41 + i);
    const bytes = new Uint8Array(junk.length + stale[0]!.length + stale[1]!.length);
    bytes.set(junk);
    bytes.set(stale[0]!, junk.length);
    bytes.set(stale[1]!, junk.length + stale[0]!.length);
    const run = ingest(evt, evtFile({ records: live, size: 4096, stale: bytes }));
    expectIndexAgreesWithParse(run);
    expect(run.index.errors).toEqual([]);
    expect(
      run.records.map((r) => [
        Number(r.record.fields.RecordNumber),
        (r.record.flags & RecordFlag.Recovered) !== 0,
      ]),
    ).toEqual([...live.map((r) => [r.number, false]), [3, true]]);
  });

  it('no EOF record: says so and still reads every record', () => {
    const records = Array.from({ length: 5 }, (_, i) => record(i + 1));
    const run = ingest(evt, evtFile({ records, size: 4096, noEof: true }));
    expect(run.index.errors).toEqual([
      'no end-of-file record found: newest and oldest records could not be told apart',
    ]);
    expect(numbers(run)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a broken record: shown damaged, the chain picked up after it', () => {
    const records = Array.from({ length: 5 }, (_, i) => record(i + 1));
    const bytes = evtFile({ records, size: 4096 });
    const second = 48 + evtRecord(records[0]!).length;
    const size2 = evtRecord(records[1]!).length;
    bytes.fill(0, second + size2 - 4, second + size2); // its size copy
    const run = ingest(evt, bytes);
    expectIndexAgreesWithParse(run);
    expect(run.index.errors).toEqual([
      `records broken at 0x${second.toString(16)}; the rest was scanned for records`,
    ]);
    expect(run.records.map((r) => [Number(r.record.fields.RecordNumber), r.record.flags])).toEqual([
      [1, 0],
      [2, RecordFlag.Damaged],
      [3, RecordFlag.Recovered],
      [4, 0],
      [5, 0],
    ]);
  });

  it('a file cut short of the log size: says so, reads what is there', () => {
    const records = Array.from({ length: 8 }, (_, i) => record(i + 1));
    const whole = evtFile({ records, size: 4096 });
    const cut = whole.subarray(0, 48 + evtRecord(records[0]!).length * 3 + 10);
    const run = ingest(evt, cut);
    expectIndexAgreesWithParse(run);
    expect(numbers(run)).toEqual([1, 2, 3]);
    expect(run.index.errors[0]).toContain('the log is 4096 bytes but the file has');
  });

  const mutationProperty = (bytes: Uint8Array, maxChunk: number) =>
    fc.property(
      fc.array(
        fc.tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })),
        {
          minLength: 1,
          maxLength: 40,
        },
      ),
      fc.integer({ min: 1, max: maxChunk }),
      fc.option(fc.integer({ min: 0, max: bytes.length }), { freq: 4 }),
      (writes, chunkSize, truncate) => {
        let b = bytes.slice();
        for (const [at, v] of writes) b[at] = v;
        if (truncate !== null) b = b.subarray(0, truncate);
        const started = performance.now();
        const run = ingest(evt, b, { chunkSize });
        expect(performance.now() - started, 'bounded work').toBeLessThan(10_000);
        expectIndexAgreesWithParse(run);
        expect(run.records.filter((r) => (r.record.flags & RecordFlag.ParseError) !== 0)).toEqual(
          [],
        );
        expect(run.index.errors.filter((e) => e.includes('internal error'))).toEqual([]);
      },
    );

  it('mutated logs never throw or hang and index what parse shows', () => {
    const wrapped = evtFile({
      records: Array.from({ length: 30 }, (_, i) => record(i + 1)),
      size: 4096,
      firstOffset: 1500,
    });
    fc.assert(mutationProperty(wrapped, 5000), { numRuns: 300 });
    fc.assert(mutationProperty(corpusBytes('evt/plaso_SysEvent.Evt'), 1 << 20), { numRuns: 8 });
  }, 120_000);
});
