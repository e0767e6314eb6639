/**
 * Apache httpd access logs: Common, Combined and vhost_combined LogFormats, with or without
 * trailing fields (%D, %T), plus mod_ssl's ssl_request_log (`[%t] %h %{SSL_PROTOCOL}x
 * %{SSL_CIPHER}x "%r" %b`). One scanner finds the field boundaries in the bytes; the index path
 * and the display parse both use it, so they cannot disagree.
 *
 * Real logs are not always well formed: request lines can hold unescaped quotes (the request
 * ends at the first `"` followed by a space and a three-digit status), and user agents can lack
 * their closing quote. Those records are still read as far as they go.
 */
import type { FileContext, IndexSink, TextFormat, TextIndexer, WindowCopy } from './types';
import type { ParsedRecord } from '../record';
import { RecordFlag, unparsedRecord } from '../record';
import { civilToUtcMs, daysFromCivil, digitsAt, monthFromBytes } from '../time/civil';
import { find, findLast, isDigit, parseUint, utf8Bytes, utf8Text } from './bytes';
import { fieldNumber } from './wanted';
import { WordView, quoteFrom, spaceFrom, spaceOrQuoteFrom, wordsOf } from '../text/words';
import { WASM_HEX } from './apache-access.wasm';
import type { WindowExports } from './wasm-window';
import { WasmWindow, compiledOnce, instantiate } from './wasm-window';

const SPACE = 32;
const QUOTE = 34;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** Field slots in the boundaries array: [start, end) pairs, -1 when absent. */
const enum Slot {
  Vhost,
  Host,
  Logname,
  User,
  Time,
  Request,
  Status,
  Bytes,
  Referer,
  Agent,
  Rest,
  SslProtocol,
  SslCipher,
  Count,
}

const enum Layout {
  Invalid = 0,
  Standard = 1,
  SslRequest = 2,
}

export interface ScanResult {
  layout: Layout;
  /** The user agent had no closing quote. */
  unclosedAgent: boolean;
  /**
   * Spaces in the request line (counted up to three) and where the first two are: the method
   * and URI of `METHOD URI PROTOCOL`, found on the pass that finds the request's end.
   */
  requestSpaces: number;
  firstSpace: number;
  secondSpace: number;
}

export function emptyScan(): ScanResult {
  return {
    layout: Layout.Invalid,
    unclosedAgent: false,
    requestSpaces: 0,
    firstSpace: -1,
    secondSpace: -1,
  };
}

/**
 * Finds the end quote of "%r": the first `"` followed by ` NNN` and a space or the end. Counts
 * the request's spaces on the way (every byte before the end quote is the request's).
 */
function findRequestEnd(
  buf: Uint8Array,
  words: DataView,
  from: number,
  end: number,
  result: ScanResult,
): number {
  let spaces = 0;
  for (let i = from; ; i++) {
    i = spaceOrQuoteFrom(buf, words, i, end);
    if (i >= end) break;
    if (buf[i] === SPACE) {
      if (spaces === 0) result.firstSpace = i;
      else if (spaces === 1) result.secondSpace = i;
      if (spaces < 3) spaces++;
      continue;
    }
    if (
      buf[i + 1] === SPACE &&
      i + 5 <= end &&
      isDigit(buf[i + 2]) &&
      isDigit(buf[i + 3]) &&
      isDigit(buf[i + 4]) &&
      (i + 5 === end || buf[i + 5] === SPACE)
    ) {
      result.requestSpaces = spaces;
      return i;
    }
  }
  result.requestSpaces = spaces;
  return -1;
}

/**
 * One forward pass over the record. The tokens, the request and the referer are walked four
 * bytes a step (see words.ts); the short bytes count byte by byte. `words` views `buf`.
 * apache-access.wat does the same for the index path (see {@link SimdAccessScan}).
 */
