/**
 * W3C Extended Log File Format (ELFF): Blue Coat / Symantec ProxySG access logs (any field list,
 * the SSL and bcreporter* formats included) and IIS W3C logs. Facts and sources:
 * ../shared/reference/elff-w3c.md.
 *
 * A file is directive lines (`#Fields:`, `#Date:`, ...) and entries. Every `#Fields:` line sets the
 * layout of the entries after it, however often it changes (IIS does this; whether ProxySG ever
 * does within one file is UNVERIFIED, and it is treated alike); `#Date:` sets the date for layouts
 * without a `date` field. Entries are split on runs of spaces and tabs (and any other byte below
 * 0x21, which W3C entries may not contain; IIS writes doubled spaces, ProxySG a doubled space
 * before `sc-status` in its own format strings), honouring double-quoted values with `""` for a
 * quote. A bare `-` is an absent value. An entry whose value count differs
 * from the layout is kept, flagged, and named from the left as far as it goes.
 *
 * One tokenizer finds the value boundaries; the index path and the display parse both use it and
 * the same column rules, so they cannot disagree. The index path makes no strings except for
 * directive lines and for the rare quoted value with an escaped quote in an indexed column.
 */
import type { FileContext, IndexSink, TextFormat, TextIndexer, WindowCopy } from './types';
import type { ParsedRecord } from '../record';
import { RecordFlag, unparsedRecord } from '../record';
import { civilToUtcMs, daysFromCivil, digitsAt, monthFromBytes } from '../time/civil';
import { addressIn } from './address';
import { trimEnd, utf8Bytes, utf8Text } from './bytes';
import { fieldNumber } from './wanted';
import { WordView, byteFrom } from '../text/words';
import { Kind, SIMD_MAX_VALUES, SimdTokenizer, Values, tokenize } from './w3c-values';

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DAY_MS = 86_400_000;

// ---- layouts ------------------------------------------------------------------------------------

/** Positions of the fields the common columns come from; -1 when the layout lacks one. */
interface Slots {
  readonly date: number;
  readonly time: number;
  readonly clientIp: number;
  readonly host: number;
  readonly certHostname: number;
  readonly status: number;
  /** `sc-filter-result` when the layout has it, else `s-action` (see the level rule below). */
  readonly level: number;
  readonly scheme: number;
  readonly uriPort: number;
  readonly serverPort: number;
}

export interface W3cLayout {
  /** Field identifiers in order, as the `#Fields:` line (or the default layout) names them. */
  readonly names: readonly string[];
  /** null: from a `#Fields:` line; else the name of the ProxySG default layout chosen by count. */
  readonly defaultName: string | null;
  readonly slots: Slots;
  /** Highest slot the index reads, plus one: values after it are only counted. */
  readonly storeLimit: number;
}

/** What `parse` needs to read an entry the way the indexer did. */
export interface W3cContext {
  /** The layout in force; null before any `#Fields:` line. */
  readonly layout: W3cLayout | null;
  /** Days since 1970-01-01 of the last `#Date:` directive, NaN when there was none. */
  readonly baseDay: number;
  /** Days added to `baseDay` where the time of day went back past midnight (no `date` field). */
  readonly dayShift: number;
  /** Field counts of the earlier `#Fields:` layouts of this file, for the mismatch note. */
  readonly earlierCounts: readonly number[];
}

/**
 * Level rule (decided here, documented in the format description): `sc-filter-result` is the
 * proxy's policy verdict (OBSERVED / PROXIED / DENIED — exact vendor definitions UNVERIFIED), the
 * closest thing ELFF has to a severity, and it has three values an admin can scan. `s-action`
 * (TCP_HIT, TCP_TUNNELED, TCP_DENIED, ...) mixes cache results with verdicts; it is the level only
 * for layouts without `sc-filter-result`, and it stays a named field either way. IIS has neither.
 */
function slotsOf(names: readonly string[]): Slots {
  const at = (name: string): number => names.findIndex((n) => n.toLowerCase() === name);
  const filterResult = at('sc-filter-result');
  return {
    date: at('date'),
    time: at('time'),
    clientIp: at('c-ip'),
    host: at('cs-host'),
    certHostname: at('x-rs-certificate-hostname'),
    status: at('sc-status'),
    level: filterResult >= 0 ? filterResult : at('s-action'),
    scheme: at('cs-uri-scheme'),
    uriPort: at('cs-uri-port'),
    serverPort: at('s-port'),
  };
}

export function makeLayout(names: readonly string[], defaultName: string | null = null): W3cLayout {
  const slots = slotsOf(names);
  const { date, time, clientIp, host, certHostname, status, level, scheme, uriPort, serverPort } =
    slots;
  const last = Math.max(date, time, clientIp, host, certHostname, status, level, scheme, uriPort);
  return { names, defaultName, slots, storeLimit: Math.max(last, serverPort) + 1 };
}

/**
 * ProxySG layouts used for files without a `#Fields:` line (the header was lost, or the records
 * came through syslog), chosen by value count. Each count below belongs to one layout only.
 */
const DEFAULT_LAYOUTS: readonly W3cLayout[] = [
  // SGOS 3.x default access log: the header of every real SGOS 3.2 file in the corpus
  // (stroom-docs_sampleBluecoat.log, elff-parser-scala_logfile1_SGOS3.txt).
  makeLayout(
    'date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method cs-uri-scheme cs-host cs-uri-path cs-uri-query cs-username s-hierarchy s-supplier-name rs(Content-Type) cs(User-Agent) sc-filter-result sc-filter-category x-virus-id s-ip s-sitename x-virus-details x-icap-error-code x-icap-error-details'.split(
      ' ',
    ),
    'ProxySG SGOS 3.x default access log (26 fields)',
  ),
  // SGOS 5.x "main" format: the #Fields line of public SGOS 5.4 logs (with `#Remark: … "main"`).
  // That it is the default of every 5.x/6.x release is UNVERIFIED.
  makeLayout(
    'date time time-taken c-ip cs-username cs-auth-group x-exception-id sc-filter-result cs-categories cs(Referer) sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id'.split(
      ' ',
    ),
    'ProxySG "main" access log, SGOS 5.x (25 fields)',
  ),
  // bcreporterssl_v1: the Edge SWG / ProxySG reporter SSL format as public integrations list it
  // (Elastic's ProxySG pipeline maps 40 columns in this order). UNVERIFIED against Broadcom.
  makeLayout(
    'date time time-taken c-ip cs-username cs-auth-group s-supplier-name s-supplier-ip s-supplier-country s-supplier-failures x-exception-id sc-filter-result cs-categories sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host cs-uri-port cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id cs-threat-source cs-threat-id rs-threat-source rs-threat-id x-rs-certificate-observed-errors x-cs-ocsp-error x-rs-ocsp-error x-rs-connection-negotiated-cipher-strength x-rs-certificate-hostname x-rs-certificate-hostname-category cs-threat-risk x-rs-certificate-hostname-threat-risk x-bluecoat-access-security-policy-action x-bluecoat-access-security-policy-reason'.split(
      ' ',
    ),
    'ProxySG bcreporterssl_v1 (40 fields)',
  ),
  // bcreportermain_v1, same sources and status as bcreporterssl_v1 (42 columns).
  makeLayout(
    'date time time-taken c-ip cs-username cs-auth-group s-supplier-name s-supplier-ip s-supplier-country s-supplier-failures x-exception-id sc-filter-result cs-categories cs(Referer) sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id cs-threat-source cs-threat-id rs-threat-source rs-threat-id x-bluecoat-application-name x-bluecoat-application-operation x-bluecoat-application-groups cs-threat-risk x-bluecoat-access-security-policy-action x-bluecoat-access-security-policy-reason x-bluecoat-transaction-uuid x-icap-reqmod-header(X-ICAP-Metadata) x-icap-respmod-header(X-ICAP-Metadata)'.split(
      ' ',
    ),
    'ProxySG bcreportermain_v1 (42 fields)',
  ),
];

