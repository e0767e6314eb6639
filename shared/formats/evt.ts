/**
 * Legacy Windows event logs (`.evt`: Windows NT, 2000, XP, Server 2003, where Citrix Secure
 * Gateway 3.x ran), read natively. Layout per libyal's "Windows Event Log (EVT) format" and
 * [MS-EVEN] EVENTLOGRECORD, checked against the corpus's XP System log:
 *
 * - a 48-byte header (`LfLe`, offsets of the oldest record and of the end-of-file record, the
 *   next and oldest record numbers, the log's size, flags);
 * - a ring of records from offset 48 to the log's size: each record is `size, LfLe, number,
 *   time generated, time written, event id, type, string count, category, ..., source name,
 *   computer name, user SID, insertion strings, data, size copy`; a record that reaches the end
 *   of the ring continues at offset 48;
 * - a 40-byte end-of-file record after the newest record, repeating the header's offsets and
 *   numbers (the header itself lags behind in a log that was not closed cleanly, so the EOF
 *   record is the authority).
 *
 * Reading in file order, a wrapped log holds: at 48 the rest of the record that crosses the end
 * of the ring, then the newest records up to the EOF record, then free space with older, partly
 * overwritten records, then from the oldest-record offset the oldest live records up to the end.
 * Records are rows in file order (the grid sorts by time). Records on the chain are live; records
 * found by scanning (after a break, or in the free space) are flagged `recovered`, and free-space
 * records whose number is still live elsewhere are stale copies and are dropped, as libevt does
 * for its default export.
 */
import type {
  BinaryFormat,
  BinaryIndexer,
  DetectSample,
  FileContext,
  IndexSink,
  ReadAt,
} from './types';
import type { ParsedRecord } from '../record';
import { RecordFlag } from '../record';
import { bytesEqual } from './bytes';
import { hex, u16, u32, utf16End, utf16Text, utf16ToUtf8 } from './windows/bytes-le';
import {
  EventColumns,
  addField,
  addressFromStrings,
  eventMessage,
  evtTypeName,
  internalError,
  mayTakeAddressFromStrings,
} from './windows/event';
import { knownEvent } from './windows/messages';

const HEADER_SIZE = 48;
const RECORD_MIN = 56;
/** Larger records do not occur (ReportEvent caps data near 61 KB); a larger size is damage. */
const RECORD_MAX = 0x40000;
const EOF_SIZE = 40;
const SIGNATURE = 0x654c664c; // "LfLe"
/** How much of the ring's start is kept for the tail of the record that crosses the ring's end. */
const RING_HEAD_KEPT = RECORD_MAX;

interface EvtHeader {
  readonly ok: boolean;
  readonly firstOffset: number;
  readonly eofOffset: number;
  readonly nextNumber: number;
  readonly oldestNumber: number;
  readonly maxSize: number;
  readonly flags: number;
}

function readHeader(b: Uint8Array): EvtHeader {
  const complete = b.length >= HEADER_SIZE;
  return {
    ok:
      complete &&
      u32(b, 0) === HEADER_SIZE &&
      u32(b, 4) === SIGNATURE &&
      u32(b, 44) === HEADER_SIZE,
    firstOffset: complete ? u32(b, 16) : 0,
    eofOffset: complete ? u32(b, 20) : 0,
    nextNumber: complete ? u32(b, 24) : 0,
    oldestNumber: complete ? u32(b, 28) : 0,
    maxSize: complete ? u32(b, 32) : 0,
    flags: complete ? u32(b, 36) : 0,
  };
}

/**
 * The end of the ring: the log's size from the header when the file has exactly that many bytes;
 * otherwise the file's own size (a copied or cut file), which the indexer reports.
 */
function ringEnd(header: EvtHeader, fileSize: number): number {
  return header.ok && header.maxSize === fileSize ? header.maxSize : fileSize;
}

function isEofRecord(b: Uint8Array, o: number): boolean {
  return (
    o + EOF_SIZE <= b.length &&
    u32(b, o) === EOF_SIZE &&
    u32(b, o + 4) === 0x11111111 &&
    u32(b, o + 8) === 0x22222222 &&
    u32(b, o + 12) === 0x33333333 &&
    u32(b, o + 16) === 0x44444444 &&
    u32(b, o + 36) === EOF_SIZE
  );
}

