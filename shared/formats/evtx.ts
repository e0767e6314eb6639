/**
 * Windows XML Event Log (`.evtx`, Vista and later), read natively: no Windows API, any OS.
 *
 * Ingest walks every 64 KiB chunk slot after the 4096-byte file header, whatever the header's
 * chunk count says (it lags behind in files copied off a running host), checks both chunk
 * checksums (a mismatch flags the chunk's records, it does not drop them), skips and reports slots
 * without the `ElfChnk` signature, and reads the records of each chunk; a truncated last chunk is
 * read as far as the file goes. Only the indexed columns are read at ingest; the event XML is
 * rendered on demand by `parse`, which re-reads the record's chunk through `read`.
 *
 * Decisions (see windows/event.ts for the columns): records in a chunk's free space are recovered
 * (flagged, deduplicated by record id against what was already read), as libyal advises; the
 * message column is the forwarded event's own rendered text when the file carries one
 * (RenderingInfo), else LogSieve's text for known events, else provider, event id and data.
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
import { RecordFlag, unparsedRecord } from '../record';
import { bytesEqual } from './bytes';
import { hex } from './windows/bytes-le';
import { EventColumns, addField, eventMessage, internalError } from './windows/event';
import type { XmlChild, XmlElement } from './windows/event-xml';
import { attr, child, elements, renderXml, textOf } from './windows/event-xml';
import type { DataField, EvtxFileHeader, EvtxRecordRef } from './windows/evtx-chunk';
import {
  CHUNK_SIZE,
  EvtxChunk,
  FILE_HEADER_SIZE,
  columnsFromEvent,
  decodeRecord,
  fileHeaderProblems,
  parseIsoMs,
  readFileHeader,
  recordFlags,
  usableTime,
} from './windows/evtx-chunk';

/** Sorted, merged ranges of record ids already read (for deduplicating recovered records). */
class IdRanges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  has(id: number): boolean {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (id < this.starts[mid]!) hi = mid - 1;
      else if (id > this.ends[mid]!) lo = mid + 1;
      else return true;
    }
    return false;
  }

  add(first: number, last: number): void {
    if (!(first <= last) || last - first > 1_000_000) return;
    // Find the insertion point, then merge with any overlapping or touching neighbours.
    let i = 0;
    while (i < this.starts.length && this.ends[i]! < first - 1) i++;
    let start = first;
    let end = last;
    let j = i;
    while (j < this.starts.length && this.starts[j]! <= last + 1) {
      start = Math.min(start, this.starts[j]!);
      end = Math.max(end, this.ends[j]!);
      j++;
    }
    this.starts.splice(i, j - i, start);
    this.ends.splice(i, j - i, end);
  }
}

class EvtxIndexer implements BinaryIndexer {
  private readonly headerBytes = new Uint8Array(FILE_HEADER_SIZE);
  private headerFill = 0;
  private header: EvtxFileHeader | null = null;
  private slot = 0;
  private readonly staging = new Uint8Array(CHUNK_SIZE);
  private stagingFill = 0;
  private readonly cols = new EventColumns();
  private readonly known = new IdRanges();
  private readonly isKnown = (id: number): boolean => this.known.has(id);

  push(bytes: Uint8Array, fileOffset: number, sink: IndexSink): void {
    let i = 0;
    while (i < bytes.length) {
      const at = fileOffset + i;
      if (at < FILE_HEADER_SIZE) {
        const n = Math.min(FILE_HEADER_SIZE - at, bytes.length - i);
        this.headerBytes.set(bytes.subarray(i, i + n), at);
        this.headerFill = at + n;
        i += n;
        if (this.headerFill === FILE_HEADER_SIZE) this.readHeader(sink);
        continue;
      }
      const slotEnd = FILE_HEADER_SIZE + (this.slot + 1) * CHUNK_SIZE;
      const want = slotEnd - at;
      if (this.stagingFill === 0 && bytes.length - i >= CHUNK_SIZE && want === CHUNK_SIZE) {
        // A whole chunk inside this push: read it in place, no copy.
        this.chunk(bytes.subarray(i, i + CHUNK_SIZE), sink);
        i += CHUNK_SIZE;
        continue;
      }
      const n = Math.min(want, bytes.length - i);
      this.staging.set(bytes.subarray(i, i + n), this.stagingFill);
      this.stagingFill += n;
      i += n;
      if (this.stagingFill === CHUNK_SIZE) {
        this.chunk(this.staging, sink);
        this.stagingFill = 0;
      }
    }
  }