const DEFAULT_BY_COUNT = new Map(DEFAULT_LAYOUTS.map((l) => [l.names.length, l]));

const EMPTY_CONTEXT: W3cContext = {
  layout: null,
  baseDay: NaN,
  dayShift: 0,
  earlierCounts: [],
};

/** The value is its byte range as it stands: no `""` to un-double, not cut by a missing quote. */
function isRaw(kind: number): boolean {
  return (kind & (Kind.Escaped | Kind.Unclosed)) === 0;
}

function unescape(buf: Uint8Array, start: number, end: number, kind: number): string {
  const text = utf8Text(buf, start, end);
  return (kind & Kind.Escaped) !== 0 ? text.replaceAll('""', '"') : text;
}

function isDash(buf: Uint8Array, start: number, end: number): boolean {
  return end - start === 1 && buf[start] === DASH;
}

/** Two ASCII digits at `at` as a number, or a negative number when either is not a digit. */
function twoDigits(buf: Uint8Array, at: number): number {
  const a = buf[at]! - 48;
  const b = buf[at + 1]! - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
}

/** `YYYY-MM-DD` → days since the epoch, or NaN. */
function dayOf(buf: Uint8Array, start: number, end: number): number {
  if (end - start !== 10 || buf[start + 4] !== DASH || buf[start + 7] !== DASH) return NaN;
  const year = digitsAt(buf, start, 4);
  const month = twoDigits(buf, start + 5);
  const day = twoDigits(buf, start + 8);
  if (year < 0 || Number.isNaN(civilToUtcMs(year, month, day, 0, 0, 0))) return NaN;
  return daysFromCivil(year, month, day);
}

/**
 * Entry times from `date` and `time` values, remembering the last date and the last minute:
 * consecutive entries almost always share them. An entry in the remembered minute is checked by
 * four word compares and a byte, and only its seconds are read; comparing is cheaper than reading
 * nine numbers and calendar arithmetic.
 */
class EntryClock {
  private readonly last = new Uint8Array(10);
  private lastDay = NaN;
  private readonly words = new WordView();
  /** Words of the remembered minute's `YYYY-MM-DD` at 0, 4 and 6 and `HH:MM` at 0, and byte 4. */
  private minuteKnown = false;
  private date0 = 0;
  private date4 = 0;
  private date6 = 0;
  private time0 = 0;
  private time4 = 0;
  private minuteMs = 0;

  /** {@link dayOf}, from the last date when the bytes are the same. */
  dayOf(buf: Uint8Array, start: number, end: number): number {
    const last = this.last;
    if (end - start === 10 && !Number.isNaN(this.lastDay)) {
      let same = true;
      for (let k = 0; k < 10; k++)
        if (buf[start + k] !== last[k]) {
          same = false;
          break;
        }
      if (same) return this.lastDay;
    }
    const day = dayOf(buf, start, end);
    if (!Number.isNaN(day)) {
      last.set(buf.subarray(start, end));
      this.lastDay = day;
    }
    return day;
  }

  /**
   * `YYYY-MM-DD` and `HH:MM:SS` in the remembered minute → UTC ms; NaN when they are not (the
   * caller then reads them in full).
   */
  inMinute(
    buf: Uint8Array,
    dateStart: number,
    dateEnd: number,
    start: number,
    end: number,
  ): number {
    if (!this.minuteKnown || dateEnd - dateStart !== 10 || end - start !== 8) return NaN;
    const words = this.words.words(buf);
    if (
      words.getInt32(dateStart, true) !== this.date0 ||
      words.getInt32(dateStart + 4, true) !== this.date4 ||
      words.getInt32(dateStart + 6, true) !== this.date6 ||
      words.getInt32(start, true) !== this.time0 ||
      buf[start + 4] !== this.time4 ||
      buf[start + 5] !== COLON
    )
      return NaN;
    const second = twoDigits(buf, start + 6);
    return second < 0 || second > 60 ? NaN : this.minuteMs + second * 1000;
  }

  /** Remembers the minute of valid `YYYY-MM-DD` and `HH:MM:SS` values on day `day`. */
  remember(
    buf: Uint8Array,
    dateStart: number,
    dateEnd: number,
    start: number,
    end: number,
    day: number,
  ): void {
    if (dateEnd - dateStart !== 10 || end - start !== 8) return;
    const words = this.words.words(buf);
    this.date0 = words.getInt32(dateStart, true);
    this.date4 = words.getInt32(dateStart + 4, true);
    this.date6 = words.getInt32(dateStart + 6, true);
    this.time0 = words.getInt32(start, true);
    this.time4 = buf[start + 4]!;
    this.minuteMs =
      day * DAY_MS + (twoDigits(buf, start) * 60 + twoDigits(buf, start + 3)) * 60_000;
    this.minuteKnown = true;
  }
}

/** The draft's own example `#Date: 12-Jan-1996 00:00:00` writes `DD-Mon-YYYY`. */
function draftDayOf(buf: Uint8Array, start: number, end: number): number {
  if (end - start !== 11 || buf[start + 2] !== DASH || buf[start + 6] !== DASH) return NaN;
  const day = digitsAt(buf, start, 2);
  const month = monthFromBytes(buf, start + 3);
  const year = digitsAt(buf, start + 7, 4);
  if (year < 0 || Number.isNaN(civilToUtcMs(year, month, day, 0, 0, 0))) return NaN;
  return daysFromCivil(year, month, day);
}

/** `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff…` → ms since midnight, or NaN. */
function timeOfDay(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length < 5 || buf[start + 2] !== COLON) return NaN;
  const hour = twoDigits(buf, start);
  const minute = twoDigits(buf, start + 3);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  let ms = (hour * 60 + minute) * 60_000;
  if (length === 5) return ms;
  if (length < 8 || buf[start + 5] !== COLON) return NaN;
  const second = twoDigits(buf, start + 6);
  if (second < 0 || second > 60) return NaN;
  ms += second * 1000;
  if (length === 8) return ms;
  if (buf[start + 8] !== 46 || length === 9) return NaN;
  let scale = 100;
  for (let i = start + 9; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    ms += d * scale;
    scale /= 10;
  }
  return Math.floor(ms);
}

