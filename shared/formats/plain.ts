/**
 * Any text: every line is a record, with a timestamp, a level word and an address picked up
 * where they appear. This is where files go that no other format claims, so it must never fail
 * and must never guess wildly: a time is taken only from the start of a line, a level only from a
 * word that is clearly one, an address only when it is a valid IPv4 or IPv6 address. Indented lines
 * and `Caused by:` lines continue the record above them (Java and Python stack traces).
 */
import type { FileContext, IndexSink, TextFormat, TextIndexer } from './types';
import type { ParsedRecord } from '../record';
import { civilToUtcMs, monthFromName } from '../time/civil';
import { wallToUtc } from '../time/zone';
import { utf8Text } from './bytes';

/** Only the start of a record is searched: enough for any timestamp prefix, cheap on long lines. */
const HEAD_BYTES = 512;
const MAX_CONTINUATION_LINES = 1000;

interface TimeRule {
  readonly pattern: RegExp;
  /** Returns UTC ms, or NaN. `zone` applies when the text has no offset. */
  read(m: RegExpExecArray, zone: string | undefined, file: FileContext): number;
}

function offsetMinutes(text: string | undefined): number | null {
  if (text === undefined || text === '') return null;
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return null;
  return (Number(m[2]) * 60 + Number(m[3])) * (m[1] === '-' ? -1 : 1);
}

function fractionMs(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  return Math.floor(Number(text.slice(0, 3).padEnd(3, '0')));
}

function withZone(wall: number, offset: number | null, zone: string | undefined): number {
  if (Number.isNaN(wall)) return NaN;
  return offset === null ? wallToUtc(wall, zone) : wall - offset * 60000;
}

function hour12(hour: number, meridiem: string | undefined): number {
  if (meridiem === undefined) return hour;
  const pm = meridiem.toUpperCase() === 'PM';
  if (hour < 1 || hour > 12) return NaN;
  return (hour % 12) + (pm ? 12 : 0);
}

/** A year for dates written without one: the file's, unless that would put the date in its future. */
function yearFor(month: number, day: number, file: FileContext): number {
  const modified = new Date(file.modifiedMs);
  const year = modified.getUTCFullYear();
  const candidate = civilToUtcMs(year, month, day, 0, 0, 0);
  return candidate > file.modifiedMs + 86_400_000 ? year - 1 : year;
}

