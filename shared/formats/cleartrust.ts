/**
 * RSA ClearTrust / Access Manager web agent log (`ctagent.log`), as the RSA knowledge-base
 * articles quote it (../shared/reference/cleartrust-citrix.md §1):
 *
 *   Feb 24, 2007 06:48:50 PM MST - [12] - <Critical> - server#1, 10.10.10.10:5615 CT_SOCKET_ERROR
 *
 * A 12-hour clock (the hour may have one digit), a time-zone abbreviation read through the table in
 * shared/time/abbreviations.ts, the thread id in brackets, the level in angle brackets, and the
 * message. Messages about an authorization server start with its pool index (`server#N`) and
 * often its address; CT_* result codes are picked up wherever they are. No real ctagent.log was
 * available: the format is built from the KB lines, and everything beyond them is UNVERIFIED
 * (other level names, multi-line messages, other zone spellings).
 *
 * A line whose timestamp is damaged (the KB's own sample begins `01, 2007 08:00:40 AM MST`) keeps
 * its thread, level, server and code, is flagged, and takes the time of the record before it so
 * that it stays in place on the timeline. When no earlier record had a time it stays without one:
 * taking the next record's time would need the index to revisit a written row.
 */
import type { FileContext, IndexSink, TextFormat, TextIndexer } from './types';
import type { ParsedRecord } from '../record';
import { RecordFlag, unparsedRecord } from '../record';
import type { ZoneResolution } from '../time/abbreviations';
import { resolveZoneToken, resolvedToUtc } from '../time/abbreviations';
import { civilToUtcMs, digitsAt, monthFromBytes } from '../time/civil';
import { addressIn } from './address';
import type { Wanted } from './wanted';
import { wantedOf } from './wanted';
import { bytesEqual, displayText, trimEnd, utf8Bytes, utf8Text } from './bytes';

const SPACE = 32;
const COMMA = 44;
const DASH = 45;
const COLON = 58;
const LT = 60;
const GT = 62;
const OPEN = 91;
const CLOSE = 93;

/** What `parse` needs from the indexer: the time a damaged record borrowed. */
export interface ClearTrustContext {
  /** UTC ms of the last record before this one with a readable time; null when there was none. */
  readonly previousTime: number | null;
}

/** Boundaries of one record's parts; -1 when absent. */
interface Parts {
  timeEnd: number;
  threadStart: number;
  threadEnd: number;
  levelStart: number;
  levelEnd: number;
  message: number;
  serverStart: number;
  serverEnd: number;
  /** The server's address without its port, and the port. */
  addressStart: number;
  addressEnd: number;
  portStart: number;
  portEnd: number;
  codeStart: number;
  codeEnd: number;
}

function emptyParts(): Parts {
  return {
    timeEnd: -1,
    threadStart: -1,
    threadEnd: -1,
    levelStart: -1,
    levelEnd: -1,
    message: -1,
    serverStart: -1,
    serverEnd: -1,
    addressStart: -1,
    addressEnd: -1,
    portStart: -1,
    portEnd: -1,
    codeStart: -1,
    codeEnd: -1,
  };
}

const addressScratch = new Int32Array(2);

/** ` - ` at `at`. */
function isSeparator(buf: Uint8Array, at: number, end: number): boolean {
  return at + 3 <= end && buf[at] === SPACE && buf[at + 1] === DASH && buf[at + 2] === SPACE;
}

function isUpperOrUnderscore(c: number | undefined): boolean {
  return c !== undefined && ((c >= 65 && c <= 90) || c === 95);
}

function isWordByte(c: number | undefined): boolean {
  return (
    c !== undefined &&
    ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)
  );
}

/**
 * Finds the parts. The anchor is the first ` - [`: whatever precedes it is the timestamp, damaged
 * or not, so a broken date never costs the rest of the record.
 */