export function scan(
  buf: Uint8Array,
  words: DataView,
  start: number,
  end: number,
  at: Int32Array,
  result: ScanResult,
): void {
  // Only the starts: an end is read only where its start is set. A loop: 13 stores cost less
  // than a call to the fill builtin, on every record.
  for (let k = 0; k < at.length; k += 2) at[k] = -1;
  result.layout = Layout.Invalid;
  result.unclosedAgent = false;
  result.requestSpaces = 0;
  if (buf[start] === OPEN_BRACKET) {
    scanSslRequest(buf, start, end, at, result);
    return;
  }
  // host logname user, or vhost:port host logname user, up to " [": where is each space?
  let spaces = 0;
  let s0 = -1;
  let s1 = -1;
  let s2 = -1;
  let lb = -1;
  for (let i = start; ; i++) {
    i = spaceFrom(buf, words, i, end);
    if (i >= end) break;
    if (buf[i + 1] === OPEN_BRACKET) {
      lb = i + 1;
      break;
    }
    if (spaces === 0) s0 = i;
    else if (spaces === 1) s1 = i;
    else if (spaces === 2) s2 = i;
    spaces++;
  }
  if (lb < 0 || spaces < 2) return;
  if (spaces >= 3) {
    at[Slot.Vhost * 2] = start;
    at[Slot.Vhost * 2 + 1] = s0;
    at[Slot.Host * 2] = s0 + 1;
    at[Slot.Host * 2 + 1] = s1;
    at[Slot.Logname * 2] = s1 + 1;
    at[Slot.Logname * 2 + 1] = s2;
    at[Slot.User * 2] = s2 + 1;
  } else {
    at[Slot.Host * 2] = start;
    at[Slot.Host * 2 + 1] = s0;
    at[Slot.Logname * 2] = s0 + 1;
    at[Slot.Logname * 2 + 1] = s1;
    at[Slot.User * 2] = s1 + 1;
  }
  at[Slot.User * 2 + 1] = lb - 1;
  // [dd/Mon/yyyy:HH:MM:SS +zzzz] is 26 bytes inside the brackets; look there first.
  let rb = lb + 27;
  if (buf[rb] !== CLOSE_BRACKET) {
    rb = lb + 1;
    while (rb < end && buf[rb] !== CLOSE_BRACKET) rb++;
    if (rb >= end) return;
  }
  at[Slot.Time * 2] = lb + 1;
  at[Slot.Time * 2 + 1] = rb;
  if (buf[rb + 1] !== SPACE || buf[rb + 2] !== QUOTE) return;
  const requestStart = rb + 3;
  const requestEnd = findRequestEnd(buf, words, requestStart, end, result);
  if (requestEnd < 0) return;
  at[Slot.Request * 2] = requestStart;
  at[Slot.Request * 2 + 1] = requestEnd;
  at[Slot.Status * 2] = requestEnd + 2;
  at[Slot.Status * 2 + 1] = requestEnd + 5;
  result.layout = Layout.Standard;
  let p = requestEnd + 6;
  if (p > end) return;
  let bytesEnd = p;
  while (bytesEnd < end && buf[bytesEnd] !== SPACE) bytesEnd++;
  at[Slot.Bytes * 2] = p;
  at[Slot.Bytes * 2 + 1] = bytesEnd;
  p = bytesEnd + 1;
  if (p >= end) return;
  if (buf[p] !== QUOTE) {
    at[Slot.Rest * 2] = p;
    at[Slot.Rest * 2 + 1] = end;
    return;
  }
  // "referer" "user-agent" [rest]: the referer ends at `" "`.
  let refEnd = -1;
  for (let i = p + 1; ; i++) {
    i = quoteFrom(buf, words, i, end);
    if (i >= end) break;
    if (buf[i + 1] === SPACE && buf[i + 2] === QUOTE) {
      refEnd = i;
      break;
    }
  }
  at[Slot.Referer * 2] = p + 1;
  if (refEnd < 0) {
    // Only one quoted field follows: keep it as the referer.
    const close = findLast(buf, QUOTE, p + 1, end);
    at[Slot.Referer * 2 + 1] = close < 0 ? end : close;
    if (close >= 0 && close + 2 < end) {
      at[Slot.Rest * 2] = close + 2;
      at[Slot.Rest * 2 + 1] = end;
    }
    return;
  }
  at[Slot.Referer * 2 + 1] = refEnd;
  const agentStart = refEnd + 3;
  const close = findLast(buf, QUOTE, agentStart, end);
  at[Slot.Agent * 2] = agentStart;
  if (close < 0) {
    at[Slot.Agent * 2 + 1] = end;
    result.unclosedAgent = true;
    return;
  }
  at[Slot.Agent * 2 + 1] = close;
  if (close + 2 < end) {
    at[Slot.Rest * 2] = close + 2;
    at[Slot.Rest * 2 + 1] = end;
  }
}

