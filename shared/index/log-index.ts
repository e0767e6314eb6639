/**
 * The columnar index of one file: per record only its place in the file, its time, a few
 * dictionary ids and flag bits. Everything else is read back from the file on demand. Columns
 * are typed arrays grown by doubling and trimmed when loading ends; id columns start one byte wide
 * and widen only when a column's dictionary outgrows them, and columns a format never fills are
 * never allocated. See ARCHITECTURE.md for the memory budget (at most 40 bytes per record).
 */
import type { IndexSink } from '../formats/types';
import type { DictColumn } from '../record';
import { DICT_COLUMNS, PROBLEM_FLAGS } from '../record';
import type { RecordTagger } from '../tags/tagger';
import { Dictionary } from './dictionary';
import { lastAtOrBefore } from './order';

type IdArray = Uint8Array | Uint16Array | Uint32Array;

const TWO_32 = 2 ** 32;
const INITIAL_CAPACITY = 1024;
/**
 * Line numbers are kept as the places where `line - record` changes. Past this many changes,
 * and more than one every eight records (multi-line records, blank lines everywhere), a dense
 * column of 4 bytes a record is smaller and answers without a search.
 */
const SPARSE_LINE_CHANGES = 1024;

/**
 * Where the columns' memory comes from: a buffer of at least `bytes` (a column uses only its
 * first `bytes`, so a host may hand out more). The worker hands out shared memory for big columns
 * so that another thread can fault its pages in ahead of the writes: on the machines we measure,
 * a first write to a fresh page costs ~15 µs, which is more than indexing the records on it.
 */
export type ColumnMemory = (bytes: number) => ArrayBuffer | SharedArrayBuffer;

const privateMemory: ColumnMemory = (bytes) => new ArrayBuffer(bytes);

/** The ids of one column, record by record (0: no value). */
export interface IdReader {
  idAt(record: number): number;
}

/** One id column: its dictionary and, once a value arrives, the ids of every record. */
class IdColumn implements IdReader {
  readonly dictionary = new Dictionary();
  ids: IdArray | null = null;
  /** The largest id the id array holds (it widens past that). */
  private widest = 0;

  constructor(private readonly memory: ColumnMemory) {}

  ensure(capacity: number): IdArray {
    if (this.ids === null) {
      this.ids = new Uint8Array(this.memory(capacity), 0, capacity);
      this.widest = 0xff;
    }
    return this.ids;
  }

  idAt(record: number): number {
    const ids = this.ids;
    return ids === null ? 0 : ids[record]!;
  }

  set(record: number, capacity: number, id: number): void {
    let ids = this.ensure(capacity);
    if (id > this.widest) ids = this.widen(id > 0xffff ? 4 : 2);
    ids[record] = id;
  }

  resize(capacity: number): void {
    if (this.ids === null) return;
    this.ids = filled(this.idArray(this.ids.BYTES_PER_ELEMENT, capacity), this.ids);
  }

  private widen(bytesPerId: number): IdArray {
    this.ids = filled(this.idArray(bytesPerId, this.ids!.length), this.ids!);
    this.widest = bytesPerId === 2 ? 0xffff : 0xffffffff;
    return this.ids;
  }

  private idArray(bytesPerId: number, length: number): IdArray {
    const buffer = this.memory(length * bytesPerId);
    return bytesPerId === 1
      ? new Uint8Array(buffer, 0, length)
      : bytesPerId === 2
        ? new Uint16Array(buffer, 0, length)
        : new Uint32Array(buffer, 0, length);
  }

  memoryBytes(): number {
    return (this.ids?.byteLength ?? 0) + this.dictionary.memoryBytes();
  }
}

export interface IndexStats {
  readonly records: number;
  readonly parsed: number;
  readonly flagged: number;
  readonly firstTime: number | null;
  readonly lastTime: number | null;
  /** Bytes held by the index (columns, dictionaries, contexts). */
  readonly memoryBytes: number;
  /** Records per tag bit (index = bit of the tag catalogue). */
  readonly tagCounts: readonly number[];
}

export class LogIndex implements IndexSink {
  /** Number of complete records. */
  count = 0;
  /** Offset just past the last byte that belongs to a record (text formats: the record end of the last record). */
  endOffset = 0;
  readonly errors: string[] = [];

