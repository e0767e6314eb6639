/**
 * EVTX file header and chunks: which records a chunk holds, whether its checksums match, and each
 * record's columns (fast path) or full event (slow path).
 *
 * Layout (libyal's EVTX document, checked against the corpus): a 4096-byte file header, then
 * 65536-byte chunks, each a 512-byte header (with CRC32 of bytes 0-119 and 128-511, and CRC32 of
 * the record data 512..free-space offset) followed by records: `**\0\0`, u32 size, u64 record id,
 * FILETIME written, Binary XML, u32 copy of the size.
 *
 * Records: the chain from offset 512 up to the free-space offset is the chunk's live data. When the
 * chain breaks before that (a size that does not match its copy, a bad signature), the rest of the
 * chunk is scanned for records, as libyal advises; those are flagged `recovered`. The free space
 * after the declared end often holds older records from the chunk's previous use: they are
 * recovered too when their Binary XML decodes in strict mode (their template references may point
 * at data the chunk has since overwritten) and their record id is not known already. Records in a
 * truncated last chunk are read as far as the file goes.
 *
 * The fast path reads the indexed columns straight from a template instance's values, using a plan
 * made once per template (where Provider, EventID, Level, Keywords, TimeCreated, Computer and the
 * client-address fields sit). Anything it does not handle exactly the way the full path would, it
 * hands to the full path: the index and the detail pane always agree.
 */
import type { Node, TemplateDef } from './binxml';
import {
  BinXmlError,
  ChunkTables,
  MAX_NESTING,
  StreamParser,
  ValueTable,
  ValueType,
  readInstance,
} from './binxml';
import { bytesEqual } from '../bytes';
import { allZero, filetimeToMs, hex, u16, u32, u64, utf16ToUtf8 } from './bytes-le';
import { crc32 } from './crc32';
import type { EventColumns } from './event';
import {
  addressFromStrings,
  evtxLevelName,
  isClientAddressField,
  mayTakeAddressFromStrings,
  parseNumber,
  setAddressFromBytes,
  setAddressFromText,
} from './event';
import type { XmlChild, XmlElement } from './event-xml';
import { MAX_OUTPUT_NODES, Materializer, attr, child, elements, textOf } from './event-xml';
import { knownEvent } from './messages';
import { civilToUtcMs } from '../../time/civil';
import { RecordFlag } from '../../record';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
const CHUNK_HEADER_SIZE = 512;
const RECORD_HEADER_SIZE = 24;
/** Smallest record: header, a fragment header and EOF, and the size copy. */
const MIN_RECORD_SIZE = 32;

// ---- file header -------------------------------------------------------------------------------

export interface EvtxFileHeader {
  readonly signatureOk: boolean;
  readonly major: number;
  readonly minor: number;
  /** Chunks the header counts (it lags behind the file when the log was not closed cleanly). */
  readonly chunkCount: number;
  readonly flags: number;
  readonly checksumOk: boolean;
  /**
   * Flag 0x4: the writer does not maintain checksums (format 3.2 files, per omerbenamram/evtx; the
   * corpus's Application_no_crc32.evtx has it and no matching CRC anywhere). Checksums are then
   * not checked.
   */
  readonly noChecksums: boolean;
}

export function readFileHeader(b: Uint8Array): EvtxFileHeader {
  const complete = b.length >= 128;
  const flags = complete ? u32(b, 120) : 0;
  return {
    signatureOk: bytesEqual(b, 0, 8, 'ElfFile\0'),
    major: complete ? u16(b, 38) : 0,
    minor: complete ? u16(b, 36) : 0,
    chunkCount: complete ? u16(b, 42) : 0,
    flags,
    checksumOk: complete && crc32(b, 0, 120) === u32(b, 124),
    noChecksums: bytesEqual(b, 0, 8, 'ElfFile\0') && (flags & 0x4) !== 0,
  };
}

/** Sentences for the file-level problems of a header. */
export function fileHeaderProblems(h: EvtxFileHeader, available: number): string[] {
  if (available < 128) return [`file header: only ${available} of its 128 bytes are present`];
  const problems: string[] = [];
  if (!h.signatureOk)
    problems.push('file header: bad signature (not "ElfFile"); reading chunks anyway');
  else {
    if (h.major !== 3) problems.push(`file header: unknown format version ${h.major}.${h.minor}`);
    if (!h.noChecksums && !h.checksumOk) problems.push('file header: checksum does not match');
  }
  return problems;
}

// ---- records of a chunk ------------------------------------------------------------------------

export interface EvtxRecordRef {
  /** Offset in the chunk. */
  readonly offset: number;
  readonly size: number;
  /** Record identifier from the record header (libyal's identifier; XML has EventRecordID). */
  readonly id: number;
  /** Written time from the record header, UTC ms (NaN when zero). */
  readonly writtenMs: number;
  /** Not on the chunk's record chain: found by scanning after a break or in free space. */
  readonly recovered: boolean;
  /** A checksum covering this record does not match. */
  readonly checksumMismatch: boolean;
  /**
   * The record's own framing is broken (its size copy does not match, or its size is impossible):
   * it is read as far as it goes and flagged, and the chunk is scanned for records after it.
   */
  readonly damaged: boolean;
}