const SSL_REQUEST_TOKENS = [Slot.Host, Slot.SslProtocol, Slot.SslCipher] as const;

/** mod_ssl's ssl_request_log: [time] host protocol cipher "request" bytes */
function scanSslRequest(
  buf: Uint8Array,
  start: number,
  end: number,
  at: Int32Array,
  result: ScanResult,
): void {
  const rb = find(buf, CLOSE_BRACKET, start, end);
  if (rb < 0 || buf[rb + 1] !== SPACE) return;
  at[Slot.Time * 2] = start + 1;
  at[Slot.Time * 2 + 1] = rb;
  let p = rb + 2;
  for (const slot of SSL_REQUEST_TOKENS) {
    const sp = find(buf, SPACE, p, end);
    if (sp < 0) return;
    at[slot * 2] = p;
    at[slot * 2 + 1] = sp;
    p = sp + 1;
  }
  if (buf[p] !== QUOTE) return;
  const close = findLast(buf, QUOTE, p + 1, end);
  if (close < 0) return;
  at[Slot.Request * 2] = p + 1;
  at[Slot.Request * 2 + 1] = close;
  if (buf[close + 1] === SPACE) {
    const next = find(buf, SPACE, close + 2, end);
    at[Slot.Bytes * 2] = close + 2;
    at[Slot.Bytes * 2 + 1] = next < 0 ? end : next;
    if (next >= 0) {
      at[Slot.Rest * 2] = next + 1;
      at[Slot.Rest * 2 + 1] = end;
    }
  }
  result.layout = Layout.SslRequest;
}

/** Where apache-access.wat leaves the slots, the scan's result, and a line's LF and end. */
const SLOTS_AT = 0;
const RESULT_AT = 128;
const LINE_AT = 160;
/** What the module's scan returns for a line it leaves to `scan` (ssl_request_log's). */
const LEFT_TO_JS = 2;

interface ScanExports extends WindowExports {
  scan(start: number, end: number, line: number): number;
}

const scanModule = compiledOnce(WASM_HEX);

/**
 * `scan` in WebAssembly with SIMD (apache-access.wat), for the index path: the scan and the
 * search for line ends were about a third of a worker's Apache ingest. The framer announces each
 * window ({@link load}), which is copied into the module's memory once; the module then finds
 * each line's end and scans the line in one call, and the indexer reads the boundaries through
 * {@link slots}, a view of that memory.
 */
export class SimdAccessScan {
  /** The last record's field slots, as `scan` fills its `at` (a view of the module's memory). */
  slots = new Int32Array(Slot.Count * 2);
  /** The last record's host as an IPv4 address (an unsigned number), or -1 when it is not one. */
  hostIpv4 = -1;
  private result = new Int32Array(7);
  /** The layout of the line the line search last scanned. */
  private lineLayout = 0;
  private readonly memory: WasmWindow;

  private constructor(private readonly wasm: ScanExports) {
    this.memory = new WasmWindow(
      wasm,
      LINE_AT,
      (from, end) => {
        this.lineLayout = this.wasm.scan(from, end, 1);
      },
      (buffer) => {
        this.slots = new Int32Array(buffer, SLOTS_AT, Slot.Count * 2);
        this.result = new Int32Array(buffer, RESULT_AT, 7);
      },
    );
  }

  /** A scanner, or null where WebAssembly cannot run it (the indexer uses `scan`). */
  static create(): SimdAccessScan | null {
    const wasm = instantiate(scanModule()) as ScanExports | null;
    return wasm === null ? null : new SimdAccessScan(wasm);
  }

  /**
   * Records will come from `window` until the next call. Returns its copy, for the framer to
   * read, with the search for its line ends; or undefined when the memory has no room for it.
   */
  load(window: Uint8Array): WindowCopy | undefined {
    return this.memory.load(window);
  }

  /** Whether records of `buf` can be scanned here: it is the copy of the window last loaded. */
  holds(buf: Uint8Array): boolean {
    return this.memory.holds(buf);
  }