  finish(sink: IndexSink): void {
    if (this.header === null) this.readHeader(sink);
    if (this.stagingFill > 0) {
      this.chunk(this.staging.subarray(0, this.stagingFill), sink);
      this.stagingFill = 0;
    }
  }

  private readHeader(sink: IndexSink): void {
    this.header = readFileHeader(this.headerBytes.subarray(0, this.headerFill));
    for (const problem of fileHeaderProblems(this.header, this.headerFill)) sink.fileError(problem);
  }

  private chunk(bytes: Uint8Array, sink: IndexSink): void {
    const slot = this.slot++;
    const header = this.header!;
    const fileOffset = FILE_HEADER_SIZE + slot * CHUNK_SIZE;
    const label = `chunk ${slot} at offset ${hex(fileOffset)}`;
    let chunk: EvtxChunk;
    try {
      chunk = new EvtxChunk(bytes, slot, fileOffset, !header.noChecksums, this.isKnown);
    } catch (error) {
      sink.fileError(
        `${label}: internal error while reading it (${String(error)}), 0 records read from it`,
      );
      return;
    }
    if (bytes.length < 512 && !chunk.empty) {
      sink.fileError(
        `${label}: the file ends ${bytes.length} bytes into the chunk, 0 records read from it`,
      );
      return;
    }
    if (!chunk.signatureOk) {
      if (chunk.empty) {
        // Slots past the header's count that were never written are normal preallocated space.
        if (slot < header.chunkCount)
          sink.fileError(
            `${label}: empty (all zero bytes) though the file header counts ${header.chunkCount} chunks, 0 records read from it`,
          );
      } else sink.fileError(`${label}: bad signature, 0 records read from it`);
      return;
    }
    for (const problem of chunk.problems) sink.fileError(problem);
    const cols = this.cols;
    for (const ref of chunk.records) {
      sink.begin(fileOffset + ref.offset);
      try {
        chunk.index(ref, cols);
        cols.write(sink);
      } catch {
        // A LogSieve bug must not end the file's loading: the record stays a row, flagged.
        sink.flag(RecordFlag.ParseError);
      }
      sink.end();
      if (ref.recovered) this.known.add(ref.id, ref.id);
    }
    this.known.add(chunk.firstId, chunk.lastId);
  }
}

// ---- parse on demand ---------------------------------------------------------------------------

/**
 * Recently decoded chunks per file, so a page of rows decodes each chunk once. Keyed by the file's
 * context (the worker makes a new `read` per request); a cached chunk is used only while the
 * file's header and the chunk's 512-byte header (which holds the data checksum) read the same.
 */
const chunkCache = new WeakMap<
  FileContext,
  { headerBytes: Uint8Array; header: EvtxFileHeader; chunks: Map<number, EvtxChunk> }
>();
const CACHED_CHUNKS = 4;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function chunkFor(read: ReadAt, file: FileContext, chunkStart: number, slot: number): EvtxChunk {
  const headerBytes = read(0, 128).slice();
  let entry = chunkCache.get(file);
  if (entry === undefined || !sameBytes(entry.headerBytes, headerBytes)) {
    entry = { headerBytes, header: readFileHeader(headerBytes), chunks: new Map() };
    chunkCache.set(file, entry);
  }
  let chunk = entry.chunks.get(chunkStart);
  if (chunk !== undefined && !sameBytes(chunk.bytes.subarray(0, 512), read(chunkStart, 512)))
    chunk = undefined;
  entry.chunks.delete(chunkStart);
  if (chunk === undefined) {
    chunk = new EvtxChunk(
      read(chunkStart, CHUNK_SIZE).slice(),
      slot,
      chunkStart,
      !entry.header.noChecksums,
    );
    if (entry.chunks.size >= CACHED_CHUNKS) entry.chunks.delete(entry.chunks.keys().next().value!);
  }
  entry.chunks.set(chunkStart, chunk);
  return chunk;
}

