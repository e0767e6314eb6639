/**
 * The contract every log format implements. A format is a module in shared/formats/ that exports
 * one {@link LogFormat}; the registry lists them. The pipeline (electron/worker) never branches on
 * a format id: it detects with `detect`, indexes with the indexer, and re-parses on demand with
 * `parse`. Adding a format touches only its module and the registry.
 */
import type { CommonColumn, MessageKind, ParsedRecord } from '../record';

/** Format ids are fixed: the CLI (`--format`) and saved files use them. */
export const FORMAT_IDS = [
  'apache-access',
  'apache-error',
  'w3c',
  'cleartrust',
  'syslog',
  'evtx',
  'evt',
  'eventlog-csv',
  'eventlog-xml',
  'eventlog-txt',
  'plain',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export function isFormatId(value: string): value is FormatId {
  return (FORMAT_IDS as readonly string[]).includes(value);
}

/** Text encodings the pipeline reads. Formats always see UTF-8 (ASCII-compatible) bytes. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** What a detector sees: the start of the file. */
export interface DetectSample {
  /** The file's name (no directory), for formats whose files have telling names. */
  readonly fileName: string;
  /** The first bytes of the file (up to 64 KiB), raw. */
  readonly bytes: Uint8Array;
  /** Encoding found by BOM or byte pattern; `null` when the bytes do not look like text. */
  readonly encoding: TextEncoding | null;
  /** The first lines of the decoded text (BOM removed, line terminators removed, at most 200). */
  readonly lines: readonly string[];
}

/** Facts about the file that parsing may need. */
export interface FileContext {
  readonly name: string;
  readonly size: number;
  /** Last modification time of the file, UTC ms (syslog takes the year from it). */
  readonly modifiedMs: number;
  readonly options: FormatOptions;
  /**
   * Named fields some signature tag looks at (shared/tags/catalog.ts): a text indexer reports
   * these, and only these, with `sink.field` as it indexes. Absent or empty: report none.
   */
  readonly wantedFields?: ReadonlySet<string>;
}

/** Settings the user can change per file, because the log itself does not say. */
export interface FormatOptions {
  /**
   * IANA time zone for times written without a zone or offset (Event Viewer exports, syslog
   * RFC 3164), and for zone abbreviations the format cannot resolve. Default: UTC.
   */
  readonly timeZone?: string;
  /**
   * Readings for time-zone abbreviations written after times (RSA ClearTrust agent logs), by
   * abbreviation: an IANA zone (`"CST": "America/Chicago"`, read with its daylight-saving rules)
   * or a fixed offset (`"CST": "-06:00"`, also `+0530`, `UTC+8`). Overrides the built-in table
   * (shared/time/abbreviations.ts), which leaves ambiguous abbreviations such as CST, IST and PST
   * to `timeZone`.
   */
  readonly zoneAbbreviations?: Readonly<Record<string, string>>;
  /**
   * Order of day and month in all-numeric dates whose order the file does not state (Event
   * Viewer exports in a slash-separated locale, NetScaler's configurable log date): `mdy` (en-US,
   * the default) or `dmy` (en-GB, fr-FR, ...). Dates with dots (`31.12.2024`) are always day first
   * and ISO dates are unambiguous.
   */
  readonly dateOrder?: 'mdy' | 'dmy';
}

/** A search for a byte in a window of bytes: what the framer needs to find line ends in it. */
export interface ByteSearch {
  indexOf(byte: number, from: number): number;
}

/**
 * An indexer's copy of a window (in a WebAssembly module's memory), with its own search for the
 * copy's line ends. The framer then reads records from the copy: the indexer reads each line
 * there as it finds the line's end, so the line is in the cache when the framer and `index` read
 * it, where the window the host read into cost a cache miss per line.
 */
export interface WindowCopy {
  /** The window's bytes, at the same positions. */
  readonly bytes: Uint8Array;
  readonly lines: ByteSearch;
}

/**
 * Where the worker writes what a format finds in a record, straight into the columnar index. The
 * byte-range methods take UTF-8 bytes `[start, end)` of the buffer the record lives in; they
 * intern the value without making a string when they can. Calls for one record come between the
 * pipeline's (text) or the format's (binary) `begin` and `end`.
 */
export interface IndexSink {
  /** Record time in UTC milliseconds since the epoch. Not calling it means "no time". */
  time(ms: number): void;
  srcIp(buf: Uint8Array, start: number, end: number): void;
  srcIpText(value: string): void;
  /**
   * A dotted-quad IPv4 address as its unsigned 32-bit number: the same as `srcIp` with its bytes,
   * for a format that has read the number already (no bytes to look up in the address cache).
   */
  srcIpv4(value: number): void;
  level(buf: Uint8Array, start: number, end: number): void;
  levelText(value: string): void;
  code(buf: Uint8Array, start: number, end: number): void;
  codeText(value: string): void;
  /** Integer codes (HTTP status, event id): faster than the byte form, same dictionary. */
  codeNumber(value: number): void;
  source(buf: Uint8Array, start: number, end: number): void;
  sourceText(value: string): void;
  host(buf: Uint8Array, start: number, end: number): void;
  hostText(value: string): void;
  certHost(buf: Uint8Array, start: number, end: number): void;
  certHostText(value: string): void;
  /**
   * The certificate host is the host this record has (written before): a TLS row that names no
   * certificate host of its own. The same as `certHost` with the host's bytes, without looking
   * the value up again on every record.
   */
  certHostFromHost(): void;
  /** Add {@link RecordFlag} bits. */
  flag(bits: number): void;
  /**
   * The bytes of a named field of the record (`user_agent`, `x-rs-certificate-observed-errors`,
   * `message`), for the tags that look at it. Called only for names in `FileContext.wantedFields`,
   * with exactly the value `parse` puts in `fields[name]` (or in `message`).
   */
  field(name: string, buf: Uint8Array, start: number, end: number): void;
  /**
   * `field` for the name at place `n` of `FileContext.wantedFields` (see `fieldNumber`), which
   * an indexer looks up once: finding a name on every record costs more than most tag tests.
   */
  fieldByNumber(n: number, buf: Uint8Array, start: number, end: number): void;
  /**
   * State that `parse` needs and cannot get from the record alone (the W3C `#Fields` in force),
   * valid from the current record on until the next call. Kept once per change, not per record.
   */
  context(value: unknown): void;
  /** A problem with the file rather than one record ("chunk 7 at 0x80000: bad signature"). */
  fileError(message: string): void;
  /** Binary formats only (text records are framed by the pipeline): a record starts at `offset`. */
  begin(offset: number): void;
  /** Binary formats only: the record started by `begin` is complete. */
  end(): void;
}

/** Metadata every format carries, shown by `logsieve formats` and the format menu. */
export interface FormatInfo {
  readonly id: FormatId;
  readonly title: string;
  readonly description: string;
  /** Glob-style file name patterns the format's files usually have (`*.evtx`, `access*.log`). */
  readonly filePatterns: readonly string[];
  /** The common columns this format fills, in the order the grid shows them. */
  readonly columns: readonly CommonColumn[];
}

/** A sample record a format must parse to the given fields: checked by one generic test. */
export interface FormatSample {
  /** Where the sample comes from (a corpus file and line, or a reference note). */
  readonly source: string;
  /** The record's text (text formats) — exactly as in the file, without the final line terminator. */
  readonly text: string;
  /** Context the record needs (e.g. the W3C header), given as the lines that precede it. */
  readonly preamble?: readonly string[];
  readonly expect: Partial<Omit<ParsedRecord, 'fields'>> & {
    readonly fields?: Readonly<Record<string, string>>;
  };
}

/**
 * A sample record of a binary format: one record of a corpus file (binary records have no text
 * to quote), checked by the same generic test as text samples.
 */
export interface BinaryFormatSample {
  /** Where the sample comes from, in words (file, record id). */
  readonly source: string;
  /** The file, relative to ../shared/corpus/. */
  readonly corpusFile: string;
  /** The record's file offset (the value its indexer passes to `sink.begin`). */
  readonly offset: number;
  readonly expect: FormatSample['expect'];
}

interface FormatBase extends FormatInfo {
  readonly messageKind: MessageKind;
  /** 0 = certainly not this format, 1 = certainly this format. Must never throw. */
  detect(sample: DetectSample): number;
}

/** How a text format's records are cut out of the byte stream. */
export type Framing =
  /** Each line is a record; `continues` may glue following lines onto it (stack traces, quoted newlines). */
  | { readonly kind: 'lines' }
  /** A record starts at each occurrence of `marker` (e.g. `<Event ` in an XML export), wherever it is on a line. */
  | {
      readonly kind: 'marker';
      readonly marker: string;
      /**
       * When given, an occurrence counts only if the byte right after it is one of these ASCII
       * characters: `<Event` followed by one of ` \t\r\n>/` starts an event, while `<Events>`
       * and `<EventData>` do not. An occurrence at the very end of the file has no next byte and
       * does not count.
       */
      readonly followedBy?: string;
    };

export interface TextIndexer {
  /**
   * Multi-line records: called in order for every non-blank physical line (terminator removed)
   * after the first of the file; true glues the line onto the current record. Blank lines always
   * glue. Absent: every non-blank line starts a record. Only used with `lines` framing.
   */
  continues?(buf: Uint8Array, start: number, end: number): boolean;
  /**
   * The framer is about to index records from `window`, whose bytes do not change until the next
   * call: an indexer may prepare them once (copy them where faster code can read them) rather
   * than per record. When it returns its copy, the framer reads the window there, and finds
   * line ends with the copy's search instead of the host's. `index` may still get other buffers.
   */
  window?(window: Uint8Array): WindowCopy | undefined;
  /**
   * The hot path: write the record's indexed columns to `sink`. `[start, end)` holds the whole
   * record as UTF-8, lines joined by their original terminators, without the final terminator.
   * Must not throw on any input and must not make strings for values it can pass as bytes.
   */
  index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void;
}

export interface TextFormat<Context = unknown> extends FormatBase {
  readonly kind: 'text';
  readonly samples: readonly FormatSample[];
  readonly framing: Framing;
  createIndexer(file: FileContext): TextIndexer;
  /**
   * Full parse of one record's text for display and the CLI. `context` is the last value the
   * indexer passed to `sink.context` before this record (undefined if none). Must agree with
   * `index` on every indexed column, and must not throw.
   */
  parse(text: string, context: Context | undefined, file: FileContext): ParsedRecord;
}

/** Random access to the file for binary formats: returns fewer bytes at the end of the file. */
export type ReadAt = (offset: number, length: number) => Uint8Array;

export interface BinaryIndexer {
  /** Bytes of the file in order; `fileOffset` is the offset of `bytes[0]`. Keep what you need. */
  push(bytes: Uint8Array, fileOffset: number, sink: IndexSink): void;
  /** The file ended (or loading was stopped): index what is left, report truncation. */
  finish(sink: IndexSink): void;
}

export interface BinaryRecord {
  readonly record: ParsedRecord;
  /** A faithful text rendering of the record for the raw view (the event XML for EVTX). */
  readonly raw: string;
}

export interface BinaryFormat<Context = unknown> extends FormatBase {
  readonly kind: 'binary';
  readonly samples: readonly BinaryFormatSample[];
  createIndexer(file: FileContext): BinaryIndexer;
  /** Full parse of the record that was indexed at `offset` (the value given to `sink.begin`). */
  parse(
    read: ReadAt,
    offset: number,
    context: Context | undefined,
    file: FileContext,
  ): BinaryRecord;
}

export type LogFormat = TextFormat | BinaryFormat;