  /**
   * As `scan(window, …, start, end, at, result)`, into {@link slots} and `result`; false, with
   * nothing done, for a record `scan` must read (one that starts with `[`). A line the line
   * search has just scanned is not scanned again.
   */
  scan(start: number, end: number, result: ScanResult): boolean {
    let layout: number;
    if (this.memory.isLastLine(start, end)) layout = this.lineLayout;
    else {
      this.memory.forgetLine();
      layout = this.wasm.scan(start, Math.min(end, this.memory.bytes.length), 0);
    }
    if (layout === LEFT_TO_JS) return false;
    const r = this.result;
    result.layout = layout === 1 ? Layout.Standard : Layout.Invalid;
    result.unclosedAgent = r[1] !== 0;
    result.requestSpaces = r[2]!;
    result.firstSpace = r[3]!;
    result.secondSpace = r[4]!;
    this.hostIpv4 = r[6] !== 0 ? r[5]! >>> 0 : -1;
    return true;
  }
}

/**
 * `dd/Mon/yyyy:HH:MM:SS +zzzz` → UTC ms, NaN when malformed. Caches the last date seen, and the
 * last minute: a busy server writes thousands of records a minute, and a record whose timestamp
 * matches the last valid one in every byte but the seconds needs only its seconds read (seven word
 * compares instead of nine numbers parsed and checked).
 */
class ClfTimeParser {
  private cachedKey = -1;
  private cachedDays = 0;
  /** The last valid timestamp's bytes 0-16 and 20-25 as words (overlapping), and its minute. */
  private minuteKnown = false;
  private w0 = 0;
  private w4 = 0;
  private w8 = 0;
  private w12 = 0;
  private w13 = 0;
  private w20 = 0;
  private w22 = 0;
  private minuteMs = 0;

  parse(buf: Uint8Array, words: DataView, start: number, end: number): number {
    if (end - start !== 26) return NaN;
    if (
      this.minuteKnown &&
      words.getInt32(start) === this.w0 &&
      words.getInt32(start + 4) === this.w4 &&
      words.getInt32(start + 8) === this.w8 &&
      words.getInt32(start + 12) === this.w12 &&
      words.getInt32(start + 13) === this.w13 &&
      words.getInt32(start + 20) === this.w20 &&
      words.getInt32(start + 22) === this.w22
    ) {
      // Everything but bytes 17-19 was checked when the minute was cached, and the full parse
      // below reads nothing else from them either.
      const second = digitsAt(buf, start + 18, 2);
      return second < 0 || second > 60 ? NaN : this.minuteMs + second * 1000;
    }
    if (buf[start + 2] !== 47 || buf[start + 6] !== 47 || buf[start + 11] !== 58) return NaN;
    const day = digitsAt(buf, start, 2);
    const month = monthFromBytes(buf, start + 3);
    const year = digitsAt(buf, start + 7, 4);
    const hour = digitsAt(buf, start + 12, 2);
    const minute = digitsAt(buf, start + 15, 2);
    const second = digitsAt(buf, start + 18, 2);
    const sign = buf[start + 21];
    const offH = digitsAt(buf, start + 22, 2);
    const offM = digitsAt(buf, start + 24, 2);
    if (day < 1 || month === 0 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59)
      return NaN;
    if (second < 0 || second > 60 || offH < 0 || offM < 0 || (sign !== 43 && sign !== 45))
      return NaN;
    const key = (year * 16 + month) * 32 + day;
    let days: number;
    if (key === this.cachedKey) days = this.cachedDays;
    else {
      if (Number.isNaN(civilToUtcMs(year, month, day, 0, 0, 0))) return NaN;
      days = daysFromCivil(year, month, day);
      this.cachedKey = key;
      this.cachedDays = days;
    }
    const offset = (offH * 60 + offM) * (sign === 45 ? -1 : 1);
    this.minuteMs = ((days * 24 + hour) * 60 + minute - offset) * 60000;
    this.w0 = words.getInt32(start);
    this.w4 = words.getInt32(start + 4);
    this.w8 = words.getInt32(start + 8);
    this.w12 = words.getInt32(start + 12);
    this.w13 = words.getInt32(start + 13);
    this.w20 = words.getInt32(start + 20);
    this.w22 = words.getInt32(start + 22);
    this.minuteKnown = true;
    return this.minuteMs + second * 1000;
  }
}

function hostWithoutPort(buf: Uint8Array, start: number, end: number): number {
  // vhost:port → the vhost. IPv6 literals keep their colons; only a final :digits is a port.
  const colon = findLast(buf, 58, start, end);
  if (colon < 0 || colon === end - 1) return end;
  if (parseUint(buf, colon + 1, end) < 0) return end;
  return find(buf, 58, start, colon) < 0 || buf[colon - 1] === CLOSE_BRACKET ? colon : end;
}