/** Names of System values as fields: Windows' EVT_SYSTEM_PROPERTY_ID names where they differ. */
const SYSTEM_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  'Provider.Name': 'Provider',
  'Provider.Guid': 'ProviderGuid',
  'EventID.Qualifiers': 'Qualifiers',
  'TimeCreated.SystemTime': 'TimeCreated',
  'Security.UserID': 'UserID',
};

/**
 * System values as fields, in document order. Event data keeps its own names: a System value whose
 * name an event data field also uses (Execution's ProcessID and a 5157 event's ProcessID) is
 * named `System.ProcessID`.
 */
function systemFields(
  system: XmlElement | undefined,
  fields: Record<string, string>,
  dataNames: ReadonlySet<string>,
): void {
  if (system === undefined) return;
  const add = (name: string, value: string) =>
    addField(fields, dataNames.has(name) ? `System.${name}` : name, value);
  for (const e of elements(system.children)) {
    // `<Correlation/>` and `<Security/>` with every attribute NULL say nothing: no field.
    if (e.children.length > 0) add(e.name, textOf(e.children));
    for (const [name, value] of e.attrs)
      add(SYSTEM_ATTRIBUTE_NAMES[`${e.name}.${name}`] ?? name, value);
  }
}

function hexDump(bytes: Uint8Array, base: number, limit: number): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, limit);
  for (let i = 0; i < end; i += 16) {
    const row = bytes.subarray(i, Math.min(i + 16, end));
    const hexPart = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = Array.from(row, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join(
      '',
    );
    lines.push(`${(base + i).toString(16).padStart(8, '0')}  ${hexPart.padEnd(47)}  ${text}`);
  }
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes`);
  return lines.join('\n');
}

function recordNotes(
  ref: EvtxRecordRef,
  chunk: EvtxChunk,
  cols: EventColumns,
  timeFromHeader: boolean,
): string[] {
  const notes: string[] = [];
  if (ref.recovered)
    notes.push(
      ref.offset >= chunk.freeSpace
        ? `Recovered from the free space of chunk ${chunk.slot}: an older record the chunk no longer lists; it may be stale.`
        : `Recovered after a break in the record chain of chunk ${chunk.slot}.`,
    );
  if (ref.checksumMismatch)
    notes.push(`The checksum of chunk ${chunk.slot} does not match; the record is shown as read.`);
  if (ref.damaged)
    notes.push(
      `The record's framing is broken (its size does not match the copy at its end); it is shown as far as it could be read.`,
    );
  if ((cols.flags & RecordFlag.BadTimestamp) !== 0)
    notes.push('Neither TimeCreated nor the record header holds a usable time.');
  else if (timeFromHeader)
    notes.push("TimeCreated is missing or zero; the time is the record header's written time.");
  return notes;
}

function parseEvtx(
  read: ReadAt,
  offset: number,
  file: FileContext,
): { record: ParsedRecord; raw: string } {
  const slot = Math.floor((offset - FILE_HEADER_SIZE) / CHUNK_SIZE);
  const chunkStart = FILE_HEADER_SIZE + slot * CHUNK_SIZE;
  const chunk = chunkFor(read, file, chunkStart, slot);
  const ref = chunk.recordAt(offset - chunkStart);
  if (ref === undefined) {
    const message = `No EVTX record at offset ${hex(offset)}`;
    return {
      record: unparsedRecord(message, RecordFlag.ParseError, [
        'The file changed since it was indexed, or the offset is not a record.',
      ]),
      raw: message,
    };
  }
  const cols = new EventColumns();
  const decoded = decodeRecord(chunk, ref);
  const error = decoded.error;
  const tree: XmlChild[] | null = error === null ? decoded.children : null;
  const root = tree === null ? undefined : elements(tree)[0];
  cols.flags |= decoded.flags;
  const data: DataField[] = columnsFromEvent(root, ref, cols);
  cols.flags |= recordFlags(ref);

  const fields: Record<string, string> = {};
  const system = root && child(root, 'System');
  systemFields(system, fields, new Set(data.map(([k]) => k)));
  const pairs = data.map(([k, v]) => [addField(fields, k, v), v] as const);
  const eventRecordId = fields.EventRecordID;
  const notes: string[] = [];
  if (eventRecordId === undefined || eventRecordId !== String(ref.id)) {
    addField(fields, 'RecordHeaderID', String(ref.id));
    if (eventRecordId !== undefined)
      notes.push(
        `The record header's id ${ref.id} differs from EventRecordID ${eventRecordId} (files saved from a filtered view are renumbered).`,
      );
  }
  const created = attr(system && child(system, 'TimeCreated'), 'SystemTime');
  const timeFromHeader =
    !Number.isNaN(cols.time) &&
    Number.isNaN(created === undefined ? NaN : usableTime(parseIsoMs(created)));
  notes.push(...recordNotes(ref, chunk, cols, timeFromHeader));

  const source = cols.source.text();
  let message: string;
  const rendered = fields['RenderingInfo/Message'];
  if (tree === null) {
    message = `Record ${ref.id} could not be decoded: ${error ?? 'unknown error'}`;
    notes.push('The Binary XML of this record is broken; only its record header could be read.');
  } else if (rendered !== undefined && rendered !== '') {
    message = rendered;
    notes.push('Message text as rendered by the host that forwarded the event (RenderingInfo).');
  } else {
    const m = eventMessage(source, cols.code, pairs);
    message = m.message;
    notes.push(...m.notes);
  }
  const raw =
    tree === null
      ? `Record ${ref.id} at offset ${hex(offset)} (${ref.size} bytes) could not be decoded: ${error ?? ''}\n\n${hexDump(read(offset, ref.size), offset, 4096)}`
      : renderXml(tree);
  return {
    record: cols.parsedRecord(message, fields, notes),
    raw,
  };
}