/** `YYYY-MM-DD HH:MM:SS` (or the draft's `DD-Mon-YYYY HH:MM:SS`) of a directive → UTC ms, or NaN. */
function directiveTime(buf: Uint8Array, start: number, end: number): number {
  while (start < end && buf[start] === SPACE) start++;
  while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
  let sp = start;
  while (sp < end && buf[sp] !== SPACE) sp++;
  let day = dayOf(buf, start, sp);
  if (Number.isNaN(day)) day = draftDayOf(buf, start, sp);
  const time = sp < end ? timeOfDay(buf, sp + 1, end) : 0;
  return day * DAY_MS + time;
}

// ---- directives ---------------------------------------------------------------------------------

interface Directive {
  /** `Fields`, `Date`, ... (empty for a bare `#`). */
  readonly name: string;
  /** Start of the value (after `:` and spaces) in the buffer. */
  readonly valueStart: number;
}

function readDirective(buf: Uint8Array, start: number, end: number): Directive {
  let colon = start + 1;
  while (colon < end && buf[colon] !== COLON && buf[colon] !== SPACE) colon++;
  const name = utf8Text(buf, start + 1, colon);
  let valueStart = colon < end && buf[colon] === COLON ? colon + 1 : colon;
  while (valueStart < end && (buf[valueStart] === SPACE || buf[valueStart] === TAB)) valueStart++;
  return { name, valueStart };
}

function isTimeDirective(name: string): boolean {
  return name === 'Date' || name === 'Start-Date' || name === 'End-Date';
}

function fieldNames(buf: Uint8Array, start: number, end: number): string[] {
  return utf8Text(buf, start, end)
    .split(/[ \t]+/)
    .filter((n) => n !== '');
}

/** The context after a directive, or the same object when the directive changes nothing. */
function contextAfter(
  context: W3cContext,
  directive: Directive,
  buf: Uint8Array,
  end: number,
): W3cContext {
  if (directive.name === 'Fields') {
    const names = fieldNames(buf, directive.valueStart, end);
    const earlier =
      context.layout === null
        ? context.earlierCounts
        : [...context.earlierCounts, context.layout.names.length];
    return {
      layout: names.length === 0 ? null : makeLayout(names),
      baseDay: context.baseDay,
      dayShift: 0,
      earlierCounts: earlier,
    };
  }
  if (directive.name === 'Date') {
    const ms = directiveTime(buf, directive.valueStart, end);
    return {
      ...context,
      baseDay: Number.isNaN(ms) ? NaN : Math.floor(ms / DAY_MS),
      dayShift: 0,
    };
  }
  return context;
}

// ---- the common columns, shared by index and parse ----------------------------------------------

interface Columns {
  time: number;
  badTime: boolean;
}

/** ASCII case-insensitive comparison of [start, end) with a lower-case word. */
function equalsLower(buf: Uint8Array, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++)
    if ((buf[start + i]! | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * A TLS request, for which cs-host stands in for a missing certificate host name: scheme `https`
 * or `ssl` (public ProxySG samples show `ssl` on tunnelled TLS rows; its meaning is UNVERIFIED),
 * or port 443 (CONNECT tunnels log
 * scheme `tcp` with cs-uri-port 443; IIS logs s-port 443 for HTTPS).
 */
function isTlsRow(buf: Uint8Array, v: Values, slots: Slots): boolean {
  const s = slots.scheme;
  if (s >= 0 && s < v.count) {
    const a = v.starts[s]!;
    const e = v.ends[s]!;
    if (equalsLower(buf, a, e, 'https') || equalsLower(buf, a, e, 'ssl')) return true;
  }
  return isPort443(buf, v, slots.uriPort) || isPort443(buf, v, slots.serverPort);
}

function isPort443(buf: Uint8Array, v: Values, slot: number): boolean {
  if (slot < 0 || slot >= v.count) return false;
  const a = v.starts[slot]!;
  return v.ends[slot]! - a === 3 && buf[a] === 52 && buf[a + 1] === 52 && buf[a + 2] === 51;
}

function present(buf: Uint8Array, v: Values, slot: number): boolean {
  if (slot < 0 || slot >= v.count) return false;
  const a = v.starts[slot]!;
  const e = v.ends[slot]!;
  return e > a && !(v.kinds[slot] === Kind.Plain && isDash(buf, a, e));
}

/** The entry's time from its date/time values and the context; NaN when it has none. */
function entryTime(
  buf: Uint8Array,
  v: Values,
  context: W3cContext,
  slots: Slots,
  clock: EntryClock,
  out: Columns,
): void {
  out.time = NaN;
  out.badTime = false;
  if (!present(buf, v, slots.time)) return;
  const start = v.starts[slots.time]!;
  const end = v.ends[slots.time]!;
  let day: number;
  let tod: number;
  if (slots.date >= 0) {
    if (!present(buf, v, slots.date)) return;
    const dateStart = v.starts[slots.date]!;
    const dateEnd = v.ends[slots.date]!;
    const known = clock.inMinute(buf, dateStart, dateEnd, start, end);
    if (!Number.isNaN(known)) {
      out.time = known;
      return;
    }
    tod = timeOfDay(buf, start, end);
    day = clock.dayOf(buf, dateStart, dateEnd);
    if (Number.isNaN(day)) {
      out.badTime = true;
      return;
    }
    if (!Number.isNaN(tod)) clock.remember(buf, dateStart, dateEnd, start, end, day);
  } else {
    tod = timeOfDay(buf, start, end);
    day = context.baseDay + context.dayShift;
  }
  if (Number.isNaN(tod)) {
    out.badTime = true;
    return;
  }
  if (!Number.isNaN(day)) out.time = day * DAY_MS + tod;
}

/** Client address: the value without a port when it is an address, else the value as written. */
function clientRange(buf: Uint8Array, v: Values, slot: number, out: Int32Array): void {
  const a = v.starts[slot]!;
  const e = v.ends[slot]!;
  out[0] = a;
  out[1] = e;
  // Only a value with a colon, or starting with a bracket, can carry a port or be IPv6 (see
  // addressIn): the common dotted quad goes to the index as it is.
  if (buf[a] === 91 || byteFrom(buf, v.words.words(buf), a, e, COLON) < e)
    addressIn(buf, a, e, out);
}

function isPlainNumber(buf: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 9 || (buf[start] === 48 && length > 1)) return false;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return false;
  }
  return true;
}

// ---- index ------------------------------------------------------------------------------------

/**
 * What the index path does with one layout, worked out once per layout rather than per record:
 * where the fields some tag reads are (FileContext.wantedFields), where the message's parts are,
 * and how many values' positions the tokenizer must keep for all of that and the columns.
 */
interface IndexPlan {
  readonly layout: W3cLayout;
  /** Values whose positions are read; the tokenizer only counts the ones after them. */
  readonly limit: number;
  /**
   * Wanted fields the layout has (`message` aside): their numbers, and their positions, last
   * first. A name can stand at several positions (a repeated `#Fields` name, or a name of the
   * form extra.N); the parse keeps the value at the last one the record reaches.
   */
  readonly wantedNumbers: readonly number[];
  readonly wantedPositions: readonly (readonly number[])[];
  /** The message's parts, when a tag reads the message. */
  readonly message: MessageSlots | null;
}