function isDash(buf: Uint8Array, start: number, end: number): boolean {
  return end - start === 1 && buf[start] === 45;
}

/** The request's spaces, for a layout whose scan did not count them (ssl_request_log). */
function countRequestSpaces(buf: Uint8Array, start: number, end: number, result: ScanResult): void {
  let spaces = 0;
  for (let i = start; i < end && spaces < 3; i++) {
    if (buf[i] !== SPACE) continue;
    if (spaces === 0) result.firstSpace = i;
    else if (spaces === 1) result.secondSpace = i;
    spaces++;
  }
  result.requestSpaces = spaces;
}

class AccessIndexer implements TextIndexer {
  private readonly at = new Int32Array(Slot.Count * 2);
  private readonly simd = SimdAccessScan.create();
  private readonly result = emptyScan();
  private readonly clock = new ClfTimeParser();
  private readonly words = new WordView();
  // Fields reported for signature tags, only when a tag looks at them: their numbers, or -1.
  private readonly method: number;
  private readonly uri: number;
  private readonly bytes: number;
  private readonly agent: number;
  private readonly message: number;

  constructor(file: FileContext) {
    this.method = fieldNumber(file, 'method');
    this.uri = fieldNumber(file, 'uri');
    this.bytes = fieldNumber(file, 'bytes');
    this.agent = fieldNumber(file, 'user_agent');
    this.message = fieldNumber(file, 'message');
  }

  window(window: Uint8Array): WindowCopy | undefined {
    return this.simd?.load(window);
  }

  index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    const words = this.words.words(buf);
    const simd = this.simd;
    let at = this.at;
    let ipv4 = -1;
    if (simd !== null && simd.holds(buf) && simd.scan(start, end, this.result)) {
      at = simd.slots;
      ipv4 = simd.hostIpv4;
    } else scan(buf, words, start, end, at, this.result);
    if (this.result.layout === Layout.Invalid) {
      sink.flag(RecordFlag.ParseError);
      // The parse's message for a line it cannot read is the whole line.
      if (this.message >= 0) sink.fieldByNumber(this.message, buf, start, end);
      return;
    }
    const hs = at[Slot.Host * 2]!;
    const he = at[Slot.Host * 2 + 1]!;
    if (ipv4 >= 0) sink.srcIpv4(ipv4);
    else if (!isDash(buf, hs, he)) sink.srcIp(buf, hs, he);
    const vs = at[Slot.Vhost * 2]!;
    if (vs >= 0) {
      const ve = at[Slot.Vhost * 2 + 1]!;
      sink.host(buf, vs, hostWithoutPort(buf, vs, ve));
    }
    const time = this.clock.parse(buf, words, at[Slot.Time * 2]!, at[Slot.Time * 2 + 1]!);
    if (Number.isNaN(time)) sink.flag(RecordFlag.BadTimestamp);
    else sink.time(time);
    const ss = at[Slot.Status * 2]!;
    if (ss >= 0) sink.codeNumber(digitsAt(buf, ss, 3));
    const rs = at[Slot.Request * 2]!;
    // The message is the request line as written (empty when the line has none).
    if (this.message >= 0)
      if (rs >= 0) sink.fieldByNumber(this.message, buf, rs, at[Slot.Request * 2 + 1]!);
      else sink.fieldByNumber(this.message, buf, start, start);
    if ((this.method >= 0 || this.uri >= 0) && rs >= 0) {
      const result = this.result;
      if (result.layout === Layout.SslRequest)
        countRequestSpaces(buf, rs, at[Slot.Request * 2 + 1]!, result);
      // Method and URI exactly as `parse` splits them: three parts, two spaces.
      if (result.requestSpaces === 2) {
        if (this.method >= 0) sink.fieldByNumber(this.method, buf, rs, result.firstSpace);
        if (this.uri >= 0)
          sink.fieldByNumber(this.uri, buf, result.firstSpace + 1, result.secondSpace);
      }
    }
    if (this.bytes >= 0 && at[Slot.Bytes * 2]! >= 0)
      sink.fieldByNumber(this.bytes, buf, at[Slot.Bytes * 2]!, at[Slot.Bytes * 2 + 1]!);
    if (this.agent >= 0 && at[Slot.Agent * 2]! >= 0)
      sink.fieldByNumber(this.agent, buf, at[Slot.Agent * 2]!, at[Slot.Agent * 2 + 1]!);
  }
}