// ---- one record ----------------------------------------------------------------------------------

interface EvtRecord {
  readonly number: number;
  readonly generated: number;
  readonly written: number;
  readonly eventId: number;
  readonly type: number;
  readonly category: number;
  /** [start, end) of the source and computer names (UTF-16LE, NUL excluded) in the record. */
  readonly source: readonly [number, number];
  readonly computer: readonly [number, number];
  readonly sid: readonly [number, number] | null;
  readonly strings: readonly (readonly [number, number])[];
  readonly data: readonly [number, number] | null;
  /** What in the record is out of its bounds (empty: none). */
  readonly damage: readonly string[];
}

/** Reads the fields of a whole record `b` (its bytes from the size to the size copy). */
function readRecord(b: Uint8Array): EvtRecord {
  const size = b.length;
  const damage: string[] = [];
  const stringEnd = (from: number, limit: number): number => utf16End(b, from, limit);
  const sourceEnd = stringEnd(RECORD_MIN, size - 4);
  const computerStart = Math.min(sourceEnd + 2, size - 4);
  const computerEnd = stringEnd(computerStart, size - 4);
  const part = (offset: number, length: number, what: string): readonly [number, number] | null => {
    if (length === 0) return null;
    if (offset < RECORD_MIN || offset + length > size - 4) {
      damage.push(`${what} (${length} bytes at ${offset}) lies outside the record`);
      return null;
    }
    return [offset, offset + length];
  };
  const count = u16(b, 26);
  const strings: [number, number][] = [];
  let at = u32(b, 36);
  if (count > 0 && (at < RECORD_MIN || at >= size - 4))
    damage.push(`${count} insertion strings at ${at} lie outside the record`);
  else
    for (let i = 0; i < count; i++) {
      if (at >= size - 4) {
        damage.push(`only ${i} of ${count} insertion strings are in the record`);
        break;
      }
      const end = stringEnd(at, size - 4);
      strings.push([at, end]);
      at = end + 2;
    }
  return {
    number: u32(b, 8),
    generated: u32(b, 12),
    written: u32(b, 16),
    eventId: u32(b, 20),
    type: u16(b, 24),
    category: u16(b, 28),
    source: [RECORD_MIN, sourceEnd],
    computer: [computerStart, computerEnd],
    sid: part(u32(b, 44), u32(b, 40), 'the user SID'),
    strings,
    data: part(u32(b, 52), u32(b, 48), 'the event data'),
    damage,
  };
}

function sidText(b: Uint8Array, [start, end]: readonly [number, number]): string {
  const count = b[start + 1]!;
  if (end - start < 8 + count * 4) return hexBytes(b, start, end);
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + b[start + i]!;
  let text = `S-${b[start]!}-${authority}`;
  for (let i = 0; i < count; i++) text += `-${u32(b, start + 8 + i * 4)}`;
  return text;
}

