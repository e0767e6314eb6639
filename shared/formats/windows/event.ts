/**
 * What EVTX and legacy EVT records have in common once decoded: how a level is named, which event
 * data fields carry a client address, how fields are named, and the message shown for an event
 * (events do not store their message text).
 *
 * Decisions, shared by both formats so a 2003 gateway's `.evt` and a 2008 host's `.evtx` read alike:
 * - `code` is the event id as Event Viewer shows it: the low 16 bits. Classic sources keep the upper
 *   16 bits (severity, customer bit, facility) in the `Qualifiers` field, so 0xC000007D shows as code
 *   125 with Qualifiers 49152, and the full value is `Qualifiers << 16 | EventID`.
 * - `level` uses Event Viewer's names (level 0 "LogAlways" shows as Information). Security auditing
 *   events carry their outcome in Keywords, not Level: those with the Audit Failure or Audit Success
 *   keyword get that as their level, matching what legacy `.evt` files store as the event type.
 * - unnamed insertion strings (classic events) are the fields `%1`, `%2`, ... as the message
 *   templates number them.
 */
import { parseIpv4Bytes } from '../../index/ip-bytes';
import type { ParsedRecord } from '../../record';
import { RecordFlag, unparsedRecord } from '../../record';
import type { IndexSink } from '../types';
import type { KnownEvent } from './messages';
import { KNOWN_EVENTS, fillMessage, knownEvent } from './messages';

/** Level names by EVTX level value ([MS-EVEN6], libyal "Level"). */
const LEVEL_NAMES = ['Information', 'Critical', 'Error', 'Warning', 'Information', 'Verbose'];

/** High 32 bits of the Keywords flags that mark Security-log outcomes. */
export const KEYWORD_AUDIT_FAILURE_HIGH = 0x00100000;
export const KEYWORD_AUDIT_SUCCESS_HIGH = 0x00200000;

const levelCache = new Map<number, string>();

/** Level name from the numeric level (-1 when absent) and the high half of Keywords. */
export function evtxLevelName(level: number, keywordsHigh: number): string | null {
  if ((keywordsHigh & KEYWORD_AUDIT_FAILURE_HIGH) !== 0) return 'Audit Failure';
  if ((keywordsHigh & KEYWORD_AUDIT_SUCCESS_HIGH) !== 0) return 'Audit Success';
  if (level < 0) return null;
  const known = LEVEL_NAMES[level];
  if (known !== undefined) return known;
  let name = levelCache.get(level);
  if (name === undefined) {
    name = `Level ${level}`;
    levelCache.set(level, name);
  }
  return name;
}

/** Event type names of legacy EVT records ([MS-EVEN] EventType). */
export function evtTypeName(type: number): string {
  switch (type) {
    case 0:
    case 4:
      return 'Information';
    case 1:
      return 'Error';
    case 2:
      return 'Warning';
    case 8:
      return 'Audit Success';
    case 16:
      return 'Audit Failure';
    default:
      return `Type ${type}`;
  }
}

/**
 * Event data fields that hold the remote party's address, compared without case. Data, not code:
 * Security 4624/4625/4648/4768/4769/4771 `IpAddress`, WFP 5152/5156/5157 `SourceAddress`, Sysmon 3
 * `SourceIp`, TerminalServices-LocalSessionManager `Address`, and the common spellings of
 * client-address fields, and DNS Server analytic events' `Source`. A value counts only when it is an
 * address ("-" and host names do not).
 */
export const CLIENT_ADDRESS_FIELDS: readonly string[] = [
  'IpAddress',
  'SourceAddress',
  'SourceIp',
  'SourceIPAddress',
  'ClientAddress',
  'ClientIP',
  'ClientIPAddress',
  'RemoteAddress',
  'RemoteIP',
  'Address',
  'Source',
];
const ADDRESS_FIELD_SET = new Set(CLIENT_ADDRESS_FIELDS.map((f) => f.toLowerCase()));

const addressFieldMemo = new Map<string, boolean>();