const FIELD_NAMES: readonly (readonly [Slot, string])[] = [
  [Slot.Vhost, 'vhost'],
  [Slot.Host, 'remote_host'],
  [Slot.Logname, 'remote_logname'],
  [Slot.User, 'remote_user'],
  [Slot.Time, 'time'],
  [Slot.SslProtocol, 'ssl_protocol'],
  [Slot.SslCipher, 'ssl_cipher'],
  [Slot.Request, 'request'],
  [Slot.Status, 'status'],
  [Slot.Bytes, 'bytes'],
  [Slot.Referer, 'referer'],
  [Slot.Agent, 'user_agent'],
  [Slot.Rest, 'extra'],
];

function parseAccess(text: string): ParsedRecord {
  const buf = utf8Bytes(text);
  const at = new Int32Array(Slot.Count * 2);
  const result = emptyScan();
  const words = wordsOf(buf);
  scan(buf, words, 0, buf.length, at, result);
  if (result.layout === Layout.Invalid)
    return unparsedRecord(text, RecordFlag.ParseError, [
      'Not an Apache access log line: expected `host ident user [time] "request" status bytes`.',
    ]);
  const fields: Record<string, string> = {};
  const value = (slot: Slot): string | null => {
    const s = at[slot * 2]!;
    return s < 0 ? null : utf8Text(buf, s, at[slot * 2 + 1]!);
  };
  for (const [slot, name] of FIELD_NAMES) {
    const v = value(slot);
    if (v !== null) fields[name] = v;
  }
  const request = fields.request ?? '';
  const parts = request.split(' ');
  if (parts.length === 3) {
    fields.method = parts[0]!;
    fields.uri = parts[1]!;
    fields.protocol = parts[2]!;
  }
  const notes: string[] = [];
  let flags = 0;
  const time = new ClfTimeParser().parse(buf, words, at[Slot.Time * 2]!, at[Slot.Time * 2 + 1]!);
  if (Number.isNaN(time)) {
    flags |= RecordFlag.BadTimestamp;
    notes.push(
      `The timestamp "${fields.time ?? ''}" is not in the dd/Mon/yyyy:HH:MM:SS +zzzz form.`,
    );
  }
  if (result.unclosedAgent)
    notes.push('The user agent has no closing quote; it runs to the end of the line.');
  const hs = at[Slot.Host * 2]!;
  const he = at[Slot.Host * 2 + 1]!;
  const vs = at[Slot.Vhost * 2]!;
  return {
    time: Number.isNaN(time) ? null : time,
    // An empty host (a line that starts with a space) is no address, as on the index path.
    srcIp: isDash(buf, hs, he) || he <= hs ? null : utf8Text(buf, hs, he),
    level: null,
    code: fields.status ?? null,
    source: null,
    host:
      vs < 0 ? null : utf8Text(buf, vs, hostWithoutPort(buf, vs, at[Slot.Vhost * 2 + 1]!)) || null,
    certHost: null,
    message: request,
    fields,
    flags,
    notes,
  };
}