function planOf(layout: W3cLayout, wanted: readonly string[], message: number): IndexPlan {
  const wantedNumbers: number[] = [];
  const wantedPositions: number[][] = [];
  wanted.forEach((name, number) => {
    if (number === message) return;
    const positions = positionsOf(layout, name);
    if (positions.length > 0) {
      wantedNumbers.push(number);
      wantedPositions.push(positions);
    }
  });
  const parts = message >= 0 ? messageSlots(layout) : null;
  const messageLimit =
    parts === null
      ? 0
      : Math.max(
          parts.uri,
          parts.host,
          parts.path,
          parts.stem,
          parts.query,
          parts.scheme,
          parts.port,
          parts.method,
          parts.exception,
        ) + 1;
  const limit = Math.max(layout.storeLimit, messageLimit, ...wantedPositions.map((p) => p[0]! + 1));
  return { layout, limit, wantedNumbers, wantedPositions, message: parts };
}

/**
 * Every position whose value the parse names `name`, last first: where the layout lists it, and
 * past the layout's end the values it names extra.1, extra.2, …
 */
function positionsOf(layout: W3cLayout, name: string): number[] {
  const positions: number[] = [];
  const extra = /^extra\.([1-9]\d*)$/.exec(name);
  if (extra !== null) positions.push(layout.names.length + Number(extra[1]) - 1);
  for (let p = layout.names.length - 1; p >= 0; p--)
    if (layout.names[p] === name) positions.push(p);
  return positions;
}

class W3cIndexer implements TextIndexer {
  private context: W3cContext = EMPTY_CONTEXT;
  /** Field names tags read, in the order that numbers them (see `fieldNumber`). */
  private readonly wanted: readonly string[];
  /** The number of `message` among them, or -1. */
  private readonly messageNumber: number;
  private readonly plans = new WeakMap<W3cLayout, IndexPlan>();
  /** The plan of the layout last used (layouts change rarely: one comparison per record). */
  private plan: IndexPlan | null = null;
  /** Values to keep positions for while a file has no `#Fields` (any default layout may fit). */
  private readonly headerlessLimit: number;
  private readonly builder = new ByteBuilder();
  /** The values of the entry being indexed: `simd.values` or `jsValues`. */
  private values: Values;
  private readonly jsValues = new Values();
  private readonly simd = SimdTokenizer.create();
  private readonly columns: Columns = { time: NaN, badTime: false };
  private readonly range = new Int32Array(2);
  private readonly clock = new EntryClock();
  /** Time of day of the previous entry (layouts without `date`), for midnight roll-over. */
  private lastTimeOfDay = NaN;

  constructor(file: FileContext) {
    this.values = this.jsValues;
    this.wanted = [...(file.wantedFields ?? [])];
    this.messageNumber = fieldNumber(file, 'message');
    this.headerlessLimit = Math.max(...DEFAULT_LAYOUTS.map((l) => this.planFor(l).limit));
  }

  private planFor(layout: W3cLayout): IndexPlan {
    const last = this.plan;
    if (last !== null && last.layout === layout) return last;
    let plan = this.plans.get(layout);
    if (plan === undefined) {
      plan = planOf(layout, this.wanted, this.messageNumber);
      this.plans.set(layout, plan);
    }
    this.plan = plan;
    return plan;
  }

  index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    end = trimEnd(buf, start, end);
    if (buf[start] === HASH) {
      this.indexDirective(buf, start, end, sink);
      return;
    }
    let context = this.context;
    const limit =
      context.layout === null ? this.headerlessLimit : this.planFor(context.layout).limit;
    const simd = this.simd;
    let v: Values;
    if (simd !== null && limit <= SIMD_MAX_VALUES && simd.holds(buf)) v = simd.tokenize(start, end);
    else {
      v = this.jsValues;
      tokenize(buf, start, end, limit, v);
    }
    this.values = v;
    // The split that made `v`, when it was the module's: it has read the address and the status.
    const split = v === simd?.values ? simd : null;
    const layout = context.layout ?? DEFAULT_BY_COUNT.get(v.count);
    if (layout === undefined) {
      sink.flag(RecordFlag.ParseError);
      if (this.messageNumber >= 0) sink.fieldByNumber(this.messageNumber, buf, start, end);
      return;
    }
    const plan = this.planFor(layout);
    if (plan.wantedPositions.length > 0 || plan.message !== null)
      this.reportFields(buf, start, end, plan, sink);
    const slots = layout.slots;
    if (v.count !== layout.names.length) sink.flag(RecordFlag.FieldCountMismatch);
    if (slots.date < 0 && present(buf, v, slots.time)) {
      // No date field: the date is #Date's, moved on a day when the clock goes back past midnight.
      const tod = timeOfDay(buf, v.starts[slots.time]!, v.ends[slots.time]!);
      if (!Number.isNaN(tod)) {
        if (tod < this.lastTimeOfDay - DAY_MS / 2 && !Number.isNaN(context.baseDay)) {
          context = { ...context, dayShift: context.dayShift + 1 };
          this.context = context;
          sink.context(context);
        }
        this.lastTimeOfDay = tod;
      }
    }
    const columns = this.columns;
    entryTime(buf, v, context, slots, this.clock, columns);
    if (columns.badTime) sink.flag(RecordFlag.BadTimestamp);
    else if (!Number.isNaN(columns.time)) sink.time(columns.time);
    const ipv4 = split !== null ? split.clientIpv4(slots.clientIp) : -1;
    if (ipv4 >= 0) sink.srcIpv4(ipv4);
    else if (present(buf, v, slots.clientIp)) {
      if (isRaw(v.kinds[slots.clientIp]!)) {
        clientRange(buf, v, slots.clientIp, this.range);
        sink.srcIp(buf, this.range[0]!, this.range[1]!);
      } else sink.srcIpText(this.text(buf, slots.clientIp));
    }
    this.put(buf, slots.level, sink, Column.Level);
    const status = split !== null ? split.statusNumber(slots.status) : -1;
    if (status >= 0) sink.codeNumber(status);
    else if (present(buf, v, slots.status)) {
      const a = v.starts[slots.status]!;
      const e = v.ends[slots.status]!;
      if (v.kinds[slots.status] === Kind.Plain && isPlainNumber(buf, a, e)) {
        let value = 0;
        for (let i = a; i < e; i++) value = value * 10 + buf[i]! - 48;
        sink.codeNumber(value);
      } else this.put(buf, slots.status, sink, Column.Code);
    }
    const hasHost = this.put(buf, slots.host, sink, Column.Host);
    if (
      !this.put(buf, slots.certHostname, sink, Column.CertHost) &&
      hasHost &&
      isTlsRow(buf, v, slots)
    )
      sink.certHostFromHost();
  }

  /** Hands the tags the fields they read, with exactly the values the parse gives them. */
  private reportFields(
    buf: Uint8Array,
    start: number,
    end: number,
    plan: IndexPlan,
    sink: IndexSink,
  ): void {
    const v = this.values;
    const builder = this.builder;
    const wanted = plan.wantedPositions;
    for (let k = 0; k < wanted.length; k++) {
      // The value is at the last position the record reaches (short records reach fewer).
      const positions = wanted[k]!;
      let slot = -1;
      for (let i = 0; i < positions.length && slot < 0; i++)
        if (positions[i]! < v.count) slot = positions[i]!;
      if (slot < 0) continue;
      const kind = v.kinds[slot]!;
      const number = plan.wantedNumbers[k]!;
      if (isRaw(kind)) sink.fieldByNumber(number, buf, v.starts[slot]!, v.ends[slot]!);
      else {
        builder.length = 0;
        builder.value(buf, v.starts[slot]!, v.ends[slot]!, kind);
        sink.fieldByNumber(number, builder.bytes, 0, builder.length);
      }
    }
    if (plan.message !== null) {
      const number = this.messageNumber;
      if (composeMessage(buf, v, plan.message, builder))
        sink.fieldByNumber(number, builder.bytes, 0, builder.length);
      else sink.fieldByNumber(number, buf, start, end);
    }
  }

  private text(buf: Uint8Array, slot: number): string {
    const v = this.values;
    return unescape(buf, v.starts[slot]!, v.ends[slot]!, v.kinds[slot]!);
  }

  /** Writes a value to a dictionary column when it is present; returns whether it was. */
  private put(buf: Uint8Array, slot: number, sink: IndexSink, column: Column): boolean {
    const v = this.values;
    if (!present(buf, v, slot)) return false;
    const kind = v.kinds[slot]!;
    const a = v.starts[slot]!;
    const e = v.ends[slot]!;
    if ((kind & Kind.Escaped) !== 0) {
      const text = this.text(buf, slot);
      if (column === Column.Level) sink.levelText(text);
      else if (column === Column.Code) sink.codeText(text);
      else if (column === Column.Host) sink.hostText(text);
      else sink.certHostText(text);
    } else if (column === Column.Level) sink.level(buf, a, e);
    else if (column === Column.Code) sink.code(buf, a, e);
    else if (column === Column.Host) sink.host(buf, a, e);
    else sink.certHost(buf, a, e);
    return true;
  }

  window(window: Uint8Array): WindowCopy | undefined {
    return this.simd?.load(window);
  }

  private indexDirective(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    // A directive has no time of its own: its #Date is when the header was written, often days
    // before the records (the Stroom sample: #Date 2005-04-27, records 2005-05-04), and on the
    // timeline it would stretch the file's span.
    sink.flag(RecordFlag.Directive);
    const directive = readDirective(buf, start, end);
    if (this.messageNumber >= 0) sink.fieldByNumber(this.messageNumber, buf, start, end);
    if (this.wanted.includes('directive'))
      sink.field('directive', buf, start + 1, start + 1 + utf8Bytes(directive.name).length);
    if (this.wanted.includes('value')) sink.field('value', buf, directive.valueStart, end);
    const next = contextAfter(this.context, directive, buf, end);
    if (next !== this.context) {
      this.context = next;
      this.lastTimeOfDay = NaN;
      sink.context(next);
      // The lines to come are split before they reach `index`: tell the split now.
      if (this.simd !== null) {
        this.simd.clientAt = next.layout?.slots.clientIp ?? -1;
        this.simd.statusAt = next.layout?.slots.status ?? -1;
      }
    }
  }
}