export function isClientAddressField(name: string): boolean {
  let known = addressFieldMemo.get(name);
  if (known === undefined) {
    known = ADDRESS_FIELD_SET.has(name.toLowerCase());
    // Names come from files: keep the memo small whatever a file holds.
    if (addressFieldMemo.size < 4096) addressFieldMemo.set(name, known);
  }
  return known;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Finds the address in the UTF-8 value `[start, end)`: surrounding spaces, a `:port` after an IPv4
 * address, `[...]` around IPv6 (with or without a port) and the `::ffff:` prefix of IPv4-mapped
 * IPv6 are removed, so that rules written for IPv4 (CIDR, ranges) match what Windows logs as
 * `::ffff:10.1.2.3`. Writes the address range to `out` and returns true, or returns false when the
 * value is not an IPv4 or IPv6 address.
 */
export function findAddress(buf: Uint8Array, start: number, end: number, out: Int32Array): boolean {
  while (start < end && buf[start] === 32) start++;
  while (end > start && buf[end - 1] === 32) end--;
  if (end - start < 2 || end - start > 64) return false;
  if (buf[start] === 91) {
    let close = start + 1;
    while (close < end && buf[close] !== 93) close++;
    if (close === end) return false;
    start++;
    end = close;
  }
  let colons = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === 58) colons++;
    else if (c === 46) dots++;
  }
  if (colons === 0 || (colons === 1 && dots === 3)) {
    // IPv4, optionally with a port.
    let stop = end;
    if (colons === 1) {
      stop = start;
      while (buf[stop] !== 58) stop++;
      for (let i = stop + 1; i < end; i++) if (buf[i]! < 48 || buf[i]! > 57) return false;
      if (stop + 1 === end) return false;
    }
    if (parseIpv4Bytes(buf, start, stop) < 0) return false;
    out[0] = start;
    out[1] = stop;
    return true;
  }
  // IPv6 (possibly IPv4-mapped or with a %zone).
  if (colons < 2) return false;
  let zone = end;
  for (let i = start; i < end; i++) if (buf[i] === 37) zone = Math.min(zone, i);
  for (let i = start; i < zone; i++) {
    const c = buf[i]!;
    if (c !== 58 && c !== 46 && !isHex(c)) return false;
  }
  const mapped = '::ffff:';
  let isMapped = dots === 3 && zone - start > mapped.length;
  for (let i = 0; isMapped && i < mapped.length; i++)
    if ((buf[start + i]! | 0x20) !== (mapped.charCodeAt(i) | 0x20)) isMapped = false;
  if (isMapped && parseIpv4Bytes(buf, start + mapped.length, zone) >= 0) {
    out[0] = start + mapped.length;
    out[1] = zone;
    return true;
  }
  if (dots !== 0 && dots !== 3) return false;
  out[0] = start;
  out[1] = end;
  return true;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** A column value as UTF-8 bytes in a reusable buffer, so the index interns without a string. */
export class ByteField {
  buf = new Uint8Array(256);
  length = 0;
  /** False: the record has no value for this column. */
  present = false;

  clear(): void {
    this.length = 0;
    this.present = false;
  }

  /** Room for `bytes` bytes (content is not kept). */
  reserve(bytes: number): Uint8Array {
    if (this.buf.length < bytes) this.buf = new Uint8Array(Math.max(bytes, this.buf.length * 2));
    return this.buf;
  }

  setText(text: string): void {
    const buf = this.reserve(text.length * 3);
    this.length = encoder.encodeInto(text, buf).written;
    this.present = true;
  }

  text(): string | null {
    return this.present ? decoder.decode(this.buf.subarray(0, this.length)) : null;
  }
}

/**
 * The indexed columns of one event, filled by the fast path (from bytes) or from decoded fields,
 * and written to the index by one function, so both paths make the same calls.
 */
export class EventColumns {
  /** UTC ms, NaN when none. */
  time = NaN;
  /** Event id when it is a number (the usual case), else -1 and {@link codeText}. */
  code = -1;
  codeText: string | null = null;
  level: string | null = null;
  readonly source = new ByteField();
  readonly host = new ByteField();
  readonly srcIp = new ByteField();
  flags = 0;

  reset(): void {
    this.time = NaN;
    this.code = -1;
    this.codeText = null;
    this.level = null;
    this.source.clear();
    this.host.clear();
    this.srcIp.clear();
    this.flags = 0;
  }

  write(sink: IndexSink): void {
    if (!Number.isNaN(this.time)) sink.time(this.time);
    if (this.code >= 0) sink.codeNumber(this.code);
    else if (this.codeText !== null) sink.codeText(this.codeText);
    if (this.level !== null) sink.levelText(this.level);
    if (this.source.length > 0) sink.source(this.source.buf, 0, this.source.length);
    if (this.host.length > 0) sink.host(this.host.buf, 0, this.host.length);
    if (this.srcIp.length > 0) sink.srcIp(this.srcIp.buf, 0, this.srcIp.length);
    sink.flag(this.flags);
  }

  codeString(): string | null {
    return this.code >= 0 ? String(this.code) : this.codeText;
  }