function scan(buf: Uint8Array, start: number, end: number, parts: Parts): boolean {
  const p = parts;
  p.timeEnd = p.threadStart = p.threadEnd = p.levelStart = p.levelEnd = p.message = -1;
  p.serverStart = p.serverEnd = p.addressStart = p.addressEnd = -1;
  p.portStart = p.portEnd = p.codeStart = p.codeEnd = -1;
  let anchor = -1;
  for (let i = start; i + 4 <= end; i++) {
    if (buf[i] === SPACE && isSeparator(buf, i, end) && buf[i + 3] === OPEN) {
      anchor = i;
      break;
    }
  }
  if (anchor < 0) return false;
  p.timeEnd = anchor;
  let q = anchor + 4;
  const close = buf.indexOf(CLOSE, q);
  if (close < 0 || close >= end) return false;
  p.threadStart = q;
  p.threadEnd = close;
  q = close + 1;
  if (isSeparator(buf, q, end) && buf[q + 3] === LT) {
    const gt = buf.indexOf(GT, q + 4);
    if (gt >= 0 && gt < end) {
      p.levelStart = q + 4;
      p.levelEnd = gt;
      q = gt + 1;
    }
  }
  if (isSeparator(buf, q, end)) q += 3;
  else if (q < end && buf[q] === SPACE) q++;
  p.message = q;
  // server#N, [a.b.c.d:port] ...
  if (end - q > 7 && bytesEqual(buf, q, q + 7, 'server#')) {
    let k = q + 7;
    while (k < end && buf[k]! >= 48 && buf[k]! <= 57) k++;
    if (k > q + 7) {
      p.serverStart = q;
      p.serverEnd = k;
      if (buf[k] === COMMA && buf[k + 1] === SPACE) {
        const a = k + 2;
        let b = a;
        while (b < end && buf[b] !== SPACE) b++;
        const range = addressScratch;
        if (addressIn(buf, a, b, range)) {
          p.addressStart = range[0]!;
          p.addressEnd = range[1]!;
          if (range[1]! < b && buf[range[1]!] === COLON) {
            p.portStart = range[1]! + 1;
            p.portEnd = b;
          }
        }
      }
    }
  }
  // The first CT_ code that stands as a word (generic: the KB names only three, UNVERIFIED rest).
  for (let i = q; i + 3 < end; i++) {
    if (buf[i] === 67 && buf[i + 1] === 84 && buf[i + 2] === 95 && !isWordByte(buf[i - 1])) {
      let k = i + 3;
      while (k < end && isUpperOrUnderscore(buf[k])) k++;
      if (k > i + 3 && !isWordByte(buf[k])) {
        p.codeStart = i;
        p.codeEnd = k;
        break;
      }
      i = k;
    }
  }
  return true;
}

/** Wall time (as if UTC) of `Mon d, yyyy h:mm:ss AM` and where the zone token starts; NaN if damaged. */
function parseWall(buf: Uint8Array, start: number, end: number, zone: Int32Array): number {
  let i = start;
  const month = monthFromBytes(buf, i);
  if (month === 0 || buf[i + 3] !== SPACE) return NaN;
  i += 4;
  let day = 0;
  const dayStart = i;
  while (i < end && buf[i]! >= 48 && buf[i]! <= 57) day = day * 10 + buf[i++]! - 48;
  if (i - dayStart < 1 || i - dayStart > 2 || buf[i] !== COMMA || buf[i + 1] !== SPACE) return NaN;
  i += 2;
  let year = 0;
  const yearStart = i;
  while (i < end && buf[i]! >= 48 && buf[i]! <= 57) year = year * 10 + buf[i++]! - 48;
  if (i - yearStart !== 4 || buf[i] !== SPACE) return NaN;
  i++;
  let hour = 0;
  const hourStart = i;
  while (i < end && buf[i]! >= 48 && buf[i]! <= 57) hour = hour * 10 + buf[i++]! - 48;
  if (i - hourStart < 1 || i - hourStart > 2 || buf[i] !== COLON) return NaN;
  const minute = digitsAt(buf, i + 1, 2);
  const second = digitsAt(buf, i + 4, 2);
  if (minute < 0 || second < 0 || buf[i + 3] !== COLON || buf[i + 6] !== SPACE) return NaN;
  i += 7;
  const a = buf[i]! | 0x20;
  if ((a !== 97 && a !== 112) || (buf[i + 1]! | 0x20) !== 109) return NaN;
  if (hour < 1 || hour > 12) return NaN;
  const hour24 = (hour % 12) + (a === 112 ? 12 : 0);
  i += 2;
  if (i < end && buf[i] !== SPACE) return NaN;
  while (i < end && buf[i] === SPACE) i++;
  zone[0] = i;
  zone[1] = end;
  return civilToUtcMs(year, month, day, hour24, minute, second);
}

