/**
 * The common shape of one log record, whatever format it came from. The worker keeps only the
 * indexed columns of each record; this full form is made on demand for the rows on screen, the
 * detail pane and the CLI, by re-parsing the record's bytes.
 */

/** Columns every format maps its own fields onto, in display order. */
export const COMMON_COLUMNS = [
  'time',
  'srcIp',
  'level',
  'code',
  'source',
  'host',
  'certHost',
  'message',
] as const;
export type CommonColumn = (typeof COMMON_COLUMNS)[number];

/** The indexed columns held as dictionary ids in the worker (all common columns but time and message). */
export const DICT_COLUMNS = ['srcIp', 'level', 'code', 'source', 'host', 'certHost'] as const;
export type DictColumn = (typeof DICT_COLUMNS)[number];

/**
 * What a format's message column holds: `text`, the record's own words (an error log's message,
 * an event's description), or `request`, the request line or URL of an access log. Tags look for
 * phrases only in text: a URL that spells "user not found" is no failed logon, and a request is
 * matched by its fields (method, uri, status).
 */
export type MessageKind = 'text' | 'request';

export interface ParsedRecord {
  /** UTC milliseconds since the epoch, or null when the record has no usable time. */
  readonly time: number | null;
  /** Client/source address as written (IPv4 dotted quad or IPv6 text), without a port. */
  readonly srcIp: string | null;
  /** Severity or outcome as the format names it (`error`, `Critical`, `DENIED`, ...). */
  readonly level: string | null;
  /** Status or event code (`404`, `125`, `CT_SOCKET_ERROR`, ...). */
  readonly code: string | null;
  /** What wrote the record: module, provider, event source, agent server (`ssl`, `Schannel`, `server#1`). */
  readonly source: string | null;
  /** Host the record is about: virtual host, requested host, computer. */
  readonly host: string | null;
  /** Host name from a TLS server certificate. */
  readonly certHost: string | null;
  /** The human-readable part of the record. */
  readonly message: string | null;
  /** Every named field the format knows, in the format's order; values as written. */
  readonly fields: Readonly<Record<string, string>>;
  /** Bits of {@link RecordFlag} found while parsing (see {@link RECORD_FLAGS}). */
  readonly flags: number;
  /** Sentences for the detail pane about how this record was read ("time taken from the previous record"). */
  readonly notes: readonly string[];
}

/** A record with nothing parsed: what a format returns for text it does not understand. */
export function unparsedRecord(
  message: string,
  flags: number,
  notes: readonly string[] = [],
): ParsedRecord {
  return {
    time: null,
    srcIp: null,
    level: null,
    code: null,
    source: null,
    host: null,
    certHost: null,
    message,
    fields: {},
    flags,
    notes,
  };
}

/**
 * Per-record flags, one bit each. `problem` flags make a record count as "flagged" rather than
 * "parsed" in the status bar and the CLI; the others only describe the record.
 */
export const RecordFlag = {
  ParseError: 1 << 0,
  FieldCountMismatch: 1 << 1,
  BadTimestamp: 1 << 2,
  Oversized: 1 << 3,
  Directive: 1 << 4,
  ChecksumMismatch: 1 << 5,
  Recovered: 1 << 6,
  Damaged: 1 << 7,
} as const;
export type RecordFlag = (typeof RecordFlag)[keyof typeof RecordFlag];

export interface RecordFlagInfo {
  readonly bit: RecordFlag;
  /** Stable id used in JSON output and saved files. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly problem: boolean;
}

export const RECORD_FLAGS: readonly RecordFlagInfo[] = [
  {
    bit: RecordFlag.ParseError,
    id: 'parse-error',
    title: 'Not understood',
    description: 'The format did not recognise this record; it is kept and shown as raw text.',
    problem: true,
  },
  {
    bit: RecordFlag.FieldCountMismatch,
    id: 'field-count-mismatch',
    title: 'Field count differs from header',
    description:
      'The record has a different number of values than the header in force; fields were filled from the left as far as they go.',
    problem: true,
  },
  {
    bit: RecordFlag.BadTimestamp,
    id: 'bad-timestamp',
    title: 'Damaged timestamp',
    description:
      'The timestamp could not be read; the rest of the record was kept. Where the format can, its time is taken from the record before it (the notes say so); otherwise it has none.',
    problem: true,
  },
  {
    bit: RecordFlag.Oversized,
    id: 'oversized',
    title: 'Record cut',
    description:
      'The record was longer than the largest record LogSieve indexes whole; it was split and the pieces are flagged.',
    problem: true,
  },
  {
    bit: RecordFlag.Directive,
    id: 'directive',
    title: 'Header line',
    description: 'A directive or comment of the format (such as a W3C #Fields line), not an event.',
    problem: false,
  },
  {
    bit: RecordFlag.ChecksumMismatch,
    id: 'checksum-mismatch',
    title: 'Checksum mismatch',
    description:
      'The checksum of the block holding this record does not match; the data is shown as read.',
    problem: true,
  },
  {
    bit: RecordFlag.Recovered,
    id: 'recovered',
    title: 'Recovered',
    description:
      'Read from space the writer had marked free or past the end it declared; it may be stale.',
    problem: false,
  },
  {
    bit: RecordFlag.Damaged,
    id: 'damaged',
    title: 'Damaged',
    description: 'The record is structurally broken; what could be read is shown.',
    problem: true,
  },
];

export const PROBLEM_FLAGS: number = RECORD_FLAGS.filter((f) => f.problem).reduce(
  (bits, f) => bits | f.bit,
  0,
);

export function flagIds(flags: number): string[] {
  return RECORD_FLAGS.filter((f) => (flags & f.bit) !== 0).map((f) => f.id);
}