function chunkLabel(slot: number, fileOffset: number): string {
  return `chunk ${slot} at offset ${hex(fileOffset)}`;
}

/**
 * One chunk slot of the file. `bytes` is the slot's bytes (shorter than 65536 when the file ends
 * inside it). `isKnownId` answers whether a record id was already read elsewhere (the indexer's
 * dedupe of records recovered from free space; absent when re-reading one chunk for display).
 */
export class EvtxChunk {
  readonly tables: ChunkTables;
  readonly signatureOk: boolean;
  /** Every byte is zero: a slot the writer never used (or that was wiped). */
  readonly empty: boolean;
  readonly headerChecksumOk: boolean;
  readonly dataChecksumOk: boolean;
  readonly freeSpace: number;
  readonly firstId: number;
  readonly lastId: number;
  readonly records: EvtxRecordRef[] = [];
  /** Sentences for the file's error list (a broken chain, a bad checksum, a cut end). */
  readonly problems: string[] = [];
  private readonly cols: FastIndex;

  constructor(
    readonly bytes: Uint8Array,
    readonly slot: number,
    readonly fileOffset: number,
    checkChecksums: boolean,
    isKnownId?: (id: number) => boolean,
  ) {
    this.tables = new ChunkTables(bytes);
    this.cols = new FastIndex(this);
    const b = bytes;
    const label = chunkLabel(slot, fileOffset);
    this.signatureOk = bytesEqual(b, 0, 8, 'ElfChnk\0');
    this.empty = !this.signatureOk && allZero(b, 0, b.length);
    const headerComplete = b.length >= CHUNK_HEADER_SIZE;
    this.firstId = headerComplete ? u64(b, 24) : 0;
    this.lastId = headerComplete ? u64(b, 32) : 0;
    const declaredFree = headerComplete ? u32(b, 48) : 0;
    this.freeSpace = Math.min(Math.max(declaredFree, CHUNK_HEADER_SIZE), CHUNK_SIZE);
    if (!this.signatureOk || !headerComplete) {
      this.headerChecksumOk = this.dataChecksumOk = false;
      return;
    }
    this.headerChecksumOk =
      !checkChecksums || crc32(b, 128, CHUNK_HEADER_SIZE, crc32(b, 0, 120)) === u32(b, 124);
    // The data checksum cannot be checked when the file ends before the declared data does.
    this.dataChecksumOk =
      !checkChecksums ||
      this.freeSpace > b.length ||
      crc32(b, CHUNK_HEADER_SIZE, this.freeSpace) === u32(b, 52);
    this.scan(label, isKnownId);
  }

  private scan(label: string, isKnownId: ((id: number) => boolean) | undefined): void {
    const b = this.bytes;
    const live = Math.min(this.freeSpace, b.length);
    let p = CHUNK_HEADER_SIZE;
    let broken: string | null = null;
    let zeroGap = false;
    let cut = false;
    while (p + RECORD_HEADER_SIZE <= live) {
      if (!bytesEqual(b, p, p + 4, '**\0\0')) {
        // Archived files may declare the chunk's end as free space and fill it with zeros (libyal):
        // zeros are a break only when records turn up after them.
        zeroGap = allZero(b, p, p + 4);
        broken = zeroGap
          ? `zero bytes at ${hex(this.fileOffset + p)} before the declared end`
          : `bad record signature at ${hex(this.fileOffset + p)}`;
        break;
      }
      const size = u32(b, p + 4);
      if (p + size > b.length && p + size <= CHUNK_SIZE && size >= MIN_RECORD_SIZE) {
        cut = true;
        break;
      }
      const impossible = size < MIN_RECORD_SIZE || p + size > b.length;
      if (impossible || u32(b, p + size - 4) !== size) {
        broken = impossible
          ? `record at ${hex(this.fileOffset + p)} has an impossible size ${size}`
          : `record at ${hex(this.fileOffset + p)}: size ${size} does not match its copy ${u32(b, p + size - 4)}`;
        // Its header is intact: a row with what can be read (id, written time, maybe the event).
        this.records.push({
          ...this.ref(
            p,
            impossible ? Math.min(b.length - p, Math.max(size, RECORD_HEADER_SIZE)) : size,
            false,
          ),
          damaged: true,
        });
        p += RECORD_HEADER_SIZE;
        break;
      }
      this.add(p, size, false);
      p += size;
    }
    const chained = this.records.filter((r) => !r.damaged).length;
    // Scan the rest of the chunk: after a break, the remaining live area; always, the free space.
    let recoveredLive = 0;
    const seen = new Set<number>(this.records.map((r) => r.id));
    let q = p;
    while (q + MIN_RECORD_SIZE <= b.length) {
      const star = b.indexOf(0x2a, q);
      if (star < 0 || star + MIN_RECORD_SIZE > b.length) break;
      q = star;
      if (b[q + 1] !== 0x2a || b[q + 2] !== 0 || b[q + 3] !== 0) {
        q++;
        continue;
      }
      const size = u32(b, q + 4);
      if (
        size < MIN_RECORD_SIZE ||
        q + size > b.length ||
        u32(b, q + size - 4) !== size ||
        b[q + 24] !== 0x0f ||
        b[q + 25] !== 0x01 ||
        b[q + 26] !== 0x01
      ) {
        q++;
        continue;
      }
      const id = u64(b, q + 8);
      const inLive = q < this.freeSpace && broken !== null;
      if (inLive) {
        if (!seen.has(id)) {
          seen.add(id);
          this.add(q, size, true);
          recoveredLive++;
        }
        q += size;
        continue;
      }
      if (seen.has(id) || (this.firstId <= id && id <= this.lastId) || isKnownId?.(id) === true) {
        q += size;
        continue;
      }
      const candidate = this.ref(q, size, true);
      if (this.cols.decodes(candidate)) {
        seen.add(id);
        this.records.push(candidate);
        q += size;
      } else q++;
    }
    if (cut)
      this.problems.push(
        `${label}: the file ends ${CHUNK_SIZE - b.length} bytes before the chunk does; ${chained} records read, the record at ${hex(this.fileOffset + p)} and any after it are cut off`,
      );
    else if (broken !== null && (!zeroGap || recoveredLive > 0)) {
      const declared = u64(b, 16) - u64(b, 8) + 1;
      const of = declared > 0 && declared < 65536 ? ` of ${declared}` : '';
      this.problems.push(
        `${label}: ${broken}; ${chained}${of} records read in order, ${recoveredLive} recovered after it`,
      );
    }
    if (!this.headerChecksumOk)
      this.problems.push(`${label}: header checksum does not match; its records are flagged`);
    else if (!this.dataChecksumOk)
      this.problems.push(`${label}: record data checksum does not match; its records are flagged`);
  }

