/**
 * Syslog files as collectors and appliances write them:
 * - RFC 3164 (BSD): `[<PRI>]Mmm dd hh:mm:ss HOST TAG[PID]: MSG`. The priority is optional (files
 *   written by a collector usually drop it), the time is the sender's local time without a year:
 *   the zone is the file's time-zone option and the year is the file's modification year, or the
 *   year before when the date would be after the file was last written (a file spanning New Year
 *   puts December in the old year). Variants: fractional seconds, a year before the time
 *   (`Mmm dd yyyy hh:mm:ss`), an RFC 3339 timestamp in place of the BSD one, and no host name.
 * - RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`, structured data kept as fields
 *   named `sd.<SD-ID>.<PARAM>`.
 * - Citrix NetScaler / ADC audit messages (../shared/corpus/citrix), alone or after a syslog
 *   header: `[MM/DD/YYYY:]hh:mm:ss GMT host 0-PPE-1 : default MODULE EVENT seq n : body`. The
 *   module is the source, the event the code; the client address comes from the body's
 *   `Client_ip`, `ClientIP`, `Remote_ip` or `Source` value or the `Context user@address`, in that
 *   order, and only when it is a well-formed address (`Client_ip  - Nat_ip` has none). When the
 *   NetScaler time has no date (as in the corpus sample), the date is the file's modification date.
 *
 * The priority's severity is the level (emerg … debug) and its facility a field.
 */
import type { FileContext, IndexSink, TextFormat, TextIndexer } from './types';
import type { ParsedRecord } from '../record';
import { RecordFlag, unparsedRecord } from '../record';
import { resolveZoneToken, resolvedToUtc } from '../time/abbreviations';
import { civilToUtcMs, daysFromCivil, monthFromBytes } from '../time/civil';
import { wallToUtc } from '../time/zone';
import { addressIn } from './address';
import type { Wanted } from './wanted';
import { reportParsed, reportText, wantedOf } from './wanted';
import { bytesEqual, displayText, trimEnd, utf8Bytes, utf8Text } from './bytes';

const SPACE = 32;
const QUOTE = 34;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const LT = 60;
const GT = 62;
const AT = 64;
const OPEN = 91;
const BACKSLASH = 92;
const CLOSE = 93;
const DAY_MS = 86_400_000;

/** RFC 5424 §6.2.1 severities, in the short forms syslog tools print. */
export const SEVERITIES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
] as const;

/** RFC 5424 §6.2.1 facilities (12-15 have no agreed keyword; these are the common ones). */
export const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'audit',
  'alert',
  'clock',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

/**
 * Keys whose value is the client's address in NetScaler messages, in order of preference. Data,
 * not code: appliances with other keys add a row. `Destination`, `Vserver` and `Nat_ip` are the
 * appliance's or the server's side and are deliberately absent.
 */
export const NETSCALER_CLIENT_KEYS = ['Client_ip', 'ClientIP', 'Remote_ip', 'Source'] as const;
const CLIENT_KEY_BYTES = NETSCALER_CLIENT_KEYS.map((k) => utf8Bytes(k));

const enum Stamp {
  None,
  /** `Mmm dd hh:mm:ss[.frac]` or `Mmm dd yyyy hh:mm:ss`: local time, maybe no year. */
  Bsd,
  /** RFC 3339 / ISO 8601 with or without an offset. */
  Iso,
}

/** Boundaries of one record's parts; -1 when absent. */
interface Parts {
  pri: number;
  version: number;
  stamp: Stamp;
  stampStart: number;
  stampEnd: number;
  hostStart: number;
  hostEnd: number;
  appStart: number;
  appEnd: number;
  pidStart: number;
  pidEnd: number;
  msgIdStart: number;
  msgIdEnd: number;
  sdStart: number;
  sdEnd: number;
  message: number;
  /** NetScaler header inside the message, when there is one. */
  ns: boolean;
  nsDateStart: number;
  nsTimeStart: number;
  nsTimeEnd: number;
  nsZoneStart: number;
  nsZoneEnd: number;
  nsHostStart: number;
  nsHostEnd: number;
  nsPpeStart: number;
  nsPpeEnd: number;
  nsPartitionStart: number;
  nsPartitionEnd: number;
  nsModuleStart: number;
  nsModuleEnd: number;
  nsEventStart: number;
  nsEventEnd: number;
  nsSeqStart: number;
  nsSeqEnd: number;
  /** The value after the sequence number (meaning UNVERIFIED). */
  nsNextStart: number;
  nsNextEnd: number;
  nsBody: number;
  clientStart: number;
  clientEnd: number;
}

function emptyParts(): Parts {
  return {
    pri: -1,
    version: -1,
    stamp: Stamp.None,
    stampStart: -1,
    stampEnd: -1,
    hostStart: -1,
    hostEnd: -1,
    appStart: -1,
    appEnd: -1,
    pidStart: -1,
    pidEnd: -1,
    msgIdStart: -1,
    msgIdEnd: -1,
    sdStart: -1,
    sdEnd: -1,
    message: -1,
    ns: false,
    nsDateStart: -1,
    nsTimeStart: -1,
    nsTimeEnd: -1,
    nsZoneStart: -1,
    nsZoneEnd: -1,
    nsHostStart: -1,
    nsHostEnd: -1,
    nsPpeStart: -1,
    nsPpeEnd: -1,
    nsPartitionStart: -1,
    nsPartitionEnd: -1,
    nsModuleStart: -1,
    nsModuleEnd: -1,
    nsEventStart: -1,
    nsEventEnd: -1,
    nsSeqStart: -1,
    nsSeqEnd: -1,
    nsNextStart: -1,
    nsNextEnd: -1,
    nsBody: -1,
    clientStart: -1,
    clientEnd: -1,
  };
}