/** Resolutions of the zone tokens seen, by token: a file uses one or two. */
class ZoneCache {
  private readonly cache = new Map<string, ZoneResolution>();
  private lastBytes = new Uint8Array(0);
  private last: ZoneResolution | null = null;

  constructor(private readonly file: FileContext) {}

  resolve(buf: Uint8Array, start: number, end: number): ZoneResolution {
    const length = end - start;
    const lastBytes = this.lastBytes;
    if (this.last !== null && lastBytes.length === length) {
      let same = true;
      for (let k = 0; k < length; k++)
        if (buf[start + k] !== lastBytes[k]) {
          same = false;
          break;
        }
      if (same) return this.last;
    }
    const token = utf8Text(buf, start, end);
    let resolution = this.cache.get(token);
    if (resolution === undefined) {
      resolution = resolveZoneToken(token === '' ? null : token, this.file.options);
      if (this.cache.size < 64) this.cache.set(token, resolution);
    }
    this.lastBytes = buf.slice(start, end);
    this.last = resolution;
    return resolution;
  }
}

class ClearTrustIndexer implements TextIndexer {
  private readonly parts = emptyParts();
  private readonly zone = new Int32Array(2);
  private readonly zones: ZoneCache;
  private readonly wanted: Wanted;
  private previousTime: number | null = null;
  private lastContext: ClearTrustContext | null = null;

  constructor(file: FileContext) {
    this.zones = new ZoneCache(file);
    this.wanted = wantedOf(file);
  }

  index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    end = trimEnd(buf, start, end);
    const p = this.parts;
    if (!scan(buf, start, end, p)) {
      sink.flag(RecordFlag.ParseError);
      if (this.wanted.message) sink.field('message', buf, start, end);
      return;
    }
    const wall = parseWall(buf, start, p.timeEnd, this.zone);
    if (this.wanted.any) this.reportFields(buf, start, end, !Number.isNaN(wall), sink);
    if (Number.isNaN(wall)) {
      sink.flag(RecordFlag.BadTimestamp);
      // Tell parse which time was borrowed; one context per damaged record at most.
      if (this.lastContext === null || this.lastContext.previousTime !== this.previousTime) {
        this.lastContext = { previousTime: this.previousTime };
        sink.context(this.lastContext);
      }
      if (this.previousTime !== null) sink.time(this.previousTime);
    } else {
      const time = resolvedToUtc(wall, this.zones.resolve(buf, this.zone[0]!, this.zone[1]!));
      sink.time(time);
      this.previousTime = time;
    }
    if (p.levelStart >= 0) sink.level(buf, p.levelStart, p.levelEnd);
    if (p.serverStart >= 0) sink.source(buf, p.serverStart, p.serverEnd);
    if (p.addressStart >= 0) sink.host(buf, p.addressStart, p.addressEnd);
    if (p.codeStart >= 0) sink.code(buf, p.codeStart, p.codeEnd);
  }

  /** The fields tags read, as the byte ranges the parse takes them from. */
  private reportFields(
    buf: Uint8Array,
    start: number,
    end: number,
    timed: boolean,
    sink: IndexSink,
  ): void {
    const p = this.parts;
    const range = (name: string, s: number, e: number): void => {
      if (s >= 0 && e > s) sink.field(name, buf, s, e);
    };
    if (this.wanted.message) sink.field('message', buf, p.message, end);
    for (const name of this.wanted.names) {
      switch (name) {
        case 'timestamp':
          sink.field(name, buf, start, p.timeEnd);
          break;
        case 'thread':
          range(name, p.threadStart, p.threadEnd);
          break;
        case 'level':
          range(name, p.levelStart, p.levelEnd);
          break;
        case 'server':
          range(name, p.serverStart, p.serverEnd);
          break;
        case 'server_address':
          range(name, p.addressStart, p.addressEnd);
          break;
        case 'server_port':
          range(name, p.portStart, p.portEnd);
          break;
        case 'code':
          range(name, p.codeStart, p.codeEnd);
          break;
        case 'zone':
          if (timed) range(name, this.zone[0]!, this.zone[1]!);
          break;
      }
    }
  }
}