function hexBytes(b: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += b[i]!.toString(16).padStart(2, '0');
  return out.toUpperCase();
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Insertion strings as `%1`, `%2`, ... (the message templates' numbering). */
function insertionStrings(b: Uint8Array, r: EvtRecord): [string, string][] {
  return r.strings.map(([s, e], i) => [`%${i + 1}`, utf16Text(b, s, e)]);
}

/**
 * The indexed columns of a record, from its bytes: the one function both ingest and `parse`
 * use. The code is the event id's low 16 bits, as Event Viewer shows it (windows/event.ts).
 */
function recordColumns(b: Uint8Array, r: EvtRecord, recovered: boolean, cols: EventColumns): void {
  cols.reset();
  const time = r.generated !== 0 ? r.generated : r.written;
  if (time !== 0) cols.time = time * 1000;
  else cols.flags |= RecordFlag.BadTimestamp;
  cols.code = r.eventId & 0xffff;
  cols.level = evtTypeName(r.type);
  const [ss, se] = r.source;
  cols.source.length = utf16ToUtf8(b, ss, se, cols.source.reserve((se - ss) * 2));
  cols.source.present = cols.source.length > 0;
  const [cs, ce] = r.computer;
  cols.host.length = utf16ToUtf8(b, cs, ce, cols.host.reserve((ce - cs) * 2));
  cols.host.present = cols.host.length > 0;
  if (
    mayTakeAddressFromStrings(cols.code) &&
    knownEvent(cols.source.text(), cols.code)?.srcIpInStrings === true
  )
    addressFromStrings(cols.srcIp, insertionStrings(b, r));
  if (r.damage.length > 0) cols.flags |= RecordFlag.Damaged;
  if (recovered) cols.flags |= RecordFlag.Recovered;
}

// ---- the ring, in file order -----------------------------------------------------------------

/** What the indexer tells `parse` about the records from here on (kept once per change). */
type EvtContext = 'live' | 'recovered';

class EvtIndexer implements BinaryIndexer {
  /** Unprocessed bytes [bufferStart, bufferStart + length) of the file. */
  private buffer = new Uint8Array(1 << 16);
  private bufferStart = 0;
  private length = 0;
  private readonly headerBytes = new Uint8Array(HEADER_SIZE);
  private header: EvtHeader | null = null;
  private end = 0;
  /** The ring's first bytes (from offset 48), for the tail of the record crossing the ring's end. */
  private ringHead = new Uint8Array(0);
  private ringHeadFill = 0;
  /** File offset where reading continues. */
  private p = HEADER_SIZE;
  /** Looking for the next record (at the start, in free space, after a break), not following the chain. */
  private scanning = true;
  /** The chain broke: the next record found by scanning is flagged recovered. */
  private afterBreak = false;
  /** Offset of zero bytes that ended the chain, until a record turns up after them (-1: none). */
  private zeroGap = -1;
  /** Bytes skipped at offset 48 before the first record (the crossing record's tail). */
  private leadingSkip = -1;
  private eof: { begin: number; end: number; next: number; oldest: number; at: number } | null =
    null;
  private readonly cols = new EventColumns();
  private context: EvtContext | null = null;
  private problems = new Map<string, number>();
  private crossing = false;

  constructor(private readonly file: FileContext) {}

  push(bytes: Uint8Array, fileOffset: number, sink: IndexSink): void {
    if (this.failed) return;
    try {
      if (fileOffset < HEADER_SIZE)
        this.headerBytes.set(bytes.subarray(0, HEADER_SIZE - fileOffset), fileOffset);
      this.append(bytes, fileOffset);
      if (this.header === null && fileOffset + bytes.length >= HEADER_SIZE) this.start(sink);
      if (this.header !== null) this.run(sink, false);
    } catch (error) {
      this.fail(sink, error);
    }
  }

  finish(sink: IndexSink): void {
    if (this.failed) return;
    try {
      if (this.header === null) {
        this.start(sink);
        if (this.length === 0 && this.file.size < HEADER_SIZE) return;
      }
      this.run(sink, true);
      this.report(sink);
    } catch (error) {
      this.fail(sink, error);
    }
  }

  /** A LogSieve bug: say so and stop reading this file, keeping what was read. */
  private fail(sink: IndexSink, error: unknown): void {
    this.failed = true;
    sink.fileError(
      `internal error at offset ${hex(this.p)} (${String(error)}); the rest of the file was not read`,
    );
  }

  private failed = false;

  private start(sink: IndexSink): void {
    const header = readHeader(this.headerBytes);
    this.header = header;
    this.end = ringEnd(header, this.file.size);
    if (this.file.size < HEADER_SIZE)
      sink.fileError(`file header: only ${this.file.size} of its 48 bytes are present`);
    else if (!header.ok)
      sink.fileError('file header: bad signature or size; reading records anyway');
    else if (header.maxSize !== this.file.size)
      sink.fileError(
        `file header: the log is ${header.maxSize} bytes but the file has ${this.file.size}; records that cross the end of the log cannot be completed`,
      );
    this.p = HEADER_SIZE;
  }

  private append(bytes: Uint8Array, fileOffset: number): void {
    // Keep the ring's head for the record that crosses the end.
    {
      const headEnd = HEADER_SIZE + RING_HEAD_KEPT;
      const from = Math.max(fileOffset, HEADER_SIZE);
      const to = Math.min(fileOffset + bytes.length, headEnd);
      if (from < to) {
        if (this.ringHead.length < to - HEADER_SIZE) {
          const grown = new Uint8Array(
            Math.min(RING_HEAD_KEPT, Math.max(to - HEADER_SIZE, this.ringHead.length * 2)),
          );
          grown.set(this.ringHead.subarray(0, this.ringHeadFill));
          this.ringHead = grown;
        }
        this.ringHead.set(bytes.subarray(from - fileOffset, to - fileOffset), from - HEADER_SIZE);
        this.ringHeadFill = Math.max(this.ringHeadFill, to - HEADER_SIZE);
      }
    }
    // Drop what is processed, then append.
    const keepFrom = Math.max(0, Math.min(this.p, fileOffset) - this.bufferStart);
    if (keepFrom > 0) {
      this.buffer.copyWithin(0, keepFrom, this.length);
      this.length -= keepFrom;
      this.bufferStart += keepFrom;
    }
    if (this.length + bytes.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private problem(what: string): void {
    this.problems.set(what, (this.problems.get(what) ?? 0) + 1);
  }

  /** Sets the context `parse` sees for the next records. */
  private mark(sink: IndexSink, context: EvtContext): void {
    if (this.context !== context) sink.context(context);
    this.context = context;
  }

  /** Where the free space of the ring is (after the EOF record, up to the oldest record), if known. */
  private inFreeSpace(at: number): boolean {
    const eof = this.eof;
    if (eof === null) return false;
    const freeEnd = eof.begin > eof.at ? eof.begin : this.end;
    return at >= eof.at + EOF_SIZE && at < freeEnd;
  }

  private run(sink: IndexSink, final: boolean): void {
    const b = this.buffer;
    const available = this.bufferStart + this.length;
    const limit = Math.min(available, this.end);
    for (;;) {
      const p = this.p;
      if (p + 8 > limit) break;
      const i = p - this.bufferStart;
      if (u32(b, i) === EOF_SIZE && p + EOF_SIZE > available && !final) break;
      if (u32(b, i) === EOF_SIZE && isEofRecord(b.subarray(0, this.length), i)) {
        this.eof = {
          begin: u32(b, i + 20),
          end: u32(b, i + 24),
          next: u32(b, i + 28),
          oldest: u32(b, i + 32),
          at: p,
        };
        this.p = p + EOF_SIZE;
        this.scanning = true;
        this.afterBreak = false;
        this.zeroGap = -1;
        continue;
      }
      // Entering the oldest records of a wrapped log: back on the chain.
      if (this.eof !== null && p === this.eof.begin && this.eof.begin > this.eof.at)
        this.scanning = false;
      const size = u32(b, i);
      const looksLikeRecord =
        u32(b, i + 4) === SIGNATURE && size >= RECORD_MIN && size <= RECORD_MAX && size % 4 === 0;
      if (looksLikeRecord && p + size > this.end && this.end === this.header!.maxSize) {
        // The record crossing the end of the ring: its tail is at offset 48.
        if (available < this.end && !final) break;
        this.crossingRecord(sink, p, size);
        this.p = this.end;
        break;
      }
      if (looksLikeRecord && p + size > available) {
        if (!final) break;
        this.problem(`the file ends inside the record at ${hex(p)}`);
        this.p = this.end;
        break;
      }
      const intact = looksLikeRecord && u32(b, i + size - 4) === size;
      if (!intact) {
        if (!this.scanning) {
          this.scanning = true;
          this.afterBreak = true;
          if (u32(b, i) === 0 && u32(b, i + 4) === 0) {
            // Zeros: space never written (a log without its EOF record ends like this). Only a
            // record turning up after them makes them a break.
            this.zeroGap = p;
          } else {
            // A break in the chain: keep what the record's header says if it has one, then scan.
            this.problem(`records broken at ${hex(p)}; the rest was scanned for records`);
            if (looksLikeRecord) this.emit(sink, p, b.subarray(i, i + size), false, true);
          }
        }
        this.p = p + 4;
        if (this.leadingSkip < 0 && p + 4 - HEADER_SIZE >= RING_HEAD_KEPT)
          this.leadingSkip = RING_HEAD_KEPT;
        continue;
      }
      if (this.leadingSkip < 0) this.leadingSkip = p - HEADER_SIZE;
      const free = this.inFreeSpace(p);
      if (free) {
        // A stale record: keep it only if its number is not live, and only if it ends before the
        // oldest live record (which overwrote whatever overlaps it).
        const eof = this.eof!;
        const number = u32(b, i + 8);
        const live = eof.oldest <= number && number < eof.next;
        const overlaps = eof.begin > eof.at && p + size > eof.begin;
        if (overlaps) {
          this.p = p + 4;
          continue;
        }
        if (!live) this.emit(sink, p, b.subarray(i, i + size), true, false);
        this.p = p + size;
        continue;
      }
      if (this.zeroGap >= 0)
        this.problem(
          `records broken by zero bytes at ${hex(this.zeroGap)}; the rest was scanned for records`,
        );
      this.zeroGap = -1;
      this.emit(sink, p, b.subarray(i, i + size), this.afterBreak, false);
      this.scanning = false;
      this.afterBreak = false;
      this.p = p + size;
    }
  }

  private crossingRecord(sink: IndexSink, p: number, size: number): void {
    const i = p - this.bufferStart;
    const headLength = this.end - p;
    const tailLength = size - headLength;
    if (tailLength > this.ringHeadFill) {
      this.problem(
        `the record at ${hex(p)} continues at the start of the log, beyond what the file holds`,
      );
      return;
    }
    const whole = new Uint8Array(size);
    whole.set(this.buffer.subarray(i, i + headLength));
    whole.set(this.ringHead.subarray(0, tailLength), headLength);
    if (u32(whole, size - 4) !== size) {
      this.problem(
        `the record at ${hex(p)} crossing the end of the log does not continue at its start`,
      );
      return;
    }
    if (this.leadingSkip >= 0 && this.leadingSkip !== tailLength)
      this.problem(
        `${this.leadingSkip} bytes at the start of the log are not the rest of the record crossing its end`,
      );
    this.crossing = true;
    this.emit(sink, p, whole, this.afterBreak, false);
  }

  private emit(
    sink: IndexSink,
    offset: number,
    bytes: Uint8Array,
    recovered: boolean,
    broken: boolean,
  ): void {
    this.mark(sink, recovered ? 'recovered' : 'live');
    sink.begin(offset);
    try {
      recordColumns(bytes, readRecord(bytes), recovered, this.cols);
      if (broken) this.cols.flags |= RecordFlag.Damaged;
      this.cols.write(sink);
    } catch {
      // A LogSieve bug must not end the file's loading: the record stays a row, flagged.
      sink.flag(RecordFlag.ParseError);
    }
    sink.end();
  }

  private report(sink: IndexSink): void {
    if (this.header !== null && this.file.size >= HEADER_SIZE && this.eof === null)
      sink.fileError(
        'no end-of-file record found: newest and oldest records could not be told apart',
      );
    if (!this.crossing && this.leadingSkip > 0 && this.eof !== null && this.eof.begin > this.eof.at)
      this.problem(`${this.leadingSkip} bytes at the start of the log are not a record`);
    for (const [what, count] of this.problems)
      sink.fileError(count > 1 ? `${what} (${count} times)` : what);
  }
}

// ---- parse on demand -------------------------------------------------------------------------------

function recordBytes(read: ReadAt, offset: number, file: FileContext): Uint8Array {
  const header = readHeader(read(0, HEADER_SIZE));
  const end = ringEnd(header, file.size);
  const size = u32(read(offset, 4), 0);
  if (size < RECORD_MIN || size > RECORD_MAX) return read(offset, RECORD_MIN);
  if (offset + size <= end) return read(offset, size);
  const head = read(offset, end - offset);
  const tail = read(HEADER_SIZE, size - head.length);
  const whole = new Uint8Array(head.length + tail.length);
  whole.set(head);
  whole.set(tail, head.length);
  return whole;
}

function parseEvt(
  read: ReadAt,
  offset: number,
  context: unknown,
  file: FileContext,
): { record: ParsedRecord; raw: string } {
  const b = recordBytes(read, offset, file);
  const r = readRecord(b);
  const cols = new EventColumns();
  const recovered = context === 'recovered';
  recordColumns(b, r, recovered, cols);
  const intact = b.length >= RECORD_MIN && u32(b, b.length - 4) === b.length;
  if (!intact) cols.flags |= RecordFlag.Damaged;
  const source = cols.source.text();
  const strings = insertionStrings(b, r);
  const fields: Record<string, string> = {};
  addField(fields, 'RecordNumber', String(r.number));
  addField(fields, 'TimeGenerated', isoSeconds(r.generated));
  addField(fields, 'TimeWritten', isoSeconds(r.written));
  addField(fields, 'EventID', String(r.eventId & 0xffff));
  addField(fields, 'Qualifiers', String(r.eventId >>> 16));
  addField(fields, 'EventType', String(r.type));
  addField(fields, 'Category', String(r.category));
  addField(fields, 'Source', source ?? '');
  addField(fields, 'Computer', cols.host.text() ?? '');
  if (r.sid !== null) addField(fields, 'UserID', sidText(b, r.sid));
  for (const [k, v] of strings) addField(fields, k, v);
  if (r.data !== null) addField(fields, 'Data', hexBytes(b, r.data[0], r.data[1]));
  const notes: string[] = [];
  if (recovered)
    notes.push(
      'Recovered by scanning: an older record from the free space of the log, or one after a break; it may be stale.',
    );
  if (!intact)
    notes.push(
      "The record's size does not match the copy at its end; it is shown as far as it could be read.",
    );
  for (const d of r.damage) notes.push(`Damaged: ${d}.`);
  if ((cols.flags & RecordFlag.BadTimestamp) !== 0) notes.push('The record holds no time.');
  else if (r.generated === 0) notes.push('The time generated is zero; the time written is shown.');
  const m = eventMessage(source, cols.code, strings);
  notes.push(...m.notes);
  const lines = [
    `Record number: ${r.number}`,
    `Time generated: ${isoSeconds(r.generated)}`,
    `Time written: ${isoSeconds(r.written)}`,
    `Event type: ${evtTypeName(r.type)} (${r.type})`,
    `Event identifier: ${hex(r.eventId, 8)} (code ${r.eventId & 0xffff}, qualifiers ${r.eventId >>> 16})`,
    `Source: ${source ?? ''}`,
    `Computer: ${cols.host.text() ?? ''}`,
    `Category: ${r.category}`,
    ...(r.sid === null ? [] : [`User SID: ${sidText(b, r.sid)}`]),
    ...strings.map(([k, v]) => `String ${k.slice(1)}: ${v}`),
    ...(r.data === null ? [] : [`Data: ${hexBytes(b, r.data[0], r.data[1])}`]),
  ];
  return {
    record: cols.parsedRecord(m.message, fields, notes),
    raw: lines.join('\n'),
  };
}

export const evt: BinaryFormat = {
  kind: 'binary',
  id: 'evt',
  messageKind: 'text',
  title: 'Windows event log, legacy (.evt)',
  description:
    'Windows NT/2000/XP/2003 event logs (where Citrix Secure Gateway 3.x ran), read natively, wrapped and dirty logs included.',
  filePatterns: ['*.evt'],
  columns: ['time', 'srcIp', 'level', 'code', 'source', 'host', 'message'],
  samples: [
    {
      source: 'plaso SysEvent.Evt, record 1392 (the oldest; LSASRV Kerberos warning)',
      corpusFile: 'evt/plaso_SysEvent.Evt',
      offset: 0x1e0130,
      expect: {
        time: Date.UTC(2011, 6, 27, 6, 41, 47),
        code: '40961',
        source: 'LSASRV',
        level: 'Warning',
        host: 'WKS-WINXP32BIT',
        flags: 0,
        fields: {
          RecordNumber: '1392',
          Qualifiers: '32768',
          Category: '3',
          '%1': 'cifs/CONTROLLER',
        },
      },
    },
    {
      source:
        'plaso SysEvent.Evt, record 1572 (crosses the end of the log, continues at offset 48)',
      corpusFile: 'evt/plaso_SysEvent.Evt',
      offset: 0x1eff10,
      expect: {
        code: '40960',
        source: 'LSASRV',
        flags: 0,
        fields: { RecordNumber: '1572', '%2': 'Kerberos' },
      },
    },
  ],
  detect(sample: DetectSample): number {
    const b = sample.bytes;
    if (b.length >= 8 && u32(b, 0) === HEADER_SIZE && bytesEqual(b, 4, 8, 'LfLe')) return 1;
    return 0;
  },
  createIndexer(file: FileContext): BinaryIndexer {
    return new EvtIndexer(file);
  },
  parse(
    read: ReadAt,
    offset: number,
    context: unknown,
    file: FileContext,
  ): { record: ParsedRecord; raw: string } {
    try {
      return parseEvt(read, offset, context, file);
    } catch (error) {
      // A LogSieve bug must not take the detail pane down: show the record as not understood.
      return internalError(offset, error);
    }
  },
};