/** Tried in order; the first whose match starts within the first few characters wins. */
const TIME_RULES: readonly TimeRule[] = [
  {
    // ISO 8601 and its common relatives: 2024-03-05T08:14:02.123Z, 2024-03-05 08:14:02,123 +0100
    pattern:
      /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))? ?(Z|[+-]\d{2}:?\d{2})?(?![\d])/y,
    read: (m, zone) =>
      withZone(
        civilToUtcMs(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionMs(m[7])),
        offsetMinutes(m[8]),
        zone,
      ),
  },
  {
    // Apache/NCSA: [05/Mar/2024:08:14:02 +0000]
    pattern: /\[?(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-]\d{4}))?\]?/y,
    read: (m, zone) =>
      withZone(
        civilToUtcMs(+m[3]!, monthFromName(m[2]!), +m[1]!, +m[4]!, +m[5]!, +m[6]!),
        offsetMinutes(m[7]),
        zone,
      ),
  },
  {
    // ctime with year: Tue Mar 05 08:14:02 2024, Tue Mar  5 08:14:02.123 2024
    pattern:
      /\[?[A-Za-z]{3} ([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? (\d{4})\]?/y,
    read: (m, zone) =>
      withZone(
        civilToUtcMs(
          +m[7]!,
          monthFromName(m[1]!),
          +m[2]!,
          +m[3]!,
          +m[4]!,
          +m[5]!,
          fractionMs(m[6]),
        ),
        null,
        zone,
      ),
  },
  {
    // 2024/03/05 08:14:02
    pattern: /(\d{4})\/(\d{2})\/(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/y,
    read: (m, zone) =>
      withZone(
        civilToUtcMs(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionMs(m[7])),
        null,
        zone,
      ),
  },
  {
    // US style: 3/5/2024 8:14:02 AM, 03/05/2024 08:14:02
    pattern: /(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2}):(\d{2})(?: ?([AaPp][Mm]))?/y,
    read: (m, zone) =>
      withZone(
        civilToUtcMs(+m[3]!, +m[1]!, +m[2]!, hour12(+m[4]!, m[7]), +m[5]!, +m[6]!),
        null,
        zone,
      ),
  },
  {
    // Month name first (syslog, ClearTrust): Mar  5 08:14:02, Feb 24, 2007 06:48:50 PM
    pattern:
      /([A-Za-z]{3}) {1,2}(\d{1,2}),? (?:(\d{4}) )?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?(?: ([AaPp][Mm]))?/y,
    read: (m, zone, file) => {
      const month = monthFromName(m[1]!);
      if (month === 0) return NaN;
      const year = m[3] === undefined ? yearFor(month, +m[2]!, file) : +m[3];
      return withZone(
        civilToUtcMs(year, month, +m[2]!, hour12(+m[4]!, m[8]), +m[5]!, +m[6]!, fractionMs(m[7])),
        null,
        zone,
      );
    },
  },
  {
    // Unix epoch seconds (Squid native): 1709626442.123
    pattern: /(1\d{9})(?:\.(\d{1,6}))?(?![\d])/y,
    read: (m) => Number(m[1]) * 1000 + fractionMs(m[2]),
  },
];

/** How far into a line a timestamp may start (after a bracket, a level, a host name...). */
const TIME_SEARCH_SPAN = 40;

function isSeparator(code: number): boolean {
  // space, tab, [ ( < | , =
  return (
    code === 32 ||
    code === 9 ||
    code === 91 ||
    code === 40 ||
    code === 60 ||
    code === 124 ||
    code === 44 ||
    code === 61
  );
}

const NO_RULES: readonly number[] = [];
const ISO = [0];
const CLF = [1];
const CTIME = [2];
const SLASHED_YEAR_FIRST = [3];
const US = [4];
const MONTH_FIRST = [5];
const EPOCH = [6];
const WEEKDAYS = new Set(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Which of TIME_RULES could match at `at`, judged from a few characters, so that most positions
 * of most lines run no regular expression at all.
 */
function candidateRules(head: string, at: number): readonly number[] {
  let i = at;
  if (head.charCodeAt(i) === 91) i++; // [
  const c = head.charCodeAt(i);
  if (isDigitCode(c)) {
    let digits = 0;
    while (isDigitCode(head.charCodeAt(i + digits))) digits++;
    const next = head.charCodeAt(i + digits);
    if (digits === 4 && next === 45) return ISO; // 2024-
    if (digits === 4 && next === 47) return SLASHED_YEAR_FIRST; // 2024/
    if ((digits === 1 || digits === 2) && next === 47)
      return isDigitCode(head.charCodeAt(i + digits + 1)) ? US : CLF;
    if (digits === 10 && c === 49) return EPOCH;
    return NO_RULES;
  }
  const word = head.slice(i, i + 3).toLowerCase();
  if (head.charCodeAt(i + 3) !== 32) return NO_RULES;
  if (WEEKDAYS.has(word)) return CTIME;
  if (monthFromName(word) !== 0) return MONTH_FIRST;
  return NO_RULES;
}

/**
 * Finds the timestamp near the start of a line. Lines of one file almost always share their
 * timestamp's form and place, so the rule and position that matched last are tried first; only
 * when they fail is every position tried with every rule.
 */
class TimeFinder {
  private lastRule = -1;
  private lastAt = -1;

  constructor(private readonly file: FileContext) {}

  find(head: string): number {
    if (this.lastRule >= 0) {
      const t = this.tryAt(head, this.lastRule, this.lastAt);
      if (!Number.isNaN(t)) return t;
    }
    const limit = Math.min(head.length, TIME_SEARCH_SPAN);
    for (let at = 0; at < limit; at++) {
      if (at > 0 && !isSeparator(head.charCodeAt(at - 1))) continue;
      for (const rule of candidateRules(head, at)) {
        const t = this.tryAt(head, rule, at);
        if (!Number.isNaN(t)) {
          this.lastRule = rule;
          this.lastAt = at;
          return t;
        }
      }
    }
    return NaN;
  }

  private tryAt(head: string, index: number, at: number): number {
    const rule = TIME_RULES[index]!;
    rule.pattern.lastIndex = at;
    const m = rule.pattern.exec(head);
    return m ? rule.read(m, this.file.options.timeZone, this.file) : NaN;
  }
}

const LEVEL_WORDS =
  'EMERG(?:ENCY)?|ALERT|CRIT(?:ICAL)?|FATAL|SEVERE|ERR(?:OR)?|WARN(?:ING)?|NOTICE|INFO(?:RMATION)?|DEBUG|TRACE|VERBOSE';
// Upper case standing alone, or any case inside [ ], < > or ( ).
const LEVEL_PATTERN = new RegExp(
  `(?:^|[\\s|])(${LEVEL_WORDS})(?=[\\s:|]|$)|[[<(](?:\\w+:)?((?:${LEVEL_WORDS}))[\\]>)]`,
  'i',
);

function findLevel(head: string): string | null {
  const m = LEVEL_PATTERN.exec(head.slice(0, 200));
  if (!m) return null;
  if (m[1] !== undefined) return m[1] === m[1].toUpperCase() ? m[1] : null;
  return m[2] ?? null;
}

const IPV4 =
  /(?<![\d.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?!\d|\.\d)/;
/** Full IPv6 grammar check: 8 groups, or fewer with exactly one `::`, optional embedded IPv4. */
function isIpv6(text: string): boolean {
  let body = text;
  let groups = 8;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    if (!IPV4.test(body.slice(lastColon + 1)) || body.slice(lastColon + 1).length > 15)
      return false;
    body = body.slice(0, lastColon + 1) + '0';
    groups = 7;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const parse = (part: string): string[] | null => {
    if (part === '') return [];
    const g = part.split(':');
    return g.every((x) => /^[0-9A-Fa-f]{1,4}$/.test(x)) ? g : null;
  };
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  if (left === null || right === null) return false;
  const count = left.length + right.length;
  return halves.length === 2 ? count < groups : count === groups;
}

function isHexOrColon(code: number): boolean {
  return (
    (code >= 48 && code <= 58) ||
    (code >= 65 && code <= 70) ||
    (code >= 97 && code <= 102) ||
    code === 46
  );
}

/**
 * The first IPv6 address written as its own token (hex digits, colons and dots between
 * separators), or null. Tokens with fewer than two colons (times, ports) are skipped without
 * a closer look; the rest must pass the full grammar check.
 */
function findIpv6(text: string, before: number): string | null {
  let colon = text.indexOf(':');
  while (colon >= 0 && colon < before) {
    // The token around this colon.
    let start = colon;
    while (start > 0 && isHexOrColon(text.charCodeAt(start - 1))) start--;
    let i = colon;
    let colons = 0;
    while (i < text.length && isHexOrColon(text.charCodeAt(i))) {
      if (text.charCodeAt(i) === 58) colons++;
      i++;
    }
    colon = text.indexOf(':', i);
    const prev = start > 0 ? text.charCodeAt(start - 1) : 32;
    const next = i < text.length ? text.charCodeAt(i) : 32;
    // Part of a longer word (a host name, a hash) is not an address.
    const wordChar = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (colons >= 2 && !wordChar(prev) && !wordChar(next)) {
      let token = text.slice(start, i);
      // A trailing colon or dot ends a sentence or a label ("peer 2001:db8::5: reset").
      while (token.endsWith('.') || (token.endsWith(':') && !token.endsWith('::')))
        token = token.slice(0, -1);
      if ((token.includes('::') || token.split(':').length >= 8) && isIpv6(token)) return token;
    }
  }
  return null;
}

function findAddress(text: string): string | null {
  const v4 = IPV4.exec(text);
  const v6 = findIpv6(text, v4 ? v4.index : text.length);
  return v6 ?? (v4 ? v4[1]! : null);
}

interface Findings {
  time: number;
  level: string | null;
  srcIp: string | null;
}

function analyze(firstLine: string, times: TimeFinder): Findings {
  return {
    time: times.find(firstLine),
    level: findLevel(firstLine),
    srcIp: findAddress(firstLine),
  };
}

function firstLineOf(buf: Uint8Array, start: number, end: number): string {
  const nl = buf.indexOf(10, start);
  const lineEnd = nl < 0 || nl > end ? end : nl;
  let stop = Math.min(lineEnd, start + HEAD_BYTES);
  if (stop < lineEnd) {
    // Never cut a UTF-8 sequence in half: back up to a character boundary.
    while (stop > start && (buf[stop]! & 0xc0) === 0x80) stop--;
  }
  const text = utf8Text(buf, start, stop);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

class PlainIndexer implements TextIndexer {
  private glued = 0;
  private readonly times: TimeFinder;
  private readonly wantMessage: boolean;
  constructor(file: FileContext) {
    this.times = new TimeFinder(file);
    this.wantMessage = file.wantedFields?.has('message') === true;
  }

  continues(buf: Uint8Array, start: number, end: number): boolean {
    const c = buf[start];
    const indented = c === 32 || c === 9;
    const causedBy = end - start > 10 && utf8Text(buf, start, start + 10) === 'Caused by:';
    if ((indented || causedBy) && this.glued < MAX_CONTINUATION_LINES) {
      const head = firstLineOf(buf, start, end).trimStart();
      if (!indented || Number.isNaN(this.times.find(head))) {
        this.glued++;
        return true;
      }
    }
    this.glued = 0;
    return false;
  }

  index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    const found = analyze(firstLineOf(buf, start, end), this.times);
    if (!Number.isNaN(found.time)) sink.time(found.time);
    if (found.level !== null) sink.levelText(found.level);
    if (found.srcIp !== null) sink.srcIpText(found.srcIp);
    if (this.wantMessage) sink.field('message', buf, start, end);
  }
}

function parsePlain(text: string, file: FileContext): ParsedRecord {
  const nl = text.indexOf('\n');
  let first = nl < 0 ? text : text.slice(0, nl);
  if (first.endsWith('\r')) first = first.slice(0, -1);
  const bytes = new TextEncoder().encode(first);
  const found = analyze(firstLineOf(bytes, 0, bytes.length), new TimeFinder(file));
  return {
    time: Number.isNaN(found.time) ? null : found.time,
    srcIp: found.srcIp,
    level: found.level,
    code: null,
    source: null,
    host: null,
    certHost: null,
    message: text,
    fields: {},
    flags: 0,
    notes: ['Plain text: the time, level and address were picked up where they appear.'],
  };
}

export const plain: TextFormat = {
  kind: 'text',
  id: 'plain',
  messageKind: 'text',
  title: 'Plain text',
  description:
    'Any text file: one record per line (indented continuation lines join the line above), with timestamps, levels and IPv4/IPv6 addresses picked up where they appear.',
  filePatterns: ['*'],
  columns: ['time', 'level', 'srcIp', 'message'],
  framing: { kind: 'lines' },
  // Plain is the fallback, never chosen by score: the registry uses it when nothing else fits.
  detect: () => 0,
  createIndexer(file) {
    return new PlainIndexer(file);
  },
  parse(text, _context, file) {
    return parsePlain(text, file);
  },
  samples: [
    {
      source: 'composed: ISO timestamp, level, IPv4',
      text: '2024-03-05T08:14:02.250Z WARN handshake failed from 172.16.1.5:443',
      expect: { time: Date.UTC(2024, 2, 5, 8, 14, 2, 250), level: 'WARN', srcIp: '172.16.1.5' },
    },
    {
      source: 'composed: bracketed level, IPv6',
      text: '2024-03-05 08:14:02,100 +0100 [error] peer 2001:db8::5 reset the connection',
      expect: { time: Date.UTC(2024, 2, 5, 7, 14, 2, 100), level: 'error', srcIp: '2001:db8::5' },
    },
    {
      source: 'composed: no time, lower-case words are not levels',
      text: 'an error occurred while talking to 10.0.0.256 and 10.0.0.25.',
      expect: { time: null, level: null, srcIp: '10.0.0.25' },
    },
    {
      source: 'composed: month-name date with a year and a 12-hour clock, angle-bracket level',
      text: 'Mar 30, 2004 8:52:39 PM - [8240] - <Critical> - Unable to create token.',
      expect: { time: Date.UTC(2004, 2, 30, 20, 52, 39), level: 'Critical', srcIp: null },
    },
  ],
};