  private ref(offset: number, size: number, recovered: boolean): EvtxRecordRef {
    const b = this.bytes;
    const inData = offset < this.freeSpace;
    return {
      offset,
      size,
      id: u64(b, offset + 8),
      writtenMs: filetimeToMs(b, offset + 16),
      recovered,
      checksumMismatch: !this.headerChecksumOk || (inData && !this.dataChecksumOk),
      damaged: false,
    };
  }

  private add(offset: number, size: number, recovered: boolean): void {
    this.records.push(this.ref(offset, size, recovered));
  }

  /** The record at chunk offset `offset` (records are in offset order: the scan only moves on). */
  recordAt(offset: number): EvtxRecordRef | undefined {
    let lo = 0;
    let hi = this.records.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.records[mid]!;
      if (r.offset === offset) return r;
      if (r.offset < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Fills `cols` with the record's indexed columns (and its flags). Never throws. */
  index(ref: EvtxRecordRef, cols: EventColumns): void {
    this.cols.index(ref, cols);
  }

  /** The record's full event tree; throws {@link BinXmlError} when its Binary XML is broken. */
  decode(ref: EvtxRecordRef): XmlChild[] {
    const start = ref.offset + RECORD_HEADER_SIZE;
    const end = ref.damaged ? ref.offset + ref.size : ref.offset + ref.size - 4;
    if (end <= start) throw new BinXmlError('the record has no Binary XML', ref.offset);
    const parser = new StreamParser(
      this.tables,
      start,
      end,
      false,
      0,
      ref.recovered && ref.offset >= this.freeSpace,
    );
    const nodes = parser.fragment();
    return new Materializer(this.tables, parser.strict).fragment(nodes, null, 0);
  }
}

// ---- event columns from a decoded event --------------------------------------------------------

const FILETIME_EPOCH_MS = -11644473600000;

/** A time at (or before) the FILETIME epoch is Windows' "no time", whichever path read it. */
export function usableTime(ms: number): number {
  return ms > FILETIME_EPOCH_MS ? ms : NaN;
}

/** UTC ms of an ISO 8601 `...Z` time as event XML writes it (fraction cut to whole ms). */
export function parseIsoMs(text: string): number {
  const m = /^([+-]?\d{4,6})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z$/.exec(text);
  if (m === null) return NaN;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return civilToUtcMs(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    ms,
  );
}

function keywordsHighFromText(text: string | undefined): number {
  if (text === undefined || !/^0x[0-9a-fA-F]{1,16}$/.test(text)) return 0;
  return Number(BigInt(text) >> 32n);
}

/** One event data field: name, value, and whether it may hold the client address. */
export type DataField = readonly [name: string, value: string, addressCandidate: boolean];

/**
 * The event data of an event, in document order: EventData's Data elements by Name (unnamed ones
 * as `%1`, `%2`, ... by position) and Binary, and the leaf elements and attributes of UserData,
 * ProcessingErrorData and any other section; RenderingInfo (forwarded events) under its own
 * prefix. Only the System section is left out.
 */
export function eventData(root: XmlElement): DataField[] {
  const out: DataField[] = [];
  const generic = (e: XmlElement, prefix: string, candidates: boolean): void => {
    for (const [n, v] of e.attrs)
      if (n !== 'xmlns' && !n.startsWith('xmlns:'))
        out.push([prefix + n, v, candidates && isClientAddressField(n)]);
    const kids = elements(e.children);
    if (kids.length === 0) {
      out.push([prefix + e.name, textOf(e.children), candidates && isClientAddressField(e.name)]);
      return;
    }
    for (const k of kids) generic(k, prefix, candidates);
  };
  for (const section of elements(root.children)) {
    if (section.name === 'System') continue;
    if (section.name === 'EventData') {
      let position = 0;
      for (const c of elements(section.children)) {
        if (c.name === 'Data') {
          position++;
          const name = attr(c, 'Name');
          const key = name !== undefined && name !== '' ? name : `%${position}`;
          out.push([key, textOf(c.children), name !== undefined && isClientAddressField(name)]);
        } else if (c.name === 'Binary') out.push(['Binary', textOf(c.children), false]);
        else generic(c, '', true);
      }
    } else if (section.name === 'RenderingInfo') generic(section, 'RenderingInfo/', false);
    else generic(section, '', true);
  }
  return out;
}

/** The indexed columns of a decoded event (the slow path, and what `parse` shows). */
export function columnsFromEvent(
  root: XmlElement | undefined,
  ref: EvtxRecordRef,
  cols: EventColumns,
): DataField[] {
  const system = root === undefined ? undefined : child(root, 'System');
  const provider = system === undefined ? undefined : child(system, 'Provider');
  const name = attr(provider, 'EventSourceName') || attr(provider, 'Name');
  if (name) cols.source.setText(name);
  const eventId = system && child(system, 'EventID');
  if (eventId !== undefined) {
    const text = textOf(eventId.children);
    cols.code = parseNumber(text);
    if (cols.code < 0 && text !== '') cols.codeText = text;
  }
  const levelElement = system && child(system, 'Level');
  const keywords = system && child(system, 'Keywords');
  const levelText = levelElement === undefined ? '' : textOf(levelElement.children);
  const levelNumber = parseNumber(levelText);
  cols.level = evtxLevelName(
    levelNumber,
    keywordsHighFromText(keywords && textOf(keywords.children)),
  );
  if (levelNumber < 0 && levelText !== '' && cols.level === null) cols.level = levelText;
  const created = attr(system && child(system, 'TimeCreated'), 'SystemTime');
  cols.time = created === undefined ? NaN : usableTime(parseIsoMs(created));
  const computer = system && child(system, 'Computer');
  if (computer !== undefined) {
    const text = textOf(computer.children);
    if (text !== '') cols.host.setText(text);
  }
  const data = root === undefined ? [] : eventData(root);
  for (const [, value, candidate] of data)
    if (candidate && setAddressFromText(cols.srcIp, value)) break;
  if (!cols.srcIp.present && mayTakeAddressFromStrings(cols.code) && knownTakesAddress(cols))
    addressFromStrings(
      cols.srcIp,
      data.map(([k, v]) => [k, v] as const),
    );
  finishTime(cols, ref);
  return data;
}

function knownTakesAddress(cols: EventColumns): boolean {
  return knownEvent(cols.source.text(), cols.code)?.srcIpInStrings === true;
}

function finishTime(cols: EventColumns, ref: EvtxRecordRef): void {
  if (Number.isNaN(cols.time)) cols.time = usableTime(ref.writtenMs);
  if (Number.isNaN(cols.time)) cols.flags |= RecordFlag.BadTimestamp;
}

export function recordFlags(ref: EvtxRecordRef): number {
  return (
    (ref.recovered ? RecordFlag.Recovered : 0) |
    (ref.checksumMismatch ? RecordFlag.ChecksumMismatch : 0) |
    (ref.damaged ? RecordFlag.Damaged : 0)
  );
}

// ---- the fast path -----------------------------------------------------------------------------

/** Where a column's value is: substitution `sub` (>= 0), else the literal `text` (null: absent). */
interface Source {
  readonly sub: number;
  readonly text: string | null;
}
const ABSENT: Source = { sub: -1, text: null };

const ROLE_OTHER = 0;
const ROLE_ADDRESS = 1;
/**
 * A substitution that may hold nested Binary XML, by where its elements land: as sections of the
 * event, as children of EventData, or inside another element (UserData and deeper). The nested
 * template's plan is made for that place, because `eventData` names fields differently there.
 */
const ROLE_NESTED_EVENT = 2;
const ROLE_NESTED_EVENTDATA = 3;
const ROLE_NESTED_GENERIC = 4;
/** A client-address field whose value is literal text in the template (index into `literals`). */
const ROLE_LITERAL_ADDRESS = 5;
const CONTEXT_EVENT = 0;
const CONTEXT_EVENTDATA = 1;
const CONTEXT_GENERIC = 2;

interface Plan {
  /** Records of this template always take the full path. */
  readonly slow: boolean;
  /** The template is a whole event (root `Event`), not an event data section. */
  readonly event: boolean;
  readonly provider: Source;
  readonly sourceName: Source;
  readonly eventId: Source;
  readonly level: Source;
  readonly keywords: Source;
  readonly time: Source;
  readonly computer: Source;
  /** Every substitution the full path would use, in document order, with its role. */
  readonly subs: Int32Array;
  readonly roles: Uint8Array;
  readonly literals: readonly string[];
  /** Highest substitution index used (instances with fewer values take the full path). */
  readonly maxIndex: number;
  /** Elements and PIs in the template: what one instance costs the full path's output budget. */
  readonly elementCount: number;
}

const ENTITY_TEXT: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

class PlanBuilder {
  slow = false;
  readonly subs: number[] = [];
  readonly roles: number[] = [];
  readonly literals: string[] = [];
  readonly refs = new Map<number, number>();
  provider = ABSENT;
  sourceName = ABSENT;
  eventId = ABSENT;
  level = ABSENT;
  keywords = ABSENT;
  time = ABSENT;
  computer = ABSENT;

  private use(index: number, role: number): void {
    this.subs.push(index);
    this.roles.push(role);
    this.refs.set(index, (this.refs.get(index) ?? 0) + 1);
  }

  /** Records every substitution under `nodes` with role OTHER (attributes first, as flattening). */
  others(nodes: readonly Node[]): void {
    for (const n of nodes) {
      if (n.kind === 'sub') this.use(n.index, ROLE_OTHER);
      else if (n.kind === 'element') {
        for (const a of n.attrs) this.others(a.value);
        this.others(n.children);
      } else if (n.kind === 'instance') this.slow = true;
    }
  }

  /** The text of literal nodes as the full path joins it, or null when a node is not literal. */
  private literal(nodes: readonly Node[]): string | null {
    let text = '';
    for (const n of nodes) {
      if (n.kind === 'text' || n.kind === 'cdata') text += n.text;
      else if (n.kind === 'charref') text += String.fromCharCode(n.code);
      else if (n.kind === 'entity') text += ENTITY_TEXT[n.name] ?? `&${n.name};`;
      else return null;
    }
    return text;
  }

  /** A column read from `nodes`: one substitution, or literal text; anything else is slow. */
  source(nodes: readonly Node[]): Source {
    const only = nodes.length === 1 ? nodes[0]! : null;
    if (only?.kind === 'sub') {
      this.use(only.index, ROLE_OTHER);
      return { sub: only.index, text: null };
    }
    const text = this.literal(nodes);
    if (text === null) {
      this.slow = true;
      this.others(nodes);
    }
    return { sub: -1, text: text ?? '' };
  }

  /** A field that may hold the client address: one substitution, or literal text. */
  address(nodes: readonly Node[]): void {
    const only = nodes.length === 1 ? nodes[0]! : null;
    if (only?.kind === 'sub') {
      this.use(only.index, ROLE_ADDRESS);
      return;
    }
    const text = this.literal(nodes);
    if (text === null) {
      this.slow = true;
      this.others(nodes);
    } else if (text !== '') {
      this.subs.push(this.literals.length);
      this.roles.push(ROLE_LITERAL_ADDRESS);
      this.literals.push(text);
    }
  }

  system(e: Extract<Node, { kind: 'element' }>): void {
    for (const a of e.attrs) this.others(a.value);
    const done = new Set<string>();
    for (const c of e.children) {
      if (c.kind !== 'element' || done.has(c.name)) {
        this.others([c]);
        continue;
      }
      done.add(c.name);
      const attrNodes = (name: string) => c.attrs.find((a) => a.name === name)?.value;
      switch (c.name) {
        case 'Provider':
          for (const a of c.attrs) {
            if (a.name === 'Name') this.provider = this.source(a.value);
            else if (a.name === 'EventSourceName') this.sourceName = this.source(a.value);
            else this.others(a.value);
          }
          this.others(c.children);
          break;
        case 'TimeCreated': {
          for (const a of c.attrs) if (a.name !== 'SystemTime') this.others(a.value);
          const value = attrNodes('SystemTime');
          if (value !== undefined) this.time = this.source(value);
          this.others(c.children);
          break;
        }
        case 'EventID':
        case 'Level':
        case 'Keywords':
        case 'Computer': {
          for (const a of c.attrs) this.others(a.value);
          if (c.children.some((n) => n.kind === 'element')) this.slow = true;
          const s = this.source(c.children);
          if (c.name === 'EventID') this.eventId = s;
          else if (c.name === 'Level') this.level = s;
          else if (c.name === 'Keywords') this.keywords = s;
          else this.computer = s;
          break;
        }
        default:
          this.others([c]);
      }
    }
  }

  /** A section of the event other than System, as `eventData` flattens it. */
  section(e: Extract<Node, { kind: 'element' }>): void {
    if (e.name === 'EventData') {
      for (const a of e.attrs) this.others(a.value);
      for (const c of e.children) this.eventDataChild(c);
    } else if (e.name === 'RenderingInfo') this.others([e]);
    else this.generic(e);
  }

  private eventDataChild(c: Node): void {
    if (c.kind === 'element' && c.name === 'Data') {
      const nameAttr = c.attrs.find((a) => a.name === 'Name');
      let name: string | null = null;
      if (nameAttr !== undefined) {
        if (nameAttr.value.every((n) => n.kind === 'text'))
          name = nameAttr.value.map((n) => n.text).join('');
        else {
          this.slow = true;
          this.others(nameAttr.value);
        }
      }
      for (const a of c.attrs) if (a !== nameAttr) this.others(a.value);
      if (name !== null && isClientAddressField(name)) this.address(c.children);
      else this.others(c.children);
    } else if (c.kind === 'element' && c.name !== 'Binary') this.generic(c);
    else if (c.kind === 'sub') this.use(c.index, ROLE_NESTED_EVENTDATA);
    else this.others([c]);
  }

  private generic(e: Extract<Node, { kind: 'element' }>): void {
    for (const a of e.attrs) {
      if (isClientAddressField(a.name)) this.address(a.value);
      else this.others(a.value);
    }
    const leaf = !e.children.some((n) => n.kind === 'element');
    if (leaf && isClientAddressField(e.name)) {
      this.address(e.children);
      return;
    }
    for (const c of e.children) {
      if (c.kind === 'element') this.generic(c);
      else if (c.kind === 'sub') this.use(c.index, ROLE_NESTED_GENERIC);
      else this.others([c]);
    }
  }

  private root(n: Node, context: number): void {
    if (n.kind === 'sub')
      this.use(
        n.index,
        context === CONTEXT_EVENTDATA
          ? ROLE_NESTED_EVENTDATA
          : context === CONTEXT_GENERIC
            ? ROLE_NESTED_GENERIC
            : ROLE_NESTED_EVENT,
      );
    else if (n.kind !== 'element') this.slow = true;
    else if (context === CONTEXT_EVENTDATA) this.eventDataChild(n);
    else if (context === CONTEXT_GENERIC) this.generic(n);
    else if (n.name !== 'Event' && n.name !== 'System') this.section(n);
    else this.slow = true;
  }

  build(roots: readonly Node[], context: number): Plan {
    const first = roots.find((n) => n.kind === 'element');
    const event = context === CONTEXT_EVENT && first?.kind === 'element' && first.name === 'Event';
    if (event) {
      for (const n of roots) if (n !== first) this.others([n]);
      for (const a of first.attrs) this.others(a.value);
      let system = false;
      for (const c of first.children) {
        if (c.kind === 'element' && c.name === 'System') {
          if (!system) this.system(c);
          else this.others([c]);
          system = true;
        } else if (c.kind === 'element') this.section(c);
        else if (c.kind === 'sub') this.use(c.index, ROLE_NESTED_EVENT);
        else if (c.kind === 'instance') this.slow = true;
      }
    } else for (const n of roots) this.root(n, context);
    let elementCount = 0;
    const count = (nodes: readonly Node[]): void => {
      for (const n of nodes) {
        if (n.kind === 'pi') elementCount++;
        if (n.kind !== 'element') continue;
        elementCount++;
        count(n.children);
      }
    };
    count(roots);
    let maxIndex = -1;
    for (const [index, count] of this.refs) {
      maxIndex = Math.max(maxIndex, index);
      // A value used many times could expand past the full path's output budget.
      if (count > 4) this.slow = true;
    }
    return {
      slow: this.slow,
      event,
      provider: this.provider,
      sourceName: this.sourceName,
      eventId: this.eventId,
      level: this.level,
      keywords: this.keywords,
      time: this.time,
      computer: this.computer,
      subs: Int32Array.from(this.subs),
      roles: Uint8Array.from(this.roles),
      literals: this.literals,
      maxIndex,
      elementCount,
    };
  }
}

/** The plan of a template used in `context`, made once per chunk and place. */
function planOf(def: TemplateDef, context: number): Plan {
  if (def.plan === undefined) def.plan = [];
  const plans = def.plan as Plan[];
  return (plans[context] ??= new PlanBuilder().build(def.nodes, context));
}

/** Thrown inside the fast path to hand a record to the full path (one instance: no stack cost). */
class NeedsFullPath extends Error {}
const NEEDS_FULL_PATH = new NeedsFullPath('record needs the full path');

/**
 * Decodes a record for the full path. Broken Binary XML makes the record `Damaged`; any other
 * exception is a LogSieve bug, which must not take the file down: the record is flagged
 * `ParseError` (the property tests assert it never happens) and the message is kept.
 */
export function decodeRecord(
  chunk: EvtxChunk,
  ref: EvtxRecordRef,
): { children: XmlChild[]; flags: number; error: string | null } {
  try {
    return { children: chunk.decode(ref), flags: 0, error: null };
  } catch (error) {
    if (error instanceof BinXmlError)
      return {
        children: [],
        flags: RecordFlag.Damaged,
        error: `${error.message} (at ${hex(chunk.fileOffset + error.offset)})`,
      };
    return {
      children: [],
      flags: RecordFlag.ParseError,
      error: `internal error: ${String(error)}`,
    };
  }
}

class FastIndex {
  constructor(private readonly chunk: EvtxChunk) {}

  /** Strict decode check for records found in free space. */
  decodes(ref: EvtxRecordRef): boolean {
    try {
      const children = this.chunk.decode(ref);
      return elements(children).length > 0;
    } catch {
      return false;
    }
  }

  index(ref: EvtxRecordRef, cols: EventColumns): void {
    cols.reset();
    let done: boolean;
    let bug = false;
    try {
      done = this.fast(ref, cols);
    } catch (error) {
      // Broken Binary XML or a shape the plan does not cover: the full path decides. Anything
      // else is a LogSieve bug: the full path still reads the record, which is flagged
      // ParseError so that the bug shows (the property tests assert it never happens).
      bug = !(error instanceof BinXmlError) && error !== NEEDS_FULL_PATH;
      done = false;
    }
    if (!done) {
      cols.reset();
      const decoded = decodeRecord(this.chunk, ref);
      cols.flags |= decoded.flags | (bug ? RecordFlag.ParseError : 0);
      columnsFromEvent(elements(decoded.children)[0], ref, cols);
    }
    cols.flags |= recordFlags(ref);
  }

  /** Returns false when the record needs the full path. */
  private fast(ref: EvtxRecordRef, cols: EventColumns): boolean {
    if (ref.damaged) return false;
    const b = this.chunk.bytes;
    const start = ref.offset + RECORD_HEADER_SIZE;
    const end = ref.offset + ref.size - 4;
    if (b[start] !== 0x0f || b[start + 4] !== 0x0c) return false;
    const strict = ref.recovered && ref.offset >= this.chunk.freeSpace;
    const values = this.table(0);
    readInstance(this.chunk.tables, start + 4, end, 0, strict, values);
    if (values.end < end && b[values.end] !== 0x00) return false;
    const plan = planOf(values.template!, CONTEXT_EVENT);
    if (plan.slow || !plan.event || plan.maxIndex >= values.count) return false;
    this.budget = MAX_OUTPUT_NODES;
    try {
      if (!this.check(plan, values, cols, 0)) return false;
    } catch (error) {
      if (error === NEEDS_FULL_PATH) return false;
      throw error;
    }
    const eventId = this.number(values, plan.eventId);
    if (eventId === -2) return false;
    if (eventId >= 0) cols.code = eventId;
    const level = this.number(values, plan.level);
    const keywords = this.keywordsHigh(values, plan.keywords);
    if (level === -2 || keywords < 0) return false;
    if (level === -3) cols.level = evtxLevelName(-1, keywords);
    else cols.level = evtxLevelName(level, keywords);
    if (!this.time(values, plan.time, cols)) return false;
    if (!this.text(values, plan.sourceName, cols.source) || cols.source.length === 0) {
      cols.source.clear();
      if (!this.text(values, plan.provider, cols.source)) return false;
    }
    if (!this.text(values, plan.computer, cols.host)) return false;
    if (!cols.srcIp.present && mayTakeAddressFromStrings(cols.code)) return false;
    finishTime(cols, ref);
    return true;
  }

  /** One value table per nesting depth, reused for every record. */
  private readonly tables: ValueTable[] = [];

  private table(depth: number): ValueTable {
    return (this.tables[depth] ??= new ValueTable());
  }

  /**
   * What is left of the full path's output budget for the record being indexed. Each template
   * instance costs at most its element count times the product of (1 + items) over its array
   * values (an element is copied at most once per item of each array above or in it); while the
   * sum stays within the budget, the full path cannot run out of it either.
   */
  private budget = 0;

  /**
   * Checks every substitution the full path would use and reads the client address; recurses into
   * nested event data templates. Throws NEEDS_FULL_PATH when the full path must decide.
   */
  private check(plan: Plan, values: ValueTable, cols: EventColumns, depth: number): boolean {
    const b = this.chunk.bytes;
    let copies = 1;
    for (let i = 0; i < plan.subs.length; i++) {
      const role = plan.roles[i]!;
      if (role === ROLE_LITERAL_ADDRESS) {
        if (!cols.srcIp.present) setAddressFromText(cols.srcIp, plan.literals[plan.subs[i]!]!);
        continue;
      }
      const index = plan.subs[i]!;
      const type = values.types[index]!;
      const offset = values.offsets[index]!;
      const size = values.sizes[index]!;
      switch (role) {
        case ROLE_OTHER:
          if (type === ValueType.BinXml) throw NEEDS_FULL_PATH;
          // Items of an array: at most one per byte (a NUL ends each string; no type is smaller).
          if ((type & ValueType.Array) !== 0) copies = Math.min(copies * (2 + size), 1e9);
          break;
        case ROLE_ADDRESS:
          // No other scalar type renders as an address (numbers have no dots, binary is hex
          // without colons, times and GUIDs have letters); ANSI text, arrays and XML might.
          if (type === ValueType.AnsiString || type === ValueType.BinXml) throw NEEDS_FULL_PATH;
          if ((type & ValueType.Array) !== 0) throw NEEDS_FULL_PATH;
          if (type !== ValueType.String) break;
          if (!cols.srcIp.present) {
            const scratch = this.scratch(size);
            const n = utf16ToUtf8(b, offset, offset + size, scratch);
            setAddressFromBytes(cols.srcIp, scratch, 0, n);
          }
          break;
        default: {
          if (type === ValueType.Null) break;
          if ((type & ValueType.Array) !== 0) {
            // An array right under Event would repeat the Event element itself.
            if (role === ROLE_NESTED_EVENT) throw NEEDS_FULL_PATH;
            copies = Math.min(copies * (2 + size), 1e9);
          }
          if (type === ValueType.BinXml)
            this.nested(offset, size, cols, depth + 1, role - ROLE_NESTED_EVENT);
        }
      }
    }
    this.budget -= plan.elementCount * copies;
    if (this.budget < 0) throw NEEDS_FULL_PATH;
    return true;
  }

  private nested(
    offset: number,
    size: number,
    cols: EventColumns,
    depth: number,
    context: number,
  ): void {
    if (depth > MAX_NESTING || size === 0) throw NEEDS_FULL_PATH;
    const b = this.chunk.bytes;
    const end = offset + size;
    // A nested value is a template instance (bare or after a fragment header) or, in CAPI2 and
    // forwarded events, a plain element stream, parsed and planned on the spot.
    const start = b[offset] === 0x0f ? offset + 4 : offset;
    if (start >= end) throw NEEDS_FULL_PATH;
    if ((b[start]! & 0xbf) === 0x01) {
      const stream = new StreamParser(this.chunk.tables, offset, end, false, depth, false);
      const plan = new PlanBuilder().build(stream.fragment(), context);
      if (plan.slow || plan.event || plan.maxIndex >= 0) throw NEEDS_FULL_PATH;
      this.check(plan, this.table(depth), cols, depth);
      return;
    }
    if (b[start] !== 0x0c) throw NEEDS_FULL_PATH;
    const values = this.table(depth);
    readInstance(this.chunk.tables, start, end, depth, false, values);
    if (values.end < end && b[values.end] !== 0x00) throw NEEDS_FULL_PATH;
    const plan = planOf(values.template!, context);
    if (plan.slow || plan.event || plan.maxIndex >= values.count) throw NEEDS_FULL_PATH;
    this.check(plan, values, cols, depth);
  }

  private scratchBuf = new Uint8Array(1024);

  private scratch(bytes: number): Uint8Array {
    const need = Math.ceil(bytes / 2) * 3;
    if (this.scratchBuf.length < need) this.scratchBuf = new Uint8Array(need);
    return this.scratchBuf;
  }

  /** A number column: >= 0 the value, -1 absent/empty, -2 needs the full path, -3 NULL. */
  private number(values: ValueTable, source: Source): number {
    if (source.sub < 0) {
      if (source.text === null || source.text === '') return -1;
      const n = parseNumber(source.text);
      return n >= 0 ? n : -2;
    }
    const type = values.types[source.sub]!;
    const offset = values.offsets[source.sub]!;
    const size = values.sizes[source.sub]!;
    const b = this.chunk.bytes;
    switch (type) {
      case ValueType.Null:
        return -3;
      case ValueType.UInt8:
        return size === 1 ? b[offset]! : -2;
      case ValueType.UInt16:
        return size === 2 ? u16(b, offset) : -2;
      case ValueType.UInt32:
        return size === 4 ? u32(b, offset) : -2;
      default:
        return -2;
    }
  }

  /** High 32 bits of Keywords (0 when absent), or -1 when the full path must read it. */
  private keywordsHigh(values: ValueTable, source: Source): number {
    if (source.sub < 0) return source.text === null ? 0 : keywordsHighFromText(source.text);
    const type = values.types[source.sub]!;
    if (type === ValueType.Null) return 0;
    if (type === ValueType.HexInt64 && values.sizes[source.sub] === 8)
      return u32(this.chunk.bytes, values.offsets[source.sub]! + 4);
    return -1;
  }

  private time(values: ValueTable, source: Source, cols: EventColumns): boolean {
    if (source.sub < 0) {
      cols.time = source.text === null ? NaN : usableTime(parseIsoMs(source.text));
      return true;
    }
    const type = values.types[source.sub]!;
    if (type === ValueType.Null) {
      cols.time = NaN;
      return true;
    }
    if (type !== ValueType.FileTime || values.sizes[source.sub] !== 8) return false;
    cols.time = usableTime(filetimeToMs(this.chunk.bytes, values.offsets[source.sub]!));
    return true;
  }

  private text(values: ValueTable, source: Source, field: EventColumns['source']): boolean {
    if (source.sub < 0) {
      if (source.text !== null && source.text !== '') field.setText(source.text);
      return true;
    }
    const type = values.types[source.sub]!;
    if (type === ValueType.Null) return true;
    if (type !== ValueType.String) return false;
    const offset = values.offsets[source.sub]!;
    const size = values.sizes[source.sub]!;
    const out = field.reserve(Math.ceil(size / 2) * 3);
    field.length = utf16ToUtf8(this.chunk.bytes, offset, offset + size, out);
    field.present = field.length > 0;
    return true;
  }
}