const EMPTY_PARTS: Readonly<Parts> = emptyParts();

function reset(p: Parts): void {
  Object.assign(p, EMPTY_PARTS);
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** Index of byte `c` in [start, end), or -1 (a loop: the ranges are a few bytes long). */
function indexIn(buf: Uint8Array, c: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (buf[i] === c) return i;
  return -1;
}

function tokenEnd(buf: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && buf[i] !== SPACE) i++;
  return i;
}

/** Length of a BSD timestamp at `at` (`Mmm dd hh:mm:ss`, `Mmm  d …`, `.frac`, `Mmm dd yyyy hh:mm:ss`), or 0. */
function bsdStampLength(buf: Uint8Array, at: number, end: number): number {
  if (end - at < 15 || monthFromBytes(buf, at) === 0 || buf[at + 3] !== SPACE) return 0;
  let i = at + 4;
  if (buf[i] === SPACE) i++;
  const dayStart = i;
  while (isDigit(buf[i])) i++;
  if (i - dayStart < 1 || i - dayStart > 2 || buf[i] !== SPACE) return 0;
  i++;
  // Some devices write the year before the time.
  if (isDigit(buf[i]) && isDigit(buf[i + 3]) && buf[i + 4] === SPACE) i += 5;
  if (!isDigit(buf[i]) || !isDigit(buf[i + 1]) || buf[i + 2] !== COLON) return 0;
  if (!isDigit(buf[i + 3]) || !isDigit(buf[i + 4]) || buf[i + 5] !== COLON) return 0;
  if (!isDigit(buf[i + 6]) || !isDigit(buf[i + 7])) return 0;
  i += 8;
  if (buf[i] === DOT) {
    i++;
    while (isDigit(buf[i])) i++;
  }
  return i <= end ? i - at : 0;
}

/** Length of an ISO 8601 timestamp at `at` (`YYYY-MM-DDThh:mm:ss[.frac][Z|±hh:mm]`), or 0. */
function isoStampLength(buf: Uint8Array, at: number, end: number): number {
  if (end - at < 19 || buf[at + 4] !== DASH || buf[at + 7] !== DASH) return 0;
  if (buf[at + 10] !== 84 && buf[at + 10] !== 116) return 0; // T
  if (buf[at + 13] !== COLON || buf[at + 16] !== COLON) return 0;
  let i = at + 19;
  if (buf[i] === DOT) {
    i++;
    while (isDigit(buf[i])) i++;
  }
  if (buf[i] === 90 || buf[i] === 122) i++;
  else if ((buf[i] === 43 || buf[i] === DASH) && buf[i + 3] === COLON) i += 6;
  return i <= end ? i - at : 0;
}

/** `hh:mm:ss` at `at`. */
function isClock(buf: Uint8Array, at: number): boolean {
  return (
    isDigit(buf[at]) &&
    isDigit(buf[at + 1]) &&
    buf[at + 2] === COLON &&
    isDigit(buf[at + 3]) &&
    isDigit(buf[at + 4]) &&
    buf[at + 5] === COLON &&
    isDigit(buf[at + 6]) &&
    isDigit(buf[at + 7])
  );
}

/** `d-PPE-d` (NetScaler packet engine id). */
function isPpe(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && isDigit(buf[i])) i++;
  if (i === start || !bytesEqual(buf, i, i + 5, '-PPE-')) return false;
  i += 5;
  const digits = i;
  while (i < end && isDigit(buf[i])) i++;
  return i > digits && i === end;
}

/**
 * NetScaler header at `at`: `[MM/DD/YYYY:]hh:mm:ss ZONE host d-PPE-d : partition MODULE EVENT seq n :`.
 * The first line of the corpus sample: `06:29:05 GMT mymachine 0-PPE-1 : default SSLVPN
 * TCPCONNSTAT 1141302652 0 :  Context …`. The meaning of the value after the sequence number is
 * UNVERIFIED; it is kept as a field.
 */