  /** The record `parse` shows: these columns with the message, fields and notes of the event. */
  parsedRecord(
    message: string,
    fields: Record<string, string>,
    notes: readonly string[],
  ): ParsedRecord {
    return {
      time: Number.isNaN(this.time) ? null : this.time,
      srcIp: this.srcIp.text(),
      level: this.level,
      code: this.codeString(),
      source: this.source.text(),
      host: this.host.text(),
      certHost: null,
      message,
      fields,
      flags: this.flags,
      notes,
    };
  }
}

const addressRange = new Int32Array(2);

/** Sets `srcIp` from a text value when it is an address; returns whether it was. */
export function setAddressFromText(field: ByteField, value: string): boolean {
  const scratch = new ByteField();
  scratch.setText(value);
  if (!findAddress(scratch.buf, 0, scratch.length, addressRange)) return false;
  const length = addressRange[1]! - addressRange[0]!;
  field.reserve(length).set(scratch.buf.subarray(addressRange[0], addressRange[1]));
  field.length = length;
  field.present = true;
  return true;
}

/** Sets `srcIp` from UTF-8 bytes when they hold an address; returns whether they did. */
export function setAddressFromBytes(
  field: ByteField,
  buf: Uint8Array,
  start: number,
  end: number,
): boolean {
  if (!findAddress(buf, start, end, addressRange)) return false;
  const length = addressRange[1]! - addressRange[0]!;
  field.reserve(length).set(buf.subarray(addressRange[0], addressRange[1]));
  field.length = length;
  field.present = true;
  return true;
}

/** Adds a field, naming repeats `Name#2`, `Name#3`, ... so none is lost. */
export function addField(fields: Record<string, string>, name: string, value: string): string {
  let key = name;
  for (let n = 2; Object.prototype.hasOwnProperty.call(fields, key); n++) key = `${name}#${n}`;
  fields[key] = value;
  return key;
}

/** Text of an event id: a decimal number when it is one. */
export function parseNumber(text: string): number {
  return /^\d{1,10}$/.test(text) ? Number(text) : -1;
}

export interface EventMessage {
  readonly message: string;
  readonly notes: readonly string[];
  readonly known: KnownEvent | undefined;
}

/**
 * The message column: for a known event, the table's text (with any event data it does not use
 * appended); otherwise the provider, the event id and the event data, which is what an offline
 * reader can honestly show.
 */
export function eventMessage(
  source: string | null,
  code: number,
  data: readonly (readonly [string, string])[],
): EventMessage {
  const fields: Record<string, string> = {};
  for (const [k, v] of data) fields[k] = v;
  const entry = knownEvent(source, code);
  const used = new Set<string>();
  const filled = entry ? fillMessage(entry, fields, used) : null;
  const rest = data.filter(([k, v]) => !used.has(k) && v !== '');
  const listed = rest.map(([k, v]) => `${k}=${v}`).join('; ');
  if (entry && filled !== null)
    return {
      message: listed ? `${filled} [${listed}]` : filled,
      notes: [
        `Message text from LogSieve's table of known events (${entry.reference}); event log files do not store message text.`,
      ],
      known: entry,
    };
  const head = `${source ?? 'Unknown source'} event ${code >= 0 ? code : '?'}`;
  return {
    message: listed ? `${head}: ${listed}` : head,
    notes: [],
    known: entry,
  };
}

/**
 * The client address of a known event whose address is only in its insertion strings: the first
 * `%n` field holding an address.
 */
export function addressFromStrings(
  field: ByteField,
  data: readonly (readonly [string, string])[],
): boolean {
  for (const [k, v] of data) if (/^%\d+$/.test(k) && setAddressFromText(field, v)) return true;
  return false;
}

/** Whether an event id can belong to a known event that takes its address from insertion strings. */
export function mayTakeAddressFromStrings(code: number): boolean {
  return ADDRESS_IN_STRINGS_IDS.has(code);
}

const ADDRESS_IN_STRINGS_IDS = new Set<number>();
for (const e of KNOWN_EVENTS) if (e.srcIpInStrings === true) ADDRESS_IN_STRINGS_IDS.add(e.eventId);

/** What `parse` shows when LogSieve itself failed on a record (a bug, not the file's fault). */
export function internalError(
  offset: number,
  error: unknown,
): { record: ParsedRecord; raw: string } {
  const message = `LogSieve could not read the record at offset ${offset}: ${String(error)}`;
  return {
    record: unparsedRecord(message, RecordFlag.ParseError, [
      'This is a LogSieve bug; the file may be fine.',
    ]),
    raw: message,
  };
}