const enum Column {
  Level,
  Code,
  Host,
  CertHost,
}

// ---- parse ------------------------------------------------------------------------------------

function parseDirective(text: string, buf: Uint8Array, context: W3cContext): ParsedRecord {
  const directive = readDirective(buf, 0, buf.length);
  const value = utf8Text(buf, directive.valueStart, trimEnd(buf, directive.valueStart, buf.length));
  const notes: string[] = [];
  if (isTimeDirective(directive.name)) {
    const ms = directiveTime(buf, directive.valueStart, buf.length);
    notes.push(
      Number.isNaN(ms)
        ? `The #${directive.name} value is not a date and time.`
        : `#${directive.name}: ${new Date(ms).toISOString()} (UTC). Header lines are not placed on the timeline.`,
    );
  }
  if (directive.name === 'Fields') {
    const layout = contextAfter(context, directive, buf, buf.length).layout;
    notes.push(
      layout === null
        ? 'This #Fields line names no fields: the records after it are read as if the file had no header.'
        : `The ${layout.names.length} fields named here apply to the records after this line, until the next #Fields line.`,
    );
  } else if (directive.name === 'Date')
    notes.push(
      'The date here is used for the records after it whose layout has no date field (W3C dates are UTC).',
    );
  return {
    time: null,
    srcIp: null,
    level: null,
    code: null,
    source: null,
    host: null,
    certHost: null,
    message: text,
    fields: { directive: directive.name, value },
    flags: RecordFlag.Directive,
    notes,
  };
}

/**
 * Where the message's parts are: the URL fields and `cs-method`, `x-exception-id`. The last field
 * of a name counts, as in the parsed `fields` object.
 */
interface MessageSlots {
  readonly uri: number;
  readonly host: number;
  readonly path: number;
  readonly stem: number;
  readonly query: number;
  readonly scheme: number;
  readonly port: number;
  readonly method: number;
  readonly exception: number;
}

function messageSlotsOf(names: readonly string[]): MessageSlots {
  const at = (name: string): number => names.lastIndexOf(name);
  return {
    uri: at('cs-uri'),
    host: at('cs-host'),
    path: at('cs-uri-path'),
    stem: at('cs-uri-stem'),
    query: at('cs-uri-query'),
    scheme: at('cs-uri-scheme'),
    port: at('cs-uri-port'),
    method: at('cs-method'),
    exception: at('x-exception-id'),
  };
}

const messageSlotCache = new WeakMap<W3cLayout, MessageSlots>();

function messageSlots(layout: W3cLayout): MessageSlots {
  let slots = messageSlotCache.get(layout);
  if (slots === undefined) {
    slots = messageSlotsOf(layout.names);
    messageSlotCache.set(layout, slots);
  }
  return slots;
}

/** A growable byte buffer for values put together from several fields. */
class ByteBuilder {
  bytes = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const bytes = new Uint8Array(size);
    bytes.set(this.bytes.subarray(0, this.length));
    this.bytes = bytes;
  }

  ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i);
  }

  /** A value's bytes, with `""` un-doubled when the value had them. */
  value(buf: Uint8Array, start: number, end: number, kind: number): void {
    this.room(end - start);
    const out = this.bytes;
    let n = this.length;
    if ((kind & Kind.Escaped) === 0) for (let i = start; i < end; i++) out[n++] = buf[i]!;
    else
      for (let i = start; i < end; i++) {
        out[n++] = buf[i]!;
        if (buf[i] === QUOTE && buf[i + 1] === QUOTE && i + 1 < end) i++;
      }
    this.length = n;
  }
}

/** A value that stands for nothing in the message: absent, `-` or empty. */
function blank(buf: Uint8Array, v: Values, slot: number): boolean {
  if (slot < 0 || slot >= v.count) return true;
  const a = v.starts[slot]!;
  const e = v.ends[slot]!;
  return e === a || (e - a === 1 && buf[a] === DASH);
}