function scanNetScaler(buf: Uint8Array, at: number, end: number, p: Parts): boolean {
  let i = at;
  let dateStart = -1;
  if (isDigit(buf[i]) && isDigit(buf[i + 1]) && buf[i + 2] === SLASH && buf[i + 5] === SLASH) {
    if (buf[i + 10] !== COLON) return false;
    dateStart = i;
    i += 11;
  }
  if (!isClock(buf, i) || buf[i + 8] !== SPACE) return false;
  const timeStart = i;
  const timeEnd = i + 8;
  const zoneStart = timeEnd + 1;
  const zoneEnd = tokenEnd(buf, zoneStart, end);
  const hostStart = zoneEnd + 1;
  const hostEnd = tokenEnd(buf, hostStart, end);
  const ppeStart = hostEnd + 1;
  const ppeEnd = tokenEnd(buf, ppeStart, end);
  if (ppeEnd >= end || !isPpe(buf, ppeStart, ppeEnd)) return false;
  if (buf[ppeEnd + 1] !== COLON || buf[ppeEnd + 2] !== SPACE) return false;
  // partition MODULE EVENT seq n :
  const ranges: number[] = [];
  let k = ppeEnd + 3;
  for (let f = 0; f < 5; f++) {
    const e = tokenEnd(buf, k, end);
    if (e === k || e >= end) return false;
    ranges.push(k, e);
    k = e + 1;
  }
  if (buf[k] !== COLON) return false;
  p.ns = true;
  p.nsDateStart = dateStart;
  p.nsTimeStart = timeStart;
  p.nsTimeEnd = timeEnd;
  p.nsZoneStart = zoneStart;
  p.nsZoneEnd = zoneEnd;
  p.nsHostStart = hostStart;
  p.nsHostEnd = hostEnd;
  p.nsPpeStart = ppeStart;
  p.nsPpeEnd = ppeEnd;
  p.nsPartitionStart = ranges[0]!;
  p.nsPartitionEnd = ranges[1]!;
  p.nsModuleStart = ranges[2]!;
  p.nsModuleEnd = ranges[3]!;
  p.nsEventStart = ranges[4]!;
  p.nsEventEnd = ranges[5]!;
  p.nsSeqStart = ranges[6]!;
  p.nsSeqEnd = ranges[7]!;
  p.nsNextStart = ranges[8]!;
  p.nsNextEnd = ranges[9]!;
  k++;
  while (k < end && buf[k] === SPACE) k++;
  p.nsBody = k;
  findClient(buf, k, end, p);
  return true;
}

const clientScratch = new Int32Array(2);

/** The client address in a NetScaler body: the first listed key with an address, else Context's. */
function findClient(buf: Uint8Array, body: number, end: number, p: Parts): void {
  for (const key of CLIENT_KEY_BYTES) {
    let from = body;
    for (;;) {
      const at = buf.indexOf(key[0]!, from);
      if (at < 0 || at + key.length >= end) break;
      from = at + 1;
      let same = true;
      for (let j = 1; j < key.length; j++)
        if (buf[at + j] !== key[j]) {
          same = false;
          break;
        }
      if (!same || (at > body && buf[at - 1] !== SPACE)) continue;
      let v = at + key.length;
      if (buf[v] === COLON) v++;
      if (buf[v] !== SPACE) continue;
      v++;
      const e = tokenEnd(buf, v, end);
      if (addressIn(buf, v, e, clientScratch)) {
        p.clientStart = clientScratch[0]!;
        p.clientEnd = clientScratch[1]!;
        return;
      }
    }
  }
  // Context user@address
  if (bytesEqual(buf, body, body + 8, 'Context ')) {
    const e = tokenEnd(buf, body + 8, end);
    let at = e - 1;
    while (at > body + 8 && buf[at] !== AT) at--;
    if (buf[at] === AT && addressIn(buf, at + 1, e, clientScratch)) {
      p.clientStart = clientScratch[0]!;
      p.clientEnd = clientScratch[1]!;
    }
  }
}

/** Skips RFC 5424 structured data at `at` (`-` or `[...]...`); returns its end or -1 when malformed. */
function structuredDataEnd(buf: Uint8Array, at: number, end: number): number {
  if (buf[at] === DASH) return at + 1;
  let i = at;
  while (i < end && buf[i] === OPEN) {
    i++;
    let inValue = false;
    for (;;) {
      if (i >= end) return -1;
      const c = buf[i]!;
      if (inValue) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) inValue = false;
      } else if (c === QUOTE) inValue = true;
      else if (c === CLOSE) break;
      i++;
    }
    i++;
  }
  return i === at ? -1 : i;
}