  private capacity = INITIAL_CAPACITY;
  private reservedFor = 0;
  private offsetLow: Uint32Array;
  /** Record indexes at which offsets pass each multiple of 2^32, in order (files over 4 GiB). */
  private readonly offsetWraps: number[] = [];
  /** Line numbers, as `record + 1 + shift`: the records where the shift changes, and to what. */
  private lineShiftFrom: number[] = [];
  private lineShifts: number[] = [];
  private lineShift = 0;
  /** Records came with line numbers (text formats). */
  private lined = false;
  /** The dense form, once the sparse one stops paying (see SPARSE_LINE_CHANGES). */
  private lines: Uint32Array | null = null;
  private times: Float64Array;
  private flags: Uint16Array | null = null;
  /** Tag bits per record (bit i = tag i of the catalogue); allocated when a record first has one. */
  private tags: Uint32Array | null = null;
  private readonly tagCounts: number[] = [];
  /** Decides each record's tags as it ends; none when the index is built without a catalogue. */
  tagger: RecordTagger | null = null;
  private readonly columns: Record<DictColumn, IdColumn>;
  /** Per host id, the certificate host id of the same value (0: not looked up yet). */
  private certHostOfHost = new Int32Array(0);
  private readonly contextStarts: number[] = [];
  private readonly contextValues: unknown[] = [];
  private lastOffset = -1;
  /** The next multiple of 2^32 an offset may reach (files over 4 GiB). */
  private nextWrap = TWO_32;
  private flaggedCount = 0;
  private minTime = Infinity;
  private maxTime = -Infinity;

  constructor(private readonly memory: ColumnMemory = privateMemory) {
    this.offsetLow = new Uint32Array(memory(INITIAL_CAPACITY * 4), 0, INITIAL_CAPACITY);
    this.times = new Float64Array(memory(INITIAL_CAPACITY * 8), 0, INITIAL_CAPACITY);
    this.columns = {
      srcIp: new IdColumn(memory),
      level: new IdColumn(memory),
      code: new IdColumn(memory),
      source: new IdColumn(memory),
      host: new IdColumn(memory),
      certHost: new IdColumn(memory),
    };
  }

  // ---- writing (IndexSink) -------------------------------------------------------------------

  /** Text formats: the pipeline starts a record at a file offset and 1-based line number. */
  beginLine(offset: number, line: number): void {
    this.begin(offset);
    const record = this.count;
    if (this.lines !== null) {
      this.lines[record] = line;
      return;
    }
    this.lined = true;
    // Single-line formats: one comparison a record, nothing stored.
    if (line === record + 1 + this.lineShift) return;
    this.lineShift = line - record - 1;
    this.lineShiftFrom.push(record);
    this.lineShifts.push(this.lineShift);
    const changes = this.lineShiftFrom.length;
    if (changes > SPARSE_LINE_CHANGES && changes * 8 > record) this.denseLines(record, line);
  }

  begin(offset: number): void {
    if (this.count === this.capacity) this.grow();
    const record = this.count;
    if (offset < this.lastOffset)
      throw new Error(`record offsets must increase: ${offset} after ${this.lastOffset}`);
    while (offset >= this.nextWrap) {
      this.offsetWraps.push(record);
      this.nextWrap += TWO_32;
    }
    this.lastOffset = offset;
    // ToUint32 is the offset modulo 2^32 (offsets are integers below 2^53); `%` on a double is
    // a floating-point remainder call on every record.
    this.offsetLow[record] = offset >>> 0;
    this.times[record] = NaN;
  }

  end(): void {
    const record = this.count;
    if (this.tagger !== null) {
      const mask = this.tagger.finish(this, record);
      if (mask !== 0) {
        if (this.tags === null)
          this.tags = new Uint32Array(this.memory(this.capacity * 4), 0, this.capacity);
        this.tags[record] = mask;
        for (let bit = 0, m = mask; m !== 0; bit++, m >>>= 1)
          if ((m & 1) !== 0) this.tagCounts[bit] = (this.tagCounts[bit] ?? 0) + 1;
      }
    }
    const time = this.times[record]!;
    if (time < this.minTime) this.minTime = time;
    if (time > this.maxTime) this.maxTime = time;
    if (this.flags !== null && (this.flags[record]! & PROBLEM_FLAGS) !== 0) this.flaggedCount++;
    this.count = record + 1;
  }

  time(ms: number): void {
    this.times[this.count] = ms;
  }