/** The value at `slot` appended to `out` (un-doubled). */
function putValue(out: ByteBuilder, buf: Uint8Array, v: Values, slot: number): void {
  out.value(buf, v.starts[slot]!, v.ends[slot]!, v.kinds[slot]!);
}

/** `http` with port `80` or `https` with `443`: the port goes without saying in the URL. */
function isDefaultPort(buf: Uint8Array, v: Values, scheme: number, port: number): boolean {
  const s = v.starts[scheme]!;
  const p = v.starts[port]!;
  const schemeLength = v.ends[scheme]! - s;
  const portLength = v.ends[port]! - p;
  if (buf[s] !== 104 || buf[s + 1] !== 116 || buf[s + 2] !== 116 || buf[s + 3] !== 112)
    return false;
  if (schemeLength === 4) return portLength === 2 && buf[p] === 56 && buf[p + 1] === 48;
  return (
    schemeLength === 5 &&
    buf[s + 4] === 115 &&
    portLength === 3 &&
    buf[p] === 52 &&
    buf[p + 1] === 52 &&
    buf[p + 2] === 51
  );
}

/**
 * The message column, `METHOD url [exception]`, from whichever URL fields the layout has, written
 * into `out` as bytes: the index hands it to the tags and the parse decodes it, so both see the
 * same text. False when there is nothing to say (the message is then the record's text).
 */
function composeMessage(buf: Uint8Array, v: Values, m: MessageSlots, out: ByteBuilder): boolean {
  out.length = 0;
  if (!blank(buf, v, m.method)) putValue(out, buf, v, m.method);
  const urlStart = out.length + (out.length > 0 ? 1 : 0);
  if (out.length > 0) out.ascii(' ');
  if (!blank(buf, v, m.uri)) putValue(out, buf, v, m.uri);
  else {
    if (!blank(buf, v, m.host)) {
      const hasScheme = !blank(buf, v, m.scheme);
      if (hasScheme) {
        putValue(out, buf, v, m.scheme);
        out.ascii('://');
      }
      putValue(out, buf, v, m.host);
      const port = m.port;
      if (!blank(buf, v, port) && !(hasScheme && isDefaultPort(buf, v, m.scheme, port))) {
        out.ascii(':');
        putValue(out, buf, v, port);
      }
    }
    if (!blank(buf, v, m.path)) putValue(out, buf, v, m.path);
    else if (!blank(buf, v, m.stem)) putValue(out, buf, v, m.stem);
    if (!blank(buf, v, m.query)) {
      if (buf[v.starts[m.query]!] !== 63) out.ascii('?');
      putValue(out, buf, v, m.query);
    }
  }
  // No URL: drop the space written after the method.
  if (out.length === urlStart && urlStart > 0) out.length--;
  if (!blank(buf, v, m.exception)) {
    if (out.length > 0) out.ascii(' ');
    out.ascii('[');
    putValue(out, buf, v, m.exception);
    out.ascii(']');
  }
  return out.length > 0;
}

function parseW3c(text: string, context: W3cContext | undefined): ParsedRecord {
  const ctx = context ?? EMPTY_CONTEXT;
  const buf = utf8Bytes(text);
  if (buf[0] === HASH) return parseDirective(text, buf, ctx);
  const v = new Values();
  tokenize(buf, 0, buf.length, Number.MAX_SAFE_INTEGER, v);
  const notes: string[] = [];
  const layout = ctx.layout ?? DEFAULT_BY_COUNT.get(v.count);
  if (layout === undefined) {
    const counts = [...DEFAULT_BY_COUNT.keys()].sort((a, b) => a - b).join(', ');
    return unparsedRecord(text, RecordFlag.ParseError, [
      `No #Fields line precedes this record, and its ${v.count} values match none of the ProxySG default layouts LogSieve knows (${counts} fields). Open the file with its #Fields header, or check that it is a W3C log.`,
    ]);
  }
  const slots = layout.slots;
  const n = v.count;
  let flags = 0;
  const fields: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const name =
      i < layout.names.length ? layout.names[i]! : `extra.${i - layout.names.length + 1}`;
    fields[name] = unescape(buf, v.starts[i]!, v.ends[i]!, v.kinds[i]!);
  }
  if (layout.defaultName !== null)
    notes.push(
      `No #Fields line precedes this record: its ${n} values were named after the ${layout.defaultName}.`,
    );
  if (n !== layout.names.length) {
    flags |= RecordFlag.FieldCountMismatch;
    let note = `Field count mismatch: the #Fields line in force lists ${layout.names.length} fields, this record has ${n} values. Fields were filled from the left`;
    note +=
      n < layout.names.length
        ? `; the last ${layout.names.length - n} are missing.`
        : `; the ${n - layout.names.length} values beyond them are kept as extra.1…`;
    if (ctx.earlierCounts.includes(n))
      note += ` An earlier #Fields line of this file lists ${n} fields: the values may follow that layout.`;
    notes.push(note);
  }
  if (v.unclosed)
    notes.push('A quoted value has no closing quote: it runs to the end of the line.');
  const columns: Columns = { time: NaN, badTime: false };
  entryTime(buf, v, ctx, slots, new EntryClock(), columns);
  if (columns.badTime) {
    flags |= RecordFlag.BadTimestamp;
    notes.push(
      'The date or time value is not in the W3C YYYY-MM-DD / HH:MM:SS form; no time was set.',
    );
  } else if (slots.date < 0 && present(buf, v, slots.time)) {
    if (Number.isNaN(ctx.baseDay))
      notes.push(
        'The layout has no date field and no #Date line precedes this record: no time was set.',
      );
    else {
      const date = new Date((ctx.baseDay + ctx.dayShift) * DAY_MS).toISOString().slice(0, 10);
      notes.push(
        ctx.dayShift === 0
          ? `The layout has no date field: the date ${date} comes from the #Date line.`
          : `The layout has no date field: the date ${date} is the #Date line's, moved on ${ctx.dayShift} day(s) where the time of day went back past midnight.`,
      );
    }
  }
  const value = (slot: number): string | null =>
    present(buf, v, slot) ? unescape(buf, v.starts[slot]!, v.ends[slot]!, v.kinds[slot]!) : null;
  const builder = new ByteBuilder();
  let srcIp: string | null = null;
  if (present(buf, v, slots.clientIp)) {
    if (isRaw(v.kinds[slots.clientIp]!)) {
      const range = new Int32Array(2);
      clientRange(buf, v, slots.clientIp, range);
      srcIp = utf8Text(buf, range[0]!, range[1]!);
    } else srcIp = value(slots.clientIp);
  }
  const host = value(slots.host);
  let certHost = value(slots.certHostname);
  if (certHost === null && host !== null && isTlsRow(buf, v, slots)) {
    certHost = host;
    notes.push(
      slots.certHostname < 0
        ? 'TLS request: the certificate host column shows cs-host (the layout has no x-rs-certificate-hostname).'
        : 'TLS request without x-rs-certificate-hostname: the certificate host column shows cs-host.',
    );
  }
  return {
    time: Number.isNaN(columns.time) ? null : columns.time,
    srcIp,
    level: value(slots.level),
    code: value(slots.status),
    source: null,
    host,
    certHost,
    message: composeMessage(buf, v, messageSlots(layout), builder)
      ? utf8Text(builder.bytes, 0, builder.length)
      : text,
    fields,
    flags,
    notes,
  };
}