function scan(buf: Uint8Array, start: number, end: number, p: Parts): boolean {
  reset(p);
  let i = start;
  if (buf[i] === LT) {
    let value = 0;
    let k = i + 1;
    while (k < end && isDigit(buf[k]) && k - i <= 3) value = value * 10 + buf[k++]! - 48;
    if (k > i + 1 && buf[k] === GT && value <= 191) {
      p.pri = value;
      i = k + 1;
    }
  }
  // RFC 5424: a version right after the priority.
  if (p.pri >= 0 && isDigit(buf[i]) && buf[i + 1] === SPACE) {
    p.version = buf[i]! - 48;
    i += 2;
    const fields: number[] = [];
    for (let f = 0; f < 5; f++) {
      const e = tokenEnd(buf, i, end);
      if (e === i) return false;
      fields.push(i, e);
      i = e + 1;
    }
    if (i > end) return false;
    const stampLength = isoStampLength(buf, fields[0]!, fields[1]!);
    if (stampLength === fields[1]! - fields[0]!) {
      p.stamp = Stamp.Iso;
      p.stampStart = fields[0]!;
      p.stampEnd = fields[1]!;
    } else if (!(fields[1]! - fields[0]! === 1 && buf[fields[0]!] === DASH)) return false;
    const nil = (k: number): boolean =>
      fields[k + 1]! - fields[k]! === 1 && buf[fields[k]!] === DASH;
    if (!nil(2)) {
      p.hostStart = fields[2]!;
      p.hostEnd = fields[3]!;
    }
    if (!nil(4)) {
      p.appStart = fields[4]!;
      p.appEnd = fields[5]!;
    }
    if (!nil(6)) {
      p.pidStart = fields[6]!;
      p.pidEnd = fields[7]!;
    }
    if (!nil(8)) {
      p.msgIdStart = fields[8]!;
      p.msgIdEnd = fields[9]!;
    }
    const sdEnd = structuredDataEnd(buf, i, end);
    if (sdEnd < 0) return false;
    if (buf[i] === OPEN) {
      p.sdStart = i;
      p.sdEnd = sdEnd;
    }
    i = sdEnd;
    if (i < end && buf[i] === SPACE) i++;
    // A UTF-8 byte order mark may introduce the message (RFC 5424 §6.4).
    if (buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) i += 3;
    p.message = Math.min(i, end);
    scanNetScaler(buf, p.message, end, p);
    return true;
  }
  if (p.pri >= 0 && buf[i] === SPACE) i++;
  // NetScaler writes its own timestamp where the BSD one would be.
  if (scanNetScaler(buf, i, end, p)) {
    p.message = p.nsBody;
    return true;
  }
  let length = bsdStampLength(buf, i, end);
  if (length > 0) p.stamp = Stamp.Bsd;
  else {
    length = isoStampLength(buf, i, end);
    if (length > 0) p.stamp = Stamp.Iso;
  }
  if (length === 0 || (i + length < end && buf[i + length] !== SPACE)) return false;
  p.stampStart = i;
  p.stampEnd = i + length;
  i += length;
  while (i < end && buf[i] === SPACE) i++;
  if (scanNetScaler(buf, i, end, p)) {
    p.message = p.nsBody;
    return true;
  }
  // HOST TAG[PID]: MSG — or no host, when the first word already ends the tag.
  let e = tokenEnd(buf, i, end);
  const looksLikeTag = (s: number, t: number): boolean =>
    t > s && (buf[t - 1] === COLON || indexIn(buf, OPEN, s, t) >= 0);
  if (e > i && !looksLikeTag(i, e)) {
    p.hostStart = i;
    p.hostEnd = e;
    i = e + 1;
    e = tokenEnd(buf, i, end);
  }
  if (e > i && looksLikeTag(i, e)) {
    let tagEnd = e - (buf[e - 1] === COLON ? 1 : 0);
    const open = indexIn(buf, OPEN, i, tagEnd);
    if (open >= 0 && buf[tagEnd - 1] === CLOSE) {
      p.pidStart = open + 1;
      p.pidEnd = tagEnd - 1;
      tagEnd = open;
    }
    p.appStart = i;
    p.appEnd = tagEnd;
    i = e + 1;
  }
  p.message = Math.min(i, end);
  if (!p.ns) scanNetScaler(buf, p.message, end, p);
  return true;
}

// ---- time -----------------------------------------------------------------------------------

interface TimeResult {
  ms: number;
  /** How the time was completed, for the notes. */
  yearFromFile: boolean;
  dateFromFile: boolean;
}

/** Year for a date written without one: the file's, unless that puts the date after the file was last written. */
function yearFor(month: number, day: number, wallMs: number, file: FileContext): number {
  const year = new Date(file.modifiedMs).getUTCFullYear();
  const candidate = civilToUtcMs(year, month, day, 0, 0, 0) + (wallMs % DAY_MS);
  return candidate > file.modifiedMs + DAY_MS ? year - 1 : year;
}