  srcIp(buf: Uint8Array, start: number, end: number): void {
    this.setBytes(this.columns.srcIp, buf, start, end);
  }
  srcIpText(value: string): void {
    this.setText(this.columns.srcIp, value);
  }
  srcIpv4(value: number): void {
    const column = this.columns.srcIp;
    column.set(this.count, this.capacity, column.dictionary.internIpv4(value));
  }
  level(buf: Uint8Array, start: number, end: number): void {
    this.setBytes(this.columns.level, buf, start, end);
  }
  levelText(value: string): void {
    this.setText(this.columns.level, value);
  }
  code(buf: Uint8Array, start: number, end: number): void {
    this.setBytes(this.columns.code, buf, start, end);
  }
  codeText(value: string): void {
    this.setText(this.columns.code, value);
  }
  codeNumber(value: number): void {
    const column = this.columns.code;
    column.set(this.count, this.capacity, column.dictionary.internNumber(value));
  }
  source(buf: Uint8Array, start: number, end: number): void {
    this.setBytes(this.columns.source, buf, start, end);
  }
  sourceText(value: string): void {
    this.setText(this.columns.source, value);
  }
  host(buf: Uint8Array, start: number, end: number): void {
    this.setBytes(this.columns.host, buf, start, end);
  }
  hostText(value: string): void {
    this.setText(this.columns.host, value);
  }
  certHost(buf: Uint8Array, start: number, end: number): void {
    this.setBytes(this.columns.certHost, buf, start, end);
  }
  certHostText(value: string): void {
    this.setText(this.columns.certHost, value);
  }
  certHostFromHost(): void {
    const hostId = this.columns.host.idAt(this.count);
    if (hostId === 0) return;
    if (hostId >= this.certHostOfHost.length) {
      const grown = new Int32Array(Math.max(hostId + 1, this.certHostOfHost.length * 2, 256));
      grown.set(this.certHostOfHost);
      this.certHostOfHost = grown;
    }
    let id = this.certHostOfHost[hostId]!;
    if (id === 0) {
      const certHost = this.columns.certHost;
      id = certHost.dictionary.internValueOf(this.columns.host.dictionary, hostId);
      this.certHostOfHost[hostId] = id;
    }
    this.columns.certHost.set(this.count, this.capacity, id);
  }

  flag(bits: number): void {
    if (bits === 0) return;
    if (this.flags === null)
      this.flags = new Uint16Array(this.memory(this.capacity * 2), 0, this.capacity);
    this.flags[this.count]! |= bits;
  }

  field(name: string, buf: Uint8Array, start: number, end: number): void {
    this.tagger?.field(name, buf, start, end);
  }

  fieldByNumber(n: number, buf: Uint8Array, start: number, end: number): void {
    this.tagger?.fieldByNumber(n, buf, start, end);
  }

  context(value: unknown): void {
    const last = this.contextValues.length - 1;
    if (last >= 0 && this.contextValues[last] === value) return;
    if (last >= 0 && this.contextStarts[last] === this.count) {
      this.contextValues[last] = value;
      return;
    }
    this.contextStarts.push(this.count);
    this.contextValues.push(value);
  }

  fileError(message: string): void {
    this.errors.push(message);
  }

  /**
   * Room for `records` records in all, so a file whose size predicts its record count grows its
   * columns once instead of a dozen times (copying and zeroing each time).
   */
  reserve(records: number): void {
    this.reservedFor = Math.ceil(records);
    if (this.reservedFor > this.capacity) this.resize(this.reservedFor);
  }

  /**
   * Loading is over: give back spare capacity when there is much of it. Copying every column
   * costs a pass over all of the index's memory, so a little slack is kept rather than copied.
   */
  compact(): void {
    if (this.capacity <= Math.max(INITIAL_CAPACITY, this.count * 1.1)) return;
    this.resize(Math.max(this.count, 1));
  }

  // ---- reading ---------------------------------------------------------------------------------

  offsetOf(record: number): number {
    const wraps = this.offsetWraps;
    let high = 0;
    while (high < wraps.length && wraps[high]! <= record) high++;
    return high * TWO_32 + this.offsetLow[record]!;
  }

  /** 1-based line of the record's first line (text formats), or the record's ordinal (binary formats). */
  lineOf(record: number): number {
    if (this.lines !== null) return this.lines[record]!;
    return record + 1 + this.shiftAt(record);
  }

  hasLines(): boolean {
    return this.lined;
  }

  timeOf(record: number): number | null {
    const t = this.times[record]!;
    return Number.isNaN(t) ? null : t;
  }

  flagsOf(record: number): number {
    return this.flags === null ? 0 : this.flags[record]!;
  }

  /** Tag bits of a record (see the catalogue the index was built with). */
  tagsOf(record: number): number {
    return this.tags === null ? 0 : this.tags[record]!;
  }

  /** The raw tag column (length >= count), or null when no record has a tag. */
  tagColumn(): Uint32Array | null {
    return this.tags;
  }

  idOf(column: DictColumn, record: number): number {
    const ids = this.columns[column].ids;
    return ids === null ? 0 : ids[record]!;
  }

  /** Reads one column's ids, record by record, without naming the column each time. */
  idReader(column: DictColumn): IdReader {
    return this.columns[column];
  }

  valueOf(column: DictColumn, record: number): string | null {
    const c = this.columns[column];
    return c.ids === null ? null : c.dictionary.value(c.ids[record]!);
  }

  dictionary(column: DictColumn): Dictionary {
    return this.columns[column].dictionary;
  }

