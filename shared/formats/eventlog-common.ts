/**
 * What the Windows event-log text exports share (eventlog-csv, eventlog-txt, eventlog-xml): the
 * date styles Event Viewer writes, level names, and where a client address hides in an event.
 * Facts and their status: ../shared/reference/windows-eventlog.md §3-4.
 */
import type { FormatOptions } from './types';
import { civilToUtcMs, daysFromCivil } from '../time/civil';
import { wallToUtc } from '../time/zone';
import { addressIn } from './address';
import { utf8Bytes } from './bytes';

const SPACE = 32;
const TAB = 9;
const DOT = 46;
const SLASH = 47;
const DASH = 45;
const COLON = 58;
const DAY_MS = 86_400_000;

/** Event Viewer's names for the numeric `Level` of an event (0, LogAlways, is shown as Information). */
export const LEVEL_NAMES: Readonly<Record<string, string>> = {
  '0': 'Information',
  '1': 'Critical',
  '2': 'Error',
  '3': 'Warning',
  '4': 'Information',
  '5': 'Verbose',
};

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** Digits at [i, …) up to `max` of them: value and count packed as value * 8 + count, or -1. */
function readNumber(buf: Uint8Array, i: number, end: number, max: number): number {
  let value = 0;
  let count = 0;
  while (i + count < end && count < max && isDigit(buf[i + count])) {
    value = value * 10 + buf[i + count]! - 48;
    count++;
  }
  return count === 0 ? -1 : value * 8 + count;
}

/**
 * Invisible direction marks (U+200E, U+200F, as E2 80 8E / E2 80 8F) that some Windows locales put
 * around date parts: skipped. UNVERIFIED which Event Viewer versions write them; cheap to allow.
 */
function skipMarks(buf: Uint8Array, i: number, end: number): number {
  while (
    i + 2 < end &&
    buf[i] === 0xe2 &&
    buf[i + 1] === 0x80 &&
    (buf[i + 2] === 0x8e || buf[i + 2] === 0x8f)
  )
    i += 3;
  return i;
}

/** Result of reading a date or time part; `end` is where reading stopped. */
interface Part {
  value: number;
  end: number;
}

/**
 * A date as Event Viewer writes it in the locales we know: `M/D/YYYY` (en-US), `D/M/YYYY` (with
 * dateOrder `dmy`), `YYYY-MM-DD` and `YYYY/MM/DD` (ISO-like locales), `D.M.YYYY` (German and
 * others, always day first). Two-digit years (Windows 2003 short dates in some locales,
 * UNVERIFIED) are read as 1970-2069. Returns days since 1970-01-01, or NaN.
 */
function readDate(
  buf: Uint8Array,
  start: number,
  end: number,
  order: FormatOptions['dateOrder'],
  out: Part,
): void {
  out.value = NaN;
  let i = skipMarks(buf, start, end);
  const a = readNumber(buf, i, end, 4);
  if (a < 0) return;
  i += a & 7;
  const sep = buf[i];
  if (sep !== SLASH && sep !== DASH && sep !== DOT) return;
  i = skipMarks(buf, i + 1, end);
  const b = readNumber(buf, i, end, 2);
  if (b < 0) return;
  i += b & 7;
  if (buf[i] !== sep) return;
  i = skipMarks(buf, i + 1, end);
  const c = readNumber(buf, i, end, 4);
  if (c < 0) return;
  i += c & 7;
  out.end = skipMarks(buf, i, end);
  const first = a >> 3;
  const second = b >> 3;
  let third = c >> 3;
  let year: number;
  let month: number;
  let day: number;
  if ((a & 7) === 4) {
    if (sep === DOT) return;
    year = first;
    month = second;
    day = third;
  } else {
    if ((c & 7) === 2) third += third < 70 ? 2000 : 1900;
    else if ((c & 7) !== 4) return;
    if (sep === DASH) return;
    year = third;
    const dayFirst = sep === DOT || order === 'dmy';
    month = dayFirst ? second : first;
    day = dayFirst ? first : second;
  }
  if (Number.isNaN(civilToUtcMs(year, month, day, 0, 0, 0))) return;
  out.value = daysFromCivil(year, month, day);
}

/** `h:mm[:ss[.fff]]` with an optional `AM`/`PM` (any case): ms since midnight, or NaN. */
function readTime(buf: Uint8Array, start: number, end: number, out: Part): void {
  out.value = NaN;
  let i = skipMarks(buf, start, end);
  const h = readNumber(buf, i, end, 2);
  if (h < 0) return;
  i += h & 7;
  if (buf[i] !== COLON) return;
  const m = readNumber(buf, i + 1, end, 2);
  if (m < 0 || (m & 7) !== 2) return;
  i += 3;
  let second = 0;
  let millis = 0;
  if (buf[i] === COLON) {
    const s = readNumber(buf, i + 1, end, 2);
    if (s < 0 || (s & 7) !== 2) return;
    second = s >> 3;
    i += 3;
    if (buf[i] === DOT) {
      let scale = 100;
      i++;
      while (i < end && isDigit(buf[i])) {
        millis += (buf[i]! - 48) * scale;
        scale /= 10;
        i++;
      }
    }
  }
  let hour = h >> 3;
  const minute = m >> 3;
  let k = skipMarks(buf, i, end);
  while (k < end && buf[k] === SPACE) k++;
  k = skipMarks(buf, k, end);
  const a = (buf[k] ?? 0) | 0x20;
  if ((a === 97 || a === 112) && ((buf[k + 1] ?? 0) | 0x20) === 109) {
    if (hour < 1 || hour > 12) return;
    hour = (hour % 12) + (a === 112 ? 12 : 0);
    i = k + 2;
  }
  if (hour > 23 || minute > 59 || second > 60) return;
  out.end = skipMarks(buf, i, end);
  out.value = ((hour * 60 + minute) * 60 + second) * 1000 + Math.floor(millis);
}