function readDigits(buf: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) {
    const d = buf[at + k]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function bsdTime(buf: Uint8Array, s: number, e: number, file: FileContext, out: TimeResult): void {
  const month = monthFromBytes(buf, s);
  let i = s + 4;
  if (buf[i] === SPACE) i++;
  let day = 0;
  while (isDigit(buf[i])) day = day * 10 + buf[i++]! - 48;
  i++;
  let year = -1;
  if (buf[i + 4] === SPACE) {
    year = readDigits(buf, i, 4);
    i += 5;
  }
  const hour = readDigits(buf, i, 2);
  const minute = readDigits(buf, i + 3, 2);
  const second = readDigits(buf, i + 6, 2);
  let millis = 0;
  if (buf[i + 8] === DOT) {
    let scale = 100;
    for (let k = i + 9; k < e && isDigit(buf[k]); k++) {
      millis += (buf[k]! - 48) * scale;
      scale /= 10;
    }
  }
  const timeOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + Math.floor(millis);
  out.yearFromFile = year < 0;
  if (year < 0) year = yearFor(month, day, timeOfDay, file);
  const wall = civilToUtcMs(year, month, day, hour, minute, second, Math.floor(millis));
  out.ms = wallToUtc(wall, file.options.timeZone);
}

function isoTime(buf: Uint8Array, s: number, e: number, file: FileContext): number {
  const year = readDigits(buf, s, 4);
  const month = readDigits(buf, s + 5, 2);
  const day = readDigits(buf, s + 8, 2);
  const hour = readDigits(buf, s + 11, 2);
  const minute = readDigits(buf, s + 14, 2);
  const second = readDigits(buf, s + 17, 2);
  let i = s + 19;
  let millis = 0;
  if (buf[i] === DOT) {
    let scale = 100;
    i++;
    while (i < e && isDigit(buf[i])) {
      millis += (buf[i]! - 48) * scale;
      scale /= 10;
      i++;
    }
  }
  const wall = civilToUtcMs(year, month, day, hour, minute, second, Math.floor(millis));
  if (i >= e) return wallToUtc(wall, file.options.timeZone);
  if (buf[i] === 90 || buf[i] === 122) return wall;
  const sign = buf[i] === DASH ? -1 : 1;
  const offset = readDigits(buf, i + 1, 2) * 60 + readDigits(buf, i + 4, 2);
  return wall - sign * offset * 60_000;
}

const GMT = { kind: 'offset', offsetMinutes: 0, note: null } as const;

/** NetScaler `[MM/DD/YYYY:]hh:mm:ss ZONE`; without a date, the file's modification date. */
function netScalerTime(buf: Uint8Array, p: Parts, file: FileContext, out: TimeResult): void {
  const t = p.nsTimeStart;
  const hour = readDigits(buf, t, 2);
  const minute = readDigits(buf, t + 3, 2);
  const second = readDigits(buf, t + 6, 2);
  // NetScaler writes GMT unless told to log local time; skip the table lookup for it.
  const resolution = bytesEqual(buf, p.nsZoneStart, p.nsZoneEnd, 'GMT')
    ? GMT
    : resolveZoneToken(utf8Text(buf, p.nsZoneStart, p.nsZoneEnd), file.options);
  if (p.nsDateStart >= 0) {
    const d = p.nsDateStart;
    const first = readDigits(buf, d, 2);
    const second2 = readDigits(buf, d + 3, 2);
    const year = readDigits(buf, d + 6, 4);
    // NetScaler's date order is a setting (MMDDYYYY by default, DDMMYYYY in the corpus sample's
    // quoted times): the dateOrder option decides.
    const dayFirst = file.options.dateOrder === 'dmy';
    const month = dayFirst ? second2 : first;
    const day = dayFirst ? first : second2;
    out.ms = resolvedToUtc(civilToUtcMs(year, month, day, hour, minute, second), resolution);
    return;
  }
  const modified = new Date(file.modifiedMs);
  const base = daysFromCivil(
    modified.getUTCFullYear(),
    modified.getUTCMonth() + 1,
    modified.getUTCDate(),
  );
  const wall = civilToUtcMs(1970, 1, 1, hour, minute, second) + base * DAY_MS;
  let ms = resolvedToUtc(wall, resolution);
  // A time of day after the file's last write belongs to the day before.
  if (ms > file.modifiedMs + 3_600_000) ms -= DAY_MS;
  out.ms = ms;
  out.dateFromFile = true;
}

function recordTime(buf: Uint8Array, p: Parts, file: FileContext, out: TimeResult): void {
  out.ms = NaN;
  out.yearFromFile = false;
  out.dateFromFile = false;
  if (p.ns && (p.nsDateStart >= 0 || p.stamp === Stamp.None)) netScalerTime(buf, p, file, out);
  else if (p.stamp === Stamp.Bsd) bsdTime(buf, p.stampStart, p.stampEnd, file, out);
  else if (p.stamp === Stamp.Iso) out.ms = isoTime(buf, p.stampStart, p.stampEnd, file);
}

// ---- index and parse ------------------------------------------------------------------------

/** Fields read from the header as byte ranges; `sd.*` and the NetScaler body's keys need a parse. */
const HEADER_FIELDS = new Set([
  'priority',
  'facility',
  'severity',
  'version',
  'timestamp',
  'hostname',
  'app_name',
  'procid',
  'msgid',
  'structured_data',
  'ns.timestamp',
  'ns.zone',
  'ns.host',
  'ns.ppe',
  'ns.partition',
  'ns.module',
  'ns.event',
  'ns.sequence',
  'ns.after_sequence',
]);

class SyslogIndexer implements TextIndexer {
  private readonly parts = emptyParts();
  private readonly time: TimeResult = { ms: NaN, yearFromFile: false, dateFromFile: false };
  private readonly wanted: Wanted;
  /** Wanted names only a full parse can give (structured data, NetScaler body keys). */
  private readonly parsedNames: readonly string[];

  constructor(private readonly file: FileContext) {
    this.wanted = wantedOf(file);
    this.parsedNames = this.wanted.names.filter(
      (name) => !HEADER_FIELDS.has(name) && (name.startsWith('sd.') || name.startsWith('ns.')),
    );
  }

  index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    end = trimEnd(buf, start, end);
    const p = this.parts;
    if (!scan(buf, start, end, p)) {
      sink.flag(RecordFlag.ParseError);
      if (this.wanted.message) sink.field('message', buf, start, end);
      return;
    }
    if (this.wanted.any) this.reportFields(buf, start, end, sink);
    recordTime(buf, p, this.file, this.time);
    if (Number.isNaN(this.time.ms)) {
      if (p.stamp !== Stamp.None || p.ns) sink.flag(RecordFlag.BadTimestamp);
    } else sink.time(this.time.ms);
    if (p.pri >= 0) sink.levelText(SEVERITIES[p.pri & 7]!);
    if (p.ns) {
      sink.source(buf, p.nsModuleStart, p.nsModuleEnd);
      sink.code(buf, p.nsEventStart, p.nsEventEnd);
      sink.host(buf, p.nsHostStart, p.nsHostEnd);
      if (p.clientStart >= 0) sink.srcIp(buf, p.clientStart, p.clientEnd);
      return;
    }
    if (p.appStart >= 0) sink.source(buf, p.appStart, p.appEnd);
    if (p.msgIdStart >= 0) sink.code(buf, p.msgIdStart, p.msgIdEnd);
    if (p.hostStart >= 0) sink.host(buf, p.hostStart, p.hostEnd);
  }

  /** The fields tags read, with exactly the values the parse gives them. */
  private reportFields(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    const p = this.parts;
    if (this.wanted.message) sink.field('message', buf, p.ns ? p.nsBody : p.message, end);
    const range = (name: string, s: number, e: number): void => {
      if (s >= 0 && e > s) sink.field(name, buf, s, e);
    };
    for (const name of this.wanted.names) {
      switch (name) {
        case 'priority':
          if (p.pri >= 0) reportText(sink, name, String(p.pri));
          break;
        case 'facility':
          if (p.pri >= 0) reportText(sink, name, FACILITIES[p.pri >> 3] ?? String(p.pri >> 3));
          break;
        case 'severity':
          if (p.pri >= 0) reportText(sink, name, SEVERITIES[p.pri & 7]!);
          break;
        case 'version':
          if (p.version >= 0) reportText(sink, name, String(p.version));
          break;
        case 'timestamp':
          range(name, p.stampStart, p.stampEnd);
          break;
        case 'hostname':
          range(name, p.hostStart, p.hostEnd);
          break;
        case 'app_name':
          range(name, p.appStart, p.appEnd);
          break;
        case 'procid':
          range(name, p.pidStart, p.pidEnd);
          break;
        case 'msgid':
          range(name, p.msgIdStart, p.msgIdEnd);
          break;
        case 'structured_data':
          if (p.sdStart >= 0) sink.field(name, buf, p.sdStart, p.sdEnd);
          break;
        case 'ns.timestamp':
          if (p.ns)
            sink.field(name, buf, p.nsDateStart >= 0 ? p.nsDateStart : p.nsTimeStart, p.nsTimeEnd);
          break;
        case 'ns.zone':
          if (p.ns) range(name, p.nsZoneStart, p.nsZoneEnd);
          break;
        case 'ns.host':
          if (p.ns) range(name, p.nsHostStart, p.nsHostEnd);
          break;
        case 'ns.ppe':
          if (p.ns) range(name, p.nsPpeStart, p.nsPpeEnd);
          break;
        case 'ns.partition':
          if (p.ns) range(name, p.nsPartitionStart, p.nsPartitionEnd);
          break;
        case 'ns.module':
          if (p.ns) range(name, p.nsModuleStart, p.nsModuleEnd);
          break;
        case 'ns.event':
          if (p.ns) range(name, p.nsEventStart, p.nsEventEnd);
          break;
        case 'ns.sequence':
          if (p.ns) range(name, p.nsSeqStart, p.nsSeqEnd);
          break;
        case 'ns.after_sequence':
          if (p.ns) range(name, p.nsNextStart, p.nsNextEnd);
          break;
      }
    }
    // Structured-data parameters and NetScaler body keys come out of a parse; only when a tag
    // reads one of them is a record parsed twice.
    if (this.parsedNames.length > 0 && (p.sdStart >= 0 || p.ns))
      reportParsed(sink, parseSyslog(utf8Text(buf, start, end), this.file), this.parsedNames);
  }
}