  /** The raw id column (length >= count), or null when no record has a value in it. */
  idColumn(column: DictColumn): IdArray | null {
    return this.columns[column].ids;
  }

  /** The raw time column (length >= count); NaN where a record has no time. */
  timeColumn(): Float64Array {
    return this.times;
  }

  /**
   * The record whose lines hold `line`: the last record starting at or before it (a line inside
   * a multi-line record gives that record), or -1 before the first.
   */
  recordAtLine(line: number): number {
    return lastAtOrBefore(0, this.count, line, (r) => this.lineOf(r));
  }

  flagColumn(): Uint16Array | null {
    return this.flags;
  }

  contextOf(record: number): unknown {
    const starts = this.contextStarts;
    const found = lastAtOrBefore(0, starts.length, record, (i) => starts[i]!);
    return found < 0 ? undefined : this.contextValues[found];
  }

  /** Which common columns have at least one value (the grid hides the rest). */
  filledColumns(): DictColumn[] {
    return DICT_COLUMNS.filter((c) => this.columns[c].ids !== null);
  }

  stats(): IndexStats {
    return {
      records: this.count,
      parsed: this.count - this.flaggedCount,
      flagged: this.flaggedCount,
      firstTime: Number.isFinite(this.minTime) ? this.minTime : null,
      lastTime: Number.isFinite(this.maxTime) ? this.maxTime : null,
      memoryBytes: this.memoryBytes(),
      tagCounts: Array.from({ length: this.tagCounts.length }, (_, i) => this.tagCounts[i] ?? 0),
    };
  }

  memoryBytes(): number {
    let bytes =
      this.offsetLow.byteLength +
      this.times.byteLength +
      (this.lines?.byteLength ?? 0) +
      this.lineShiftFrom.length * 16 +
      (this.flags?.byteLength ?? 0) +
      (this.tags?.byteLength ?? 0) +
      this.offsetWraps.length * 8 +
      this.contextStarts.length * 16;
    for (const c of DICT_COLUMNS) bytes += this.columns[c].memoryBytes();
    return bytes;
  }

  // ---- internals -------------------------------------------------------------------------------

  // The column comes as the object, named at each call site: looking it up by a name passed in
  // was a keyed load on every value (ELFF fills five columns a record).
  private setBytes(c: IdColumn, buf: Uint8Array, start: number, end: number): void {
    const id = c.dictionary.internBytes(buf, start, end);
    if (id !== 0) c.set(this.count, this.capacity, id);
  }

  private setText(c: IdColumn, value: string): void {
    const id = c.dictionary.internText(value);
    if (id !== 0) c.set(this.count, this.capacity, id);
  }

  /** The shift of `record`'s line number: the last change at or before it. */
  private shiftAt(record: number): number {
    const from = this.lineShiftFrom;
    const change = lastAtOrBefore(0, from.length, record, (i) => from[i]!);
    return change < 0 ? 0 : this.lineShifts[change]!;
  }

  /** Switch to the dense column, with `record`'s line already known. */
  private denseLines(record: number, line: number): void {
    const lines = new Uint32Array(this.memory(this.capacity * 4), 0, this.capacity);
    let change = 0;
    let shift = 0;
    for (let r = 0; r < record; r++) {
      while (change < this.lineShiftFrom.length && this.lineShiftFrom[change]! <= r)
        shift = this.lineShifts[change++]!;
      lines[r] = r + 1 + shift;
    }
    lines[record] = line;
    this.lines = lines;
    this.lineShiftFrom = [];
    this.lineShifts = [];
  }

  private grow(): void {
    // Past a reservation the estimate was a little short: grow gently, not by doubling.
    this.resize(this.reservedFor > 0 ? Math.ceil(this.capacity * 1.25) : this.capacity * 2);
  }

  private resize(capacity: number): void {
    const memory = this.memory;
    this.offsetLow = filled(new Uint32Array(memory(capacity * 4), 0, capacity), this.offsetLow);
    this.times = filled(new Float64Array(memory(capacity * 8), 0, capacity), this.times);
    if (this.lines !== null)
      this.lines = filled(new Uint32Array(memory(capacity * 4), 0, capacity), this.lines);
    if (this.flags !== null)
      this.flags = filled(new Uint16Array(memory(capacity * 2), 0, capacity), this.flags);
    if (this.tags !== null)
      this.tags = filled(new Uint32Array(memory(capacity * 4), 0, capacity), this.tags);
    for (const c of DICT_COLUMNS) this.columns[c].resize(capacity);
    this.capacity = capacity;
  }
}

type Column = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** `next` (a new, longer or shorter column) holding `from`'s values as far as they fit. */
function filled<T extends Column>(next: T, from: Column): T {
  next.set(from.subarray(0, Math.min(next.length, from.length)));
  return next;
}