function parseClearTrust(
  text: string,
  context: ClearTrustContext | undefined,
  file: FileContext,
): ParsedRecord {
  const { buf, fields, slice, put } = displayText(text);
  const p = emptyParts();
  if (!scan(buf, 0, buf.length, p))
    return unparsedRecord(text, RecordFlag.ParseError, [
      'Not a ClearTrust agent log line: expected `Mon d, yyyy h:mm:ss AM TZ - [thread] - <Level> - message`.',
    ]);
  const timestamp = utf8Text(buf, 0, p.timeEnd);
  put('timestamp', timestamp);
  put('thread', slice(p.threadStart, p.threadEnd));
  put('level', slice(p.levelStart, p.levelEnd));
  put('server', slice(p.serverStart, p.serverEnd));
  put('server_address', slice(p.addressStart, p.addressEnd));
  put('server_port', slice(p.portStart, p.portEnd));
  put('code', slice(p.codeStart, p.codeEnd));
  const message = utf8Text(buf, p.message, buf.length);
  put('message', message);
  const notes: string[] = [];
  let flags = 0;
  let time: number | null;
  const zone = new Int32Array(2);
  const wall = parseWall(buf, 0, p.timeEnd, zone);
  if (Number.isNaN(wall)) {
    flags |= RecordFlag.BadTimestamp;
    const previous = context?.previousTime ?? null;
    time = previous;
    notes.push(
      previous === null
        ? `The timestamp "${timestamp}" is damaged and no earlier record has a time: this record has none. Its other parts were read as usual.`
        : `The timestamp "${timestamp}" is damaged: the record is placed at the time of the record before it (${new Date(previous).toISOString()}). Its other parts were read as usual.`,
    );
  } else {
    const token = utf8Text(buf, zone[0]!, zone[1]!);
    put('zone', token === '' ? null : token);
    const resolution = resolveZoneToken(token === '' ? null : token, file.options);
    time = resolvedToUtc(wall, resolution);
    if (resolution.note !== null) notes.push(resolution.note);
  }
  if (p.serverStart >= 0)
    notes.push(
      'server#N is the authorization server’s place in the agent’s pool; the host column is its address.',
    );
  return {
    time,
    srcIp: null,
    level: slice(p.levelStart, p.levelEnd),
    code: slice(p.codeStart, p.codeEnd),
    source: slice(p.serverStart, p.serverEnd),
    host: slice(p.addressStart, p.addressEnd),
    certHost: null,
    message,
    fields,
    flags,
    notes,
  };
}

function detectClearTrust(lines: readonly string[]): number {
  const p = emptyParts();
  const zone = new Int32Array(2);
  let seen = 0;
  let structured = 0;
  let timed = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    seen++;
    const buf = utf8Bytes(line);
    if (scan(buf, 0, buf.length, p) && p.levelStart >= 0) {
      structured++;
      if (!Number.isNaN(parseWall(buf, 0, p.timeEnd, zone))) timed++;
    }
    if (seen >= 200) break;
  }
  if (seen === 0 || timed === 0) return 0;
  const share = structured / seen;
  return share >= 0.5 ? 0.6 + 0.38 * share : 0.4 * share;
}

const KB_SOCKET_ERROR =
  'Feb 24, 2007 06:48:50 PM MST - [12] - <Critical> - server#1, 10.10.10.10:5615 CT_SOCKET_ERROR';