export const apacheAccess: TextFormat = {
  kind: 'text',
  id: 'apache-access',
  messageKind: 'request',
  title: 'Apache access log',
  description:
    'Apache httpd access logs in the Common, Combined and vhost_combined formats (with or without %D/%T), and mod_ssl ssl_request_log.',
  filePatterns: ['access.log*', 'access_log*', '*access*.log', 'ssl_request_log*', '*.log'],
  columns: ['time', 'srcIp', 'code', 'host', 'message'],
  framing: { kind: 'lines' },
  detect(sample) {
    const at = new Int32Array(Slot.Count * 2);
    const result = emptyScan();
    const clock = new ClfTimeParser();
    let seen = 0;
    let good = 0;
    for (const line of sample.lines) {
      if (line.trim() === '') continue;
      seen++;
      const buf = utf8Bytes(line);
      const words = wordsOf(buf);
      scan(buf, words, 0, buf.length, at, result);
      if (
        result.layout !== Layout.Invalid &&
        !Number.isNaN(clock.parse(buf, words, at[Slot.Time * 2]!, at[Slot.Time * 2 + 1]!))
      )
        good++;
      if (seen >= 100) break;
    }
    if (seen === 0) return 0;
    const share = good / seen;
    return share >= 0.5 ? 0.5 + 0.45 * share : share * 0.5;
  },
  createIndexer(file) {
    return new AccessIndexer(file);
  },
  parse(text) {
    return parseAccess(text);
  },
  samples: [
    {
      source: 'corpus apache/elastic-examples_apache_logs_combined.log line 1',
      text: '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36"',
      expect: {
        time: Date.UTC(2015, 4, 17, 10, 5, 3),
        srcIp: '83.149.9.216',
        code: '200',
        message: 'GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1',
        flags: 0,
        fields: {
          method: 'GET',
          bytes: '203023',
          referer: 'http://semicomplete.com/presentations/logstash-monitorama-2013/',
        },
      },
    },
    {
      source: 'corpus apache/plaso_apache_access_mixed.log line 9 (vhost_combined)',
      text: 'plaso.log2timeline.net:443 10.1.1.2 - - [13/Jan/2018:19:31:17 +0000] "GET /wp-content/themes/darkmode/evil.php HTTP/1.1" 200 1063 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_2) AppleWebKit/537.11 (KHTML, like Gecko) Chrome/23.0.1271.6 Safari/537.11"',
      expect: {
        time: Date.UTC(2018, 0, 13, 19, 31, 17),
        srcIp: '10.1.1.2',
        host: 'plaso.log2timeline.net',
        code: '200',
        fields: {
          vhost: 'plaso.log2timeline.net:443',
          uri: '/wp-content/themes/darkmode/evil.php',
        },
      },
    },
    {
      source:
        'corpus apache/plaso_apache_access_mixed.log line 13 (unescaped quotes in the request)',
      text: '1.2.3.4 - - [25/Apr/2021:06:15:33 +0000] "GET /aaaa.xxxx/SomeText?action=edit&template=<script>alert("text")</script> HTTP/1.0" 404 1164',
      expect: {
        srcIp: '1.2.3.4',
        code: '404',
        message:
          'GET /aaaa.xxxx/SomeText?action=edit&template=<script>alert("text")</script> HTTP/1.0',
        fields: { bytes: '1164' },
      },
    },
    {
      source: 'corpus apache/plaso_apache_access_mixed.log line 5 (+0200 offset)',
      text: '192.168.0.2 - - [13/Jan/2016:19:31:20 +0200] "GET /wp-content/themes/darkmode/evil.php?cmd=uname+-a HTTP/1.1" 200 694 "http://localhost/" "Mozilla/5.0 (X11; Linux i686; rv:2.0b12pre) Gecko/20100101 Firefox/4"',
      expect: { time: Date.UTC(2016, 0, 13, 17, 31, 20), fields: { referer: 'http://localhost/' } },
    },
    {
      source: 'corpus apache/plaso_apache_access_mixed.log line 15 (Kerberos user)',
      text: '192.168.0.64 - pyllyukko@EXAMPLE.COM [16/Nov/2019:09:46:42 +0200] "GET / HTTP/1.1" 200 8264',
      expect: { srcIp: '192.168.0.64', fields: { remote_user: 'pyllyukko@EXAMPLE.COM' } },
    },
    {
      source: 'corpus apache/beats_apache_ssl_request.log line 2 (ssl_request_log)',
      text: '[16/Oct/2019:11:53:47 +0200] 81.2.69.143 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 "GET /appl/ajaxhelper.php?cmd=getxicoreajax&opts=%7B%22func%22%3A%22get_pagetop_alert_content_html%22%2C%22args%22%3A%22%22%7D&nsp=c2700eab9797eda8a9f65a3ab17a6adbceccd60a6cca7708650a5923950d HTTP/1.1" -',
      expect: {
        time: Date.UTC(2019, 9, 16, 9, 53, 47),
        srcIp: '81.2.69.143',
        code: null,
        fields: { ssl_protocol: 'TLSv1.2', ssl_cipher: 'ECDHE-RSA-AES128-GCM-SHA256', bytes: '-' },
      },
    },
    {
      source: 'composed: common format with %D appended',
      text: '10.9.8.7 - - [05/Mar/2024:08:00:05 +0000] "HEAD / HTTP/1.0" 200 - 1532',
      expect: {
        srcIp: '10.9.8.7',
        code: '200',
        fields: { bytes: '-', extra: '1532', method: 'HEAD' },
      },
    },
  ],
};