// ---- detection ----------------------------------------------------------------------------------

const DIRECTIVES = ['#Software:', '#Version:', '#Date:', '#Fields:', '#Remark:', '#Start-Date:'];

function detectW3c(lines: readonly string[]): number {
  let seen = 0;
  let directives = 0;
  let fields = false;
  let entries = 0;
  let defaultFits = 0;
  const values = new Values();
  for (const line of lines) {
    if (line.trim() === '') continue;
    seen++;
    if (line.startsWith('#')) {
      if (DIRECTIVES.some((d) => line.startsWith(d))) directives++;
      if (line.startsWith('#Fields:')) fields = true;
    } else {
      entries++;
      const buf = utf8Bytes(line);
      tokenize(buf, 0, buf.length, 2, values);
      const layout = DEFAULT_BY_COUNT.get(values.count);
      // A headerless ProxySG record: a known value count and a W3C date and time first.
      if (
        layout !== undefined &&
        !Number.isNaN(dayOf(buf, values.starts[0]!, values.ends[0]!)) &&
        !Number.isNaN(timeOfDay(buf, values.starts[1]!, values.ends[1]!))
      )
        defaultFits++;
    }
    if (seen >= 200) break;
  }
  if (seen === 0) return 0;
  if (fields) return 0.97;
  if (directives >= 2 && entries === 0) return 0.9;
  if (entries === 0) return directives > 0 ? 0.5 : 0;
  const share = defaultFits / entries;
  if (share >= 0.8) return directives > 0 ? 0.9 : 0.75;
  return directives > 0 ? 0.55 * share + 0.3 : 0.4 * share;
}

const SGOS3_HEADER = [
  '#Software: SGOS 3.2.4.28',
  '#Version: 1.0',
  '#Date: 2005-04-27 20:57:09',
  '#Fields: date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method cs-uri-scheme cs-host cs-uri-path cs-uri-query cs-username s-hierarchy s-supplier-name rs(Content-Type) cs(User-Agent) sc-filter-result sc-filter-category x-virus-id s-ip s-sitename x-virus-details x-icap-error-code x-icap-error-details',
];

/** The composed KB 171396-style header of reference/elff-w3c.md §4 (field order ours). */
const SSL_HEADER = [
  '#Software: SGOS 6.7.5.3',
  '#Version: 1.0',
  '#Date: 2024-03-05 08:00:00',
  '#Fields: date time time-taken c-ip cs-username x-exception-id sc-filter-result cs-categories sc-status s-action cs-method cs-host cs-uri-port x-rs-certificate-hostname x-rs-certificate-validate-status x-rs-certificate-observed-errors x-cs-ocsp-error x-rs-ocsp-error x-rs-connection-negotiated-cipher-strength s-ip',
];