/** The RSA KB lines of reference/cleartrust-citrix.md §1: facts, since no real ctagent.log exists here. */
const SAMPLES: TextFormat['samples'] = [
  {
    source: 'reference cleartrust-citrix.md §1, KB 000025051 first line',
    text: KB_SOCKET_ERROR,
    expect: {
      time: Date.UTC(2007, 1, 25, 1, 48, 50),
      level: 'Critical',
      source: 'server#1',
      host: '10.10.10.10',
      code: 'CT_SOCKET_ERROR',
      message: 'server#1, 10.10.10.10:5615 CT_SOCKET_ERROR',
      flags: 0,
      fields: { thread: '12', server_port: '5615', zone: 'MST' },
    },
  },
  {
    source:
      'reference cleartrust-citrix.md §1, KB 000025051 second line with its damaged timestamp (month and day missing)',
    preamble: [KB_SOCKET_ERROR],
    text: '01, 2007 08:00:40 AM MST - [12] - <Critical> - server#1, 10.10.10.10:5615 CT_SERVER_TIMED_OUT_ERROR',
    expect: {
      time: Date.UTC(2007, 1, 25, 1, 48, 50),
      flags: RecordFlag.BadTimestamp,
      level: 'Critical',
      source: 'server#1',
      host: '10.10.10.10',
      code: 'CT_SERVER_TIMED_OUT_ERROR',
      fields: { timestamp: '01, 2007 08:00:40 AM MST', thread: '12', server_port: '5615' },
      notes: [
        'The timestamp "01, 2007 08:00:40 AM MST" is damaged: the record is placed at the time of the record before it (2007-02-25T01:48:50.000Z). Its other parts were read as usual.',
        'server#N is the authorization server’s place in the agent’s pool; the host column is its address.',
      ],
    },
  },
  {
    source: 'reference cleartrust-citrix.md §1, KB copy without the server address',
    text: 'Feb 24, 2007 06:48:50 PM MST - [12] - <Critical> - server#1, CT_SOCKET_ERROR',
    expect: { source: 'server#1', host: null, code: 'CT_SOCKET_ERROR' },
  },
  {
    source: 'reference cleartrust-citrix.md §1, KB 000023587 (older CT_SERVER_TIMED_OUT form)',
    text: 'Mar 23, 2005 08:12:47 PM EST - [2944] - <Critical> - Critical error: CT_SERVER_TIMED_OUT',
    expect: {
      time: Date.UTC(2005, 2, 24, 1, 12, 47),
      code: 'CT_SERVER_TIMED_OUT',
      source: null,
      message: 'Critical error: CT_SERVER_TIMED_OUT',
      fields: { thread: '2944' },
    },
  },
  {
    source: 'reference cleartrust-citrix.md §1, KB 000029518 (one-digit hour)',
    text: 'Mar 30, 2004 8:52:39 AM EST - [8240] - <Critical> - Unable to create token. Authorization server returned: 15',
    expect: { time: Date.UTC(2004, 2, 30, 13, 52, 39), code: null, level: 'Critical' },
  },
  {
    source: 'reference cleartrust-citrix.md §1 (Debug level, CST: an ambiguous abbreviation)',
    text: 'Dec 22, 2005 11:42:53 AM CST - [2336] - <Debug> - exception_type=TokenException, msg=(Token decryption failed)',
    expect: {
      // CST is ambiguous: with no time-zone option it is read as UTC, and the notes say so.
      time: Date.UTC(2005, 11, 22, 11, 42, 53),
      level: 'Debug',
      fields: {
        zone: 'CST',
        message: 'exception_type=TokenException, msg=(Token decryption failed)',
      },
    },
  },
];

export const clearTrust: TextFormat<ClearTrustContext> = {
  kind: 'text',
  id: 'cleartrust',
  messageKind: 'text',
  title: 'RSA ClearTrust agent log',
  description:
    'RSA ClearTrust / Access Manager web agent log (ctagent.log): 12-hour times with a zone abbreviation, thread, level, authorization server (server#N and address) and CT_* codes. Ambiguous or unknown abbreviations (CST, IST, PST, ...) are read in the file’s time zone; map them in the options. Lines with a damaged timestamp keep everything else and take the time of the record before them.',
  filePatterns: ['ctagent.log*', '*ctagent*.log', 'ct_*.log'],
  columns: ['time', 'level', 'code', 'source', 'host', 'message'],
  framing: { kind: 'lines' },
  detect(sample) {
    return detectClearTrust(sample.lines);
  },
  createIndexer(file) {
    return new ClearTrustIndexer(file);
  },
  parse(text, context, file) {
    return parseClearTrust(text, context, file);
  },
  samples: SAMPLES,
};