export const evtx: BinaryFormat = {
  kind: 'binary',
  id: 'evtx',
  messageKind: 'text',
  title: 'Windows event log (.evtx)',
  description:
    'Windows Vista and later event logs, read natively; damaged, dirty and truncated files are read as far as they go.',
  filePatterns: ['*.evtx'],
  columns: ['time', 'srcIp', 'level', 'code', 'source', 'host', 'message'],
  samples: [
    {
      source:
        'omerbenamram Security_short_selected, EventRecordID 319457771 (WFP 5152, inbound RDP dropped)',
      corpusFile: 'evtx/omerbenamram_Security_short_selected.evtx',
      offset: 0x1200,
      expect: {
        time: Date.UTC(2016, 5, 29, 15, 24, 34, 346),
        code: '5152',
        source: 'Microsoft-Windows-Security-Auditing',
        level: 'Audit Failure',
        host: 'temporal',
        srcIp: '23.94.153.202',
        flags: 0,
        fields: { EventRecordID: '319457771', Channel: 'Security', DestPort: '3389' },
      },
    },
    {
      source: 'omerbenamram Application_no_crc32, EventRecordID 441 (classic source, format 3.2)',
      corpusFile: 'evtx/omerbenamram_Application_no_crc32.evtx',
      offset: 0x6270,
      expect: {
        code: '1003',
        source: 'Windows Search Service',
        level: 'Information',
        fields: { Provider: 'Microsoft-Windows-Search', Qualifiers: '16384', EventRecordID: '441' },
      },
    },
    {
      source: 'omerbenamram CAPI2_Operational, EventRecordID 28 (entity references in attributes)',
      corpusFile: 'evtx/omerbenamram_CAPI2_Operational.evtx',
      offset: 0xe420,
      expect: {
        code: '53',
        source: 'Microsoft-Windows-CAPI2',
        level: 'Information',
        fields: { EventRecordID: '28', Timeout: 'PT9.984S' },
      },
    },
  ],
  detect(sample: DetectSample): number {
    const b = sample.bytes;
    if (bytesEqual(b, 0, 8, 'ElfFile\0')) return 1;
    // A file whose header was overwritten but whose first chunk is intact.
    if (bytesEqual(b, FILE_HEADER_SIZE, FILE_HEADER_SIZE + 8, 'ElfChnk\0')) return 0.9;
    return 0;
  },
  createIndexer(): BinaryIndexer {
    return new EvtxIndexer();
  },
  parse(
    read: ReadAt,
    offset: number,
    _context: unknown,
    file: FileContext,
  ): { record: ParsedRecord; raw: string } {
    try {
      return parseEvtx(read, offset, file);
    } catch (error) {
      // A LogSieve bug must not take the detail pane down: show the record as not understood.
      return internalError(offset, error);
    }
  },
};