const SAMPLES: TextFormat['samples'] = [
  {
    source: 'corpus elff/stroom-docs_sampleBluecoat.log line 5 (SGOS 3.2, 26 fields)',
    preamble: SGOS3_HEADER,
    text: '2005-05-04 17:16:12 1 45.110.2.82 200 TCP_HIT 941 729 GET http www.inmobus.com /wcm/assets/images/imagefileicon.gif - george DIRECT 38.112.92.20 image/gif "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1; .NET CLR 1.1.4322)" PROXIED none - 192.16.170.42 SG-HTTP-Service - none -',
    expect: {
      time: Date.UTC(2005, 4, 4, 17, 16, 12),
      srcIp: '45.110.2.82',
      level: 'PROXIED',
      code: '200',
      host: 'www.inmobus.com',
      certHost: null,
      message: 'GET http://www.inmobus.com/wcm/assets/images/imagefileicon.gif',
      flags: 0,
      fields: {
        's-action': 'TCP_HIT',
        'cs-username': 'george',
        'cs(User-Agent)':
          'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1; .NET CLR 1.1.4322)',
        'x-icap-error-details': '-',
      },
    },
  },
  {
    source: 'corpus elff/elff-parser-scala_logfile1_SGOS3.txt line 5 (DENIED, quoted ICAP error)',
    preamble: SGOS3_HEADER,
    text: '2005-04-12 21:03:45 57358 192.16.170.46 503 TCP_ERR_MISS 1736 617 GET http www.yahoo.com / - - NONE 192.16.170.42 - "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)" DENIED none - 192.16.170.42 SG-HTTP-Service - server_unavailable "Server unavailable: No ICAP server is available to process request."',
    expect: {
      time: Date.UTC(2005, 3, 12, 21, 3, 45),
      level: 'DENIED',
      code: '503',
      fields: {
        's-action': 'TCP_ERR_MISS',
        'x-icap-error-code': 'server_unavailable',
        'x-icap-error-details':
          'Server unavailable: No ICAP server is available to process request.',
      },
    },
  },
  {
    source:
      'corpus elff/elff-parser-scala_logfile2_no_fields_header.txt line 4 (no #Fields: SGOS 3 default by count)',
    preamble: ['#Software: SGOS 3.2.4.8', '#Version: 1.0', '#Date: 2005-04-12 19:56:33'],
    text: '2005-04-12 22:00:43 74721 192.16.170.45 503 TCP_ERR_MISS 1736 503 GET http www.cnn.com / - - NONE 192.16.170.43 - "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.0; FunWebProducts-MyWay)" DENIED none - 192.16.170.43 SG-HTTP-Service - server_unavailable "Server unavailable: No ICAP server is available to process request."',
    expect: {
      time: Date.UTC(2005, 3, 12, 22, 0, 43),
      srcIp: '192.16.170.45',
      host: 'www.cnn.com',
      level: 'DENIED',
      flags: 0,
      notes: [
        'No #Fields line precedes this record: its 26 values were named after the ProxySG SGOS 3.x default access log (26 fields).',
      ],
      fields: { 's-supplier-name': '192.16.170.43', 'x-icap-error-code': 'server_unavailable' },
    },
  },
  {
    source: 'reference elff-w3c.md §4, first SSL line (composed, KB 171396 style)',
    preamble: SSL_HEADER,
    text: '2024-03-05 08:14:02 312 10.20.30.41 jdoe - OBSERVED "Technology/Internet" 200 TCP_TUNNELED CONNECT portal.example.net 443 portal.example.net - revoked-by-ocsp - - high 10.1.1.5',
    expect: {
      time: Date.UTC(2024, 2, 5, 8, 14, 2),
      srcIp: '10.20.30.41',
      level: 'OBSERVED',
      code: '200',
      host: 'portal.example.net',
      certHost: 'portal.example.net',
      flags: 0,
      fields: {
        'x-rs-certificate-observed-errors': 'revoked-by-ocsp',
        'cs-categories': 'Technology/Internet',
      },
    },
  },
  {
    source: 'reference elff-w3c.md §4, second SSL line: certificate host differs from cs-host',
    preamble: SSL_HEADER,
    text: '2024-03-05 08:14:07 45 10.20.30.77 - policy_denied DENIED "Uncategorized" 403 TCP_DENIED CONNECT 203.0.113.9 443 www.example.org - hostname-mismatch - - medium 10.1.1.5',
    expect: {
      level: 'DENIED',
      code: '403',
      host: '203.0.113.9',
      certHost: 'www.example.org',
      message: 'CONNECT 203.0.113.9:443 [policy_denied]',
    },
  },
  {
    source:
      'composed after KB 171396: a record with fewer values than its #Fields (cut after the certificate host)',
    preamble: SSL_HEADER,
    text: '2024-03-05 08:14:09 1890 10.20.31.2 - - PROXIED "Business/Economy;Technology/Internet" 200 TCP_NC_MISS GET intranet.example.com 443 intranet.example.com',
    expect: {
      time: Date.UTC(2024, 2, 5, 8, 14, 9),
      srcIp: '10.20.31.2',
      level: 'PROXIED',
      certHost: 'intranet.example.com',
      flags: RecordFlag.FieldCountMismatch,
      notes: [
        'Field count mismatch: the #Fields line in force lists 20 fields, this record has 14 values. Fields were filled from the left; the last 6 are missing.',
      ],
      fields: { 'x-rs-certificate-hostname': 'intranet.example.com' },
    },
  },
  {
    source: 'reference elff-w3c.md §4, plain W3C quoting with a doubled quote',
    preamble: [
      '#Version: 1.0',
      '#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent)',
    ],
    text: '2024-03-05 08:15:00 192.0.2.10 GET /index.html 200 "Probe ""beta"" 1.0"',
    expect: {
      srcIp: '192.0.2.10',
      code: '200',
      message: 'GET /index.html',
      fields: { 'cs(User-Agent)': 'Probe "beta" 1.0' },
    },
  },
  {
    source:
      'composed: SGOS 5 "main" layout (doubled space before sc-status as ProxySG writes it), CONNECT tunnel: cs-host stands in for the certificate host',
    preamble: [
      '#Fields: date time time-taken c-ip cs-username cs-auth-group x-exception-id sc-filter-result cs-categories cs(Referer) sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id',
    ],
    text: '2024-03-05 08:16:40 30403 10.20.30.41 - - - OBSERVED "Technology/Internet" -  200 TCP_TUNNELED CONNECT - tcp portal.example.net 443 / - - - 10.1.1.5 7738 2855 -',
    expect: {
      srcIp: '10.20.30.41',
      level: 'OBSERVED',
      host: 'portal.example.net',
      certHost: 'portal.example.net',
      flags: 0,
      fields: { 'cs(Referer)': '-', 'sc-status': '200', 's-action': 'TCP_TUNNELED' },
    },
  },
  {
    source: 'corpus iis/plaso_iis_without_date.log line 5 (no date field: #Date gives the date)',
    preamble: [
      '#Software: Microsoft Internet Information Services 6.0',
      '#Version: 1.0',
      '#Date: 2013-07-30 00:00:00',
      '#Fields: time s-sitename s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) sc-status sc-substatus sc-win32-status ',
    ],
    text: '00:00:03 SOME1234NAME 10.10.10.100 GET /some/image/path/something.htm - 80 - 22.22.22.200 HTTP/1.1 Mozilla/5.0+(Macintosh;+Intel+Mac+OS+X+10_6_8)+AppleWebKit/534.57.2+(KHTML,+like+Gecko)+Version/5.1.7+Safari/534.57.2 404 0 0',
    expect: {
      time: Date.UTC(2013, 6, 30, 0, 0, 3),
      srcIp: '22.22.22.200',
      code: '404',
      level: null,
      host: null,
      fields: { 's-sitename': 'SOME1234NAME', 'cs-version': 'HTTP/1.1' },
    },
  },
  {
    source: 'corpus iis/plaso_iis10_edge_cases.log line 5 (doubled space, IPv6 client)',
    preamble: [
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
    ],
    text: '2022-01-01 00:01:24 ::1 POST /powershell clientApplication=ActiveMonitor;PSVersion=5.1.14393.4467 444  random\\ranuser1 ::1 Microsoft+WinRM+Client - 200 0 0 15',
    expect: {
      time: Date.UTC(2022, 0, 1, 0, 1, 24),
      srcIp: '::1',
      code: '200',
      flags: 0,
      message: 'POST /powershell?clientApplication=ActiveMonitor;PSVersion=5.1.14393.4467',
      fields: { 'cs-username': 'random\\ranuser1', 'time-taken': '15' },
    },
  },
  {
    source:
      'corpus iis/beats_iis_access_test_multiheader.log line 16 (15 values under the third, 22-field header)',
    preamble: [
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
      '2018-01-01 08:09:10 127.0.0.1 GET / q=100 80 - 81.2.69.143 Mozilla/5.0+(Windows+NT+6.1;+Win64;+x64;+rv:57.0)+Gecko/20100101+Firefox/57.0 - 200 0 0 123',
      '#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken',
    ],
    text: "2018-12-31 12:52:33 10.44.0.136 GET /${#context['xwork.MethodAccessor.denyMethodExecution']=!(#_memberAccess['allowStaticMethodAccess']=true),(@java.lang.Runtime@getRuntime()).exec('ipconfig').waitFor()}.action - 443 - 10.50.6.188 Mozilla/4.0+(compatible;+MSIE+8.0;+Windows+NT+5.1;+Trident/4.0) - 404 0 2 0",
    expect: {
      time: Date.UTC(2018, 11, 31, 12, 52, 33),
      flags: RecordFlag.FieldCountMismatch,
      srcIp: null,
      notes: [
        'Field count mismatch: the #Fields line in force lists 22 fields, this record has 15 values. Fields were filled from the left; the last 7 are missing. An earlier #Fields line of this file lists 15 fields: the values may follow that layout.',
      ],
      fields: { 's-sitename': '10.44.0.136', 'cs-method': '-' },
    },
  },
];

export const w3c: TextFormat<W3cContext> = {
  kind: 'text',
  id: 'w3c',
  messageKind: 'request',
  title: 'W3C extended (ELFF): ProxySG, IIS',
  description:
    'W3C Extended Log File Format as Blue Coat / Symantec ProxySG and Microsoft IIS write it: fields from each #Fields line (which may change mid-file), quoted values, - for absent values, UTC times, #Date for layouts without a date. Records whose value count differs from the header are kept and flagged. Files without #Fields get a known ProxySG default layout when their value count fits one. Level is sc-filter-result (else s-action); certificate host is x-rs-certificate-hostname, else cs-host for TLS requests.',
  filePatterns: ['*.log', 'u_ex*.log', 'ex*.log', 'SG_*.log', '*access*.log', '*.w3c'],
  columns: ['time', 'srcIp', 'level', 'code', 'host', 'certHost', 'message'],
  framing: { kind: 'lines' },
  detect(sample) {
    return detectW3c(sample.lines);
  },
  createIndexer(file) {
    return new W3cIndexer(file);
  },
  parse(text, context) {
    return parseW3c(text, context);
  },
  samples: SAMPLES,
};