const scratch: Part = { value: NaN, end: 0 };

/** Days of a date filling [start, end) (spaces around allowed), or NaN. */
export function exportDay(
  buf: Uint8Array,
  start: number,
  end: number,
  order: FormatOptions['dateOrder'],
): number {
  readDate(buf, start, end, order, scratch);
  if (Number.isNaN(scratch.value) || !onlySpaces(buf, scratch.end, end)) return NaN;
  return scratch.value;
}

/** Ms since midnight of a time filling [start, end), or NaN. */
export function exportTimeOfDay(buf: Uint8Array, start: number, end: number): number {
  readTime(buf, start, end, scratch);
  if (Number.isNaN(scratch.value) || !onlySpaces(buf, scratch.end, end)) return NaN;
  return scratch.value;
}

/** Wall time (as if UTC) of `date time` filling [start, end), or NaN. */
export function exportWallTime(
  buf: Uint8Array,
  start: number,
  end: number,
  order: FormatOptions['dateOrder'],
): number {
  readDate(buf, start, end, order, scratch);
  const day = scratch.value;
  if (Number.isNaN(day)) return NaN;
  let i = scratch.end;
  if (i >= end || (buf[i] !== SPACE && buf[i] !== 84)) return NaN;
  i++;
  while (i < end && buf[i] === SPACE) i++;
  readTime(buf, i, end, scratch);
  if (Number.isNaN(scratch.value) || !onlySpaces(buf, scratch.end, end)) return NaN;
  return day * DAY_MS + scratch.value;
}

function onlySpaces(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== SPACE && buf[i] !== TAB) return false;
  return true;
}

/** Exports carry the writing computer's local time without a zone: read it in the file's time zone. */
export function localToUtc(wallMs: number, options: FormatOptions): number {
  return wallToUtc(wallMs, options.timeZone);
}

/** The note every export record with a local time carries. */
export function localTimeNote(options: FormatOptions): string {
  const order = options.dateOrder === 'dmy' ? 'day/month' : 'month/day';
  return `The time is the local time of the computer that wrote the export: read in ${options.timeZone ?? 'UTC'}, slash dates as ${order} (change both in the format options).`;
}

// ---- client addresses ---------------------------------------------------------------------

/**
 * Phrases after which Windows and gateway event messages give the client's address, in order of
 * preference. Data, not code:
 * - `Source Network Address:` — Security 4624/4625 logon events, RDP 1149.
 * - `Client Address:` — Kerberos 4768/4769/4771.
 * - `Source Address:` — Windows Filtering Platform 5156/5157 (its `Destination Address` is the
 *   server side and deliberately absent).
 * - `Client IP [` — Citrix Secure Gateway CSG3202 ("Client IP [a.b.c.d:port] connection dropped",
 *   theether.net KB 100012).
 * - `Client IP:` / `Client IP Address:` — common wording of other services (UNVERIFIED).
 */
export const MESSAGE_CLIENT_PHRASES: readonly string[] = [
  'Source Network Address:',
  'Client Address:',
  'Source Address:',
  'Client IP [',
  'Client IP:',
  'Client IP Address:',
];
const PHRASE_BYTES = MESSAGE_CLIENT_PHRASES.map((p) => utf8Bytes(p));

/**
 * EventData `<Data Name=…>` items holding the client's address: `IpAddress` (Security
 * 4624/4625/4768), `SourceAddress` (5156/5157); `ClientAddress` and `ClientIP` are used by other
 * providers (UNVERIFIED which).
 */
export const EVENTDATA_CLIENT_NAMES: readonly string[] = [
  'IpAddress',
  'ClientAddress',
  'SourceAddress',
  'ClientIP',
];

const addressScratch = new Int32Array(2);

/**
 * The client address in message text [start, end): after the first phrase (in table order) that is
 * followed by a well-formed address. Writes its range (port removed) to `out`.
 */
export function findMessageClient(
  buf: Uint8Array,
  start: number,
  end: number,
  out: Int32Array,
): boolean {
  for (const phrase of PHRASE_BYTES) {
    let from = start;
    for (;;) {
      const at = buf.indexOf(phrase[0]!, from);
      if (at < 0 || at + phrase.length > end) break;
      from = at + 1;
      let same = true;
      for (let j = 1; j < phrase.length; j++)
        if (buf[at + j] !== phrase[j]) {
          same = false;
          break;
        }
      if (!same) continue;
      let v = at + phrase.length;
      while (v < end && (buf[v] === SPACE || buf[v] === TAB)) v++;
      let e = v;
      while (e < end && buf[e]! > SPACE && buf[e] !== 93) e++; // up to whitespace or ']'
      if (addressIn(buf, v, e, addressScratch)) {
        out[0] = addressScratch[0]!;
        out[1] = addressScratch[1]!;
        return true;
      }
    }
  }
  return false;
}