/** `[id k="v" k2="v2"][id2 …]` → `sd.id.k` fields (escapes `\"`, `\\`, `\]` undone). */
function structuredDataFields(text: string, fields: Record<string, string>): void {
  const element = /\[([^\s\]=]+)((?:\s+[^\s=\]]+="(?:[^"\\]|\\.)*")*)\s*\]/g;
  const param = /([^\s=\]]+)="((?:[^"\\]|\\.)*)"/g;
  for (const m of text.matchAll(element)) {
    const id = m[1]!;
    fields[`sd.${id}`] = '';
    for (const q of m[2]!.matchAll(param))
      fields[`sd.${id}.${q[1]!}`] = q[2]!.replace(/\\(["\\\]])/g, '$1');
  }
}

/** NetScaler bodies are `Key value - Key value - …`; these become `ns.Key` fields. */
function netScalerFields(body: string, fields: Record<string, string>): void {
  if (!body.includes(' - ')) return;
  for (const part of body.split(' - ')) {
    const trimmed = part.trim();
    const m = /^([A-Za-z][\w()]*):?\s+(.*)$/s.exec(trimmed);
    if (m === null) continue;
    let value = m[2]!.trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    const key = `ns.${m[1]!}`;
    if (!(key in fields)) fields[key] = value;
  }
}

function parseSyslog(text: string, file: FileContext): ParsedRecord {
  const { buf, fields, slice, put } = displayText(text);
  const p = emptyParts();
  if (!scan(buf, 0, buf.length, p))
    return unparsedRecord(text, RecordFlag.ParseError, [
      'Not a syslog line: expected `<PRI>Mmm dd hh:mm:ss host tag: message`, an RFC 5424 header, or a NetScaler header.',
    ]);
  const notes: string[] = [];
  let flags = 0;
  if (p.pri >= 0) {
    put('priority', String(p.pri));
    put('facility', FACILITIES[p.pri >> 3] ?? String(p.pri >> 3));
    put('severity', SEVERITIES[p.pri & 7]!);
  }
  if (p.version >= 0) put('version', String(p.version));
  put('timestamp', slice(p.stampStart, p.stampEnd));
  put('hostname', slice(p.hostStart, p.hostEnd));
  put('app_name', slice(p.appStart, p.appEnd));
  put('procid', slice(p.pidStart, p.pidEnd));
  put('msgid', slice(p.msgIdStart, p.msgIdEnd));
  if (p.sdStart >= 0) {
    const sd = utf8Text(buf, p.sdStart, p.sdEnd);
    put('structured_data', sd);
    structuredDataFields(sd, fields);
  }
  const message = utf8Text(buf, p.message, buf.length);
  if (p.ns) {
    put(
      'ns.timestamp',
      utf8Text(buf, p.nsDateStart >= 0 ? p.nsDateStart : p.nsTimeStart, p.nsTimeEnd),
    );
    put('ns.zone', slice(p.nsZoneStart, p.nsZoneEnd));
    put('ns.host', slice(p.nsHostStart, p.nsHostEnd));
    put('ns.ppe', slice(p.nsPpeStart, p.nsPpeEnd));
    put('ns.partition', slice(p.nsPartitionStart, p.nsPartitionEnd));
    put('ns.module', slice(p.nsModuleStart, p.nsModuleEnd));
    put('ns.event', slice(p.nsEventStart, p.nsEventEnd));
    put('ns.sequence', slice(p.nsSeqStart, p.nsSeqEnd));
    put('ns.after_sequence', slice(p.nsNextStart, p.nsNextEnd));
    netScalerFields(utf8Text(buf, p.nsBody, buf.length), fields);
  }
  const time: TimeResult = { ms: NaN, yearFromFile: false, dateFromFile: false };
  recordTime(buf, p, file, time);
  const zone = file.options.timeZone ?? 'UTC';
  if (Number.isNaN(time.ms)) {
    if (p.stamp !== Stamp.None || p.ns) {
      flags |= RecordFlag.BadTimestamp;
      notes.push('The timestamp is not a valid date and time; no time was set.');
    }
  } else if (time.dateFromFile)
    notes.push(
      'The NetScaler time has no date: the date is the file’s modification date (the day before when the time would be later than the file).',
    );
  else if (p.stamp === Stamp.Bsd)
    notes.push(
      `BSD syslog time: read in the file's time zone ${zone}${time.yearFromFile ? '; the year is the file’s modification year (the year before for dates after it)' : ''}.`,
    );
  const ns = p.ns;
  return {
    time: Number.isNaN(time.ms) ? null : time.ms,
    srcIp: slice(p.clientStart, p.clientEnd),
    level: p.pri >= 0 ? SEVERITIES[p.pri & 7]! : null,
    code: ns ? slice(p.nsEventStart, p.nsEventEnd) : slice(p.msgIdStart, p.msgIdEnd),
    source: ns ? slice(p.nsModuleStart, p.nsModuleEnd) : slice(p.appStart, p.appEnd),
    host: ns ? slice(p.nsHostStart, p.nsHostEnd) : slice(p.hostStart, p.hostEnd),
    certHost: null,
    message: ns ? utf8Text(buf, p.nsBody, buf.length) : message,
    fields,
    flags,
    notes,
  };
}

function detectSyslog(lines: readonly string[], file: FileContext): number {
  const p = emptyParts();
  let seen = 0;
  let good = 0;
  let strong = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    seen++;
    const buf = utf8Bytes(line);
    if (scan(buf, 0, buf.length, p)) {
      const time: TimeResult = { ms: NaN, yearFromFile: false, dateFromFile: false };
      recordTime(buf, p, file, time);
      // A priority, a tag or a NetScaler header: an ISO time and a word alone would also match
      // countless application logs, which belong to plain.
      if (!Number.isNaN(time.ms) && (p.pri >= 0 || p.appStart >= 0 || p.ns)) {
        good++;
        if (p.pri >= 0 || p.ns) strong++;
      }
    }
    if (seen >= 200) break;
  }
  if (seen === 0) return 0;
  const share = good / seen;
  if (share < 0.5) return share * 0.5;
  return 0.55 + 0.25 * share + 0.15 * (strong / seen);
}

const DETECT_FILE: FileContext = {
  name: '',
  size: 0,
  modifiedMs: Date.UTC(2030, 0, 1),
  options: {},
};

const SAMPLES: TextFormat['samples'] = [
  {
    source:
      'corpus citrix/azure-sentinel_Citrix_ADC_gateway_syslog.txt line 1 (NetScaler, no date: file date 2024-06-01)',
    text: '06:29:05 GMT mymachine 0-PPE-1 : default SSLVPN TCPCONNSTAT 1141302652 0 : Context TestUser@10.0.0.1 - SessionId: 219722 - User TestUser - Client_ip 10.0.0.1 - Nat_ip 10.0.0.1 - Vserver 10.0.0.1:443 - Source 10.0.0.1:51025 - Destination 10.0.0.1 - Start_time "06/04/2023:10:47:40 GMT" - End_time "06/04/2023:10:47:40 GMT" - Duration 00:00:00  - Total_bytes_send 588 - Total_bytes_recv 11689 - Total_compressedbytes_send 0 - Total_compressedbytes_recv 0 - Compression_ratio_send 0.00% - Compression_ratio_recv 0.00% - Access Allowed - Group(s) "EA-CITRIX-NETSCALER-IB"',
    expect: {
      time: Date.UTC(2024, 4, 31, 6, 29, 5),
      srcIp: '10.0.0.1',
      code: 'TCPCONNSTAT',
      source: 'SSLVPN',
      host: 'mymachine',
      level: null,
      flags: 0,
      fields: {
        'ns.ppe': '0-PPE-1',
        'ns.sequence': '1141302652',
        'ns.after_sequence': '0',
        'ns.Vserver': '10.0.0.1:443',
        'ns.Start_time': '06/04/2023:10:47:40 GMT',
      },
    },
  },
  {
    source:
      'corpus citrix/azure-sentinel_Citrix_ADC_gateway_syslog.txt line 13 (Client_ip written without a value)',
    text: '06:29:05 GMT mymachine 0-PPE-1 : default AAATM LOGOUT 1143530217 0 :  User 10440799 - Client_ip  - Nat_ip "Mapped Ip" - Vserver 0.0.0.0:0 - Start_time "06/04/2023:11:53:42 GMT" - End_time "06/04/2023:11:53:42 GMT" - Duration 00:00:00  - Http_resources_accessed 0 - Total_TCP_connections 0 - Total_policies_allowed 0 - Total_policies_denied 0 - Total_bytes_send 0 - Total_bytes_recv 0 - Total_compressedbytes_send 0 - Total_compressedbytes_recv 0 - Compression_ratio_send 0.00% - Compression_ratio_recv 0.00% - LogoutMethod "TimedOut" - Group(s) "EA-CITRIX-NETSCALER-IB"',
    expect: { srcIp: null, code: 'LOGOUT', source: 'AAATM' },
  },
  {
    source: 'RFC 3164 §5.4 example 1 (priority 34 = auth.crit; year from the file date 2024-06-01)',
    text: "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
    expect: {
      time: Date.UTC(2023, 9, 11, 22, 14, 15),
      level: 'crit',
      host: 'mymachine',
      source: 'su',
      message: "'su root' failed for lonvick on /dev/pts/8",
      fields: { facility: 'auth', severity: 'crit' },
    },
  },
  {
    source: 'RFC 5424 §6.5 example 3 (structured data)',
    text: '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry...',
    expect: {
      time: Date.UTC(2003, 9, 11, 22, 14, 15, 3),
      level: 'notice',
      host: 'mymachine.example.com',
      source: 'evntslog',
      code: 'ID47',
      message: 'An application event log entry...',
      fields: {
        facility: 'local4',
        'sd.exampleSDID@32473.iut': '3',
        'sd.exampleSDID@32473.eventSource': 'Application',
      },
    },
  },
  {
    source: 'RFC 5424 §6.5 example 2 (offset, procid)',
    text: "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
    expect: {
      time: Date.UTC(2003, 7, 24, 12, 14, 15),
      host: '192.0.2.1',
      source: 'myproc',
      code: null,
      fields: { procid: '8710' },
    },
  },
  {
    source: 'composed: NetScaler audit message with its own dated timestamp after the priority',
    text: '<134> 06/04/2023:10:47:40 GMT ns01 0-PPE-0 : default SSLVPN LOGIN 1145210289 0 : Context alice@198.51.100.7 - SessionId: 220873 - User alice - Client_ip 198.51.100.7 - Nat_ip "Mapped Ip" - Vserver 203.0.113.10:443 - SSLVPN_client_type Agent',
    expect: {
      time: Date.UTC(2023, 5, 4, 10, 47, 40),
      level: 'info',
      srcIp: '198.51.100.7',
      host: 'ns01',
      code: 'LOGIN',
      fields: { facility: 'local0', 'ns.User': 'alice' },
    },
  },
  {
    source: 'composed: rsyslog RFC 3339 timestamp, load balancer tag with pid',
    text: '2024-03-05T08:14:02.123+01:00 lb01 haproxy[1234]: 172.16.1.5:51234 [05/Mar/2024:08:14:02.120] fe-https/1: SSL handshake failure',
    expect: {
      time: Date.UTC(2024, 2, 5, 7, 14, 2, 123),
      host: 'lb01',
      source: 'haproxy',
      srcIp: null,
      fields: { procid: '1234' },
    },
  },
];

export const syslog: TextFormat = {
  kind: 'text',
  id: 'syslog',
  messageKind: 'text',
  title: 'Syslog (RFC 3164, RFC 5424, NetScaler)',
  description:
    'Syslog as collectors, load balancers and appliances write it: BSD (RFC 3164) lines with or without a priority, RFC 5424 with structured data, and Citrix NetScaler / ADC audit messages. BSD times are local (set the time zone) and take their year from the file’s modification time. Level is the priority’s severity; NetScaler client addresses are read from the message.',
  filePatterns: ['syslog*', 'messages*', '*.syslog', 'ns.log*', 'newnslog*', '*.log'],
  columns: ['time', 'level', 'srcIp', 'code', 'source', 'host', 'message'],
  framing: { kind: 'lines' },
  detect(sample) {
    return detectSyslog(sample.lines, { ...DETECT_FILE, name: sample.fileName });
  },
  createIndexer(file) {
    return new SyslogIndexer(file);
  },
  parse(text, _context, file) {
    return parseSyslog(text, file);
  },
  samples: SAMPLES,
};
