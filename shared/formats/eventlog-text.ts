/**
 * Event Viewer's delimited text exports, as two formats over one scanner:
 * - `eventlog-csv`: "Save As… CSV". Vista and later write a header `Level,Date and Time,Source,
 *   Event ID,Task Category` and rows whose description is a sixth, unnamed, quoted and often
 *   multi-line value (the sixth column is UNVERIFIED: the one real sample we know shows five).
 * - `eventlog-txt`: "Save As… Text", tab-delimited with the same columns (UNVERIFIED: no real
 *   sample found), and the Splunk forwarder's WinEventLog rendering (a `MM/DD/YYYY hh:mm:ss AM`
 *   line, then `Key=Value` lines, `Message=` last and running to the next event), which is the
 *   closest real text rendering of Windows events we have (../shared/corpus/eventlog-export).
 * Both also read the Windows 2000/2003 Event Viewer layout that Citrix Secure Gateway 3.x hosts
 * export: Date, Time, Source, Type, Category, Event, User, Computer, Description, no header.
 * Exports are said to be UTF-16LE with a BOM (UNVERIFIED, widely reported); the pipeline detects
 * the encoding and transcodes, so UTF-8 and UTF-16 read alike.
 *
 * Records are cut where a line has the shape of a row start (level and date and numeric event
 * id, or date and time and numeric event id, or the header, or a Splunk date line); every other
 * line belongs to the record above. Quote counting is not used for framing: a description with an
 * unbalanced quote must not swallow the rest of the file. Times are the exporting computer's local
 * time in its locale's format, read with the file's time-zone and date-order options.
 */
import type { FileContext, FormatOptions, IndexSink, TextFormat, TextIndexer } from './types';
import type { ParsedRecord } from '../record';
import { RecordFlag, unparsedRecord } from '../record';
import { bytesEqual, trimEnd, utf8Bytes, utf8Text } from './bytes';
import type { Wanted } from './wanted';
import { reportText, wantedOf } from './wanted';
import {
  exportDay,
  exportTimeOfDay,
  exportWallTime,
  findMessageClient,
  localTimeNote,
  localToUtc,
} from './eventlog-common';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const EQUALS = 61;
const DAY_MS = 86_400_000;

const enum Layout {
  Invalid,
  Header,
  /** Level, Date and Time, Source, Event ID, Task Category, Description. */
  Vista,
  /** Date, Time, Source, Type, Category, Event, User, Computer, Description. */
  Classic,
  /** Splunk WinEventLog: date line, Key=Value lines. */
  Splunk,
}

const VISTA_FIELDS = ['Level', 'Date and Time', 'Source', 'Event ID', 'Task Category'] as const;
const CLASSIC_FIELDS = [
  'Date',
  'Time',
  'Source',
  'Type',
  'Category',
  'Event',
  'User',
  'Computer',
] as const;
/** Splunk keys the columns come from. */
const SPLUNK_KEYS = ['Type', 'EventCode', 'SourceName', 'ComputerName', 'Message'] as const;
const SPLUNK_KEY_BYTES = SPLUNK_KEYS.map((k) => utf8Bytes(k));

/** The Windows 2003 layout has eight fixed fields; a ninth tells that a description follows. */
const MAX_FIXED = 9;

/** One record's layout and boundaries. Fixed fields are on the first line. */
class Row {
  layout = Layout.Invalid;
  starts = new Int32Array(MAX_FIXED);
  ends = new Int32Array(MAX_FIXED);
  /** Bit per fixed field: written in quotes with `""` inside. */
  escaped = 0;
  count = 0;
  descStart = -1;
  descEnd = -1;
  descEscaped = false;
  descUnclosed = false;
  /** Splunk: value ranges of SPLUNK_KEYS, -1 when absent. */
  splunk = new Int32Array(SPLUNK_KEYS.length * 2);
}

function lineEndOf(buf: Uint8Array, start: number, end: number): number {
  const nl = buf.indexOf(LF, start);
  let e = nl < 0 || nl > end ? end : nl;
  if (e > start && buf[e - 1] === CR) e--;
  return e;
}

/**
 * Reads one field at `at` on the line ending at `lineEnd`: quoted (`"…"`, `""` inside) or up to
 * the separator. Returns the position after the field's separator, or -1 at the end of the line.
 */
function readField(
  buf: Uint8Array,
  at: number,
  lineEnd: number,
  sep: number,
  row: Row,
  k: number,
): number {
  if (buf[at] === QUOTE) {
    let i = at + 1;
    for (;;) {
      if (i >= lineEnd) break;
      if (buf[i] === QUOTE) {
        if (buf[i + 1] === QUOTE && i + 1 < lineEnd) {
          row.escaped |= 1 << k;
          i += 2;
          continue;
        }
        if (i + 1 === lineEnd || buf[i + 1] === sep) {
          row.starts[k] = at + 1;
          row.ends[k] = i;
          return i + 1 === lineEnd ? -1 : i + 2;
        }
      }
      i++;
    }
    // No closing quote on this line: take the field as written.
  }
  let i = at;
  while (i < lineEnd && buf[i] !== sep) i++;
  row.starts[k] = at;
  row.ends[k] = i;
  return i >= lineEnd ? -1 : i + 1;
}

function isNumber(buf: Uint8Array, start: number, end: number): boolean {
  if (end <= start || end - start > 10) return false;
  for (let i = start; i < end; i++) if (buf[i]! < 48 || buf[i]! > 57) return false;
  return true;
}

/** Has a digit and a date separator (and `:` exactly when `withTime`): the shape of a date. */
function dateShaped(buf: Uint8Array, start: number, end: number, withTime: boolean): boolean {
  if (end - start < 5 || end - start > 48) return false;
  let digit = false;
  let separator = false;
  let colon = false;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) digit = true;
    else if (c === 47 || c === 46 || c === 45) separator = true;
    else if (c === 58) colon = true;
  }
  return digit && separator && colon === withTime;
}

function timeShaped(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start < 4 || end - start > 24) return false;
  let digit = false;
  let colon = false;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) digit = true;
    else if (c === 58) colon = true;
  }
  return digit && colon;
}

/**
 * Finds the layout and the fixed fields on the first line [start, lineEnd). Structural only: a
 * row with a damaged date is still a row (flagged later), so it is never glued onto another.
 */
function classify(
  buf: Uint8Array,
  start: number,
  lineEnd: number,
  sep: number,
  splunk: boolean,
  row: Row,
): void {
  row.layout = Layout.Invalid;
  row.escaped = 0;
  row.count = 0;
  let at = start;
  let k = 0;
  while (k < MAX_FIXED && at >= 0) {
    at = readField(buf, at, lineEnd, sep, row, k);
    k++;
  }
  row.count = k;
  const s = row.starts;
  const e = row.ends;
  if (
    k >= 2 &&
    bytesEqual(buf, s[0]!, e[0]!, 'Level') &&
    bytesEqual(buf, s[1]!, e[1]!, 'Date and Time')
  ) {
    row.layout = Layout.Header;
    return;
  }
  if (
    k >= 4 &&
    e[0]! > s[0]! &&
    e[0]! - s[0]! <= 64 &&
    dateShaped(buf, s[1]!, e[1]!, true) &&
    isNumber(buf, s[3]!, e[3]!)
  ) {
    row.layout = Layout.Vista;
    return;
  }
  if (
    k >= 6 &&
    dateShaped(buf, s[0]!, e[0]!, false) &&
    timeShaped(buf, s[1]!, e[1]!) &&
    isNumber(buf, s[5]!, e[5]!)
  ) {
    row.layout = Layout.Classic;
    return;
  }
  // A Splunk event starts with a line holding only its date and time (any date order).
  const c = buf[start];
  if (
    splunk &&
    k === 1 &&
    c !== undefined &&
    c >= 48 &&
    c <= 57 &&
    dateShaped(buf, start, lineEnd, true) &&
    buf.subarray(start, lineEnd).indexOf(EQUALS) < 0
  ) {
    row.layout = Layout.Splunk;
    row.count = 0;
  }
}

/** Fixed fields per layout; the description starts after the separator that ends the last one. */
function fixedCount(layout: Layout): number {
  return layout === Layout.Vista ? 5 : layout === Layout.Classic ? 8 : 0;
}

function scanRecord(
  buf: Uint8Array,
  start: number,
  end: number,
  sep: number,
  splunk: boolean,
  row: Row,
): void {
  const lineEnd = lineEndOf(buf, start, end);
  classify(buf, start, lineEnd, sep, splunk, row);
  row.descStart = row.descEnd = -1;
  row.descEscaped = row.descUnclosed = false;
  row.splunk.fill(-1);
  if (row.layout === Layout.Splunk) {
    scanSplunk(buf, lineEnd, end, row);
    return;
  }
  const fixed = fixedCount(row.layout);
  if (fixed === 0 || row.count <= fixed) return;
  // The description: the rest of the record after the fixed fields' separators.
  let at = start;
  for (let k = 0; k < fixed; k++) {
    at = row.ends[k]!;
    if (buf[at] === QUOTE) at++;
    at++;
  }
  if (at > end) return;
  let descEnd = end;
  while (
    descEnd > at &&
    (buf[descEnd - 1] === SPACE || buf[descEnd - 1] === CR || buf[descEnd - 1] === LF)
  )
    descEnd--;
  if (buf[at] === QUOTE) {
    // A quoted description: `""` is a quote; it should end at the record's end.
    let i = at + 1;
    let close = -1;
    while (i < descEnd) {
      if (buf[i] === QUOTE) {
        if (buf[i + 1] === QUOTE && i + 1 < descEnd) {
          row.descEscaped = true;
          i += 2;
          continue;
        }
        close = i;
        break;
      }
      i++;
    }
    if (close === descEnd - 1) {
      row.descStart = at + 1;
      row.descEnd = close;
      return;
    }
    if (close < 0) {
      row.descUnclosed = true;
      row.descStart = at + 1;
      row.descEnd = descEnd;
      return;
    }
  }
  row.descEscaped = false;
  row.descStart = at;
  row.descEnd = descEnd;
}

/** Key=Value lines after the date line; `Message=` runs to the end of the record. */
function scanSplunk(buf: Uint8Array, firstLineEnd: number, end: number, row: Row): void {
  let at = firstLineEnd;
  while (at < end) {
    while (at < end && (buf[at] === CR || buf[at] === LF)) at++;
    if (at >= end) break;
    const lineEnd = lineEndOf(buf, at, end);
    let eq = at;
    while (eq < lineEnd && buf[eq] !== EQUALS) eq++;
    if (eq < lineEnd) {
      for (let k = 0; k < SPLUNK_KEY_BYTES.length; k++) {
        const key = SPLUNK_KEY_BYTES[k]!;
        if (eq - at !== key.length || row.splunk[k * 2]! >= 0) continue;
        let same = true;
        for (let j = 0; j < key.length; j++)
          if (buf[at + j] !== key[j]) {
            same = false;
            break;
          }
        if (!same) continue;
        row.splunk[k * 2] = eq + 1;
        if (SPLUNK_KEYS[k] === 'Message') {
          let e = end;
          while (e > eq + 1 && (buf[e - 1] === CR || buf[e - 1] === LF || buf[e - 1] === SPACE))
            e--;
          row.splunk[k * 2 + 1] = e;
          return;
        }
        row.splunk[k * 2 + 1] = lineEnd;
      }
    }
    at = lineEnd;
  }
}

function splunkRange(row: Row, key: (typeof SPLUNK_KEYS)[number]): [number, number] {
  const k = SPLUNK_KEYS.indexOf(key);
  return [row.splunk[k * 2]!, row.splunk[k * 2 + 1]!];
}

/** The record's time in UTC ms (NaN when missing or damaged). */
function rowTime(
  buf: Uint8Array,
  start: number,
  end: number,
  row: Row,
  options: FormatOptions,
): number {
  const s = row.starts;
  const e = row.ends;
  const order = options.dateOrder;
  let wall = NaN;
  if (row.layout === Layout.Vista) wall = exportWallTime(buf, s[1]!, e[1]!, order);
  else if (row.layout === Layout.Classic) {
    const day = exportDay(buf, s[0]!, e[0]!, order);
    const time = exportTimeOfDay(buf, s[1]!, e[1]!);
    wall = day * DAY_MS + time;
  } else if (row.layout === Layout.Splunk)
    wall = exportWallTime(buf, start, lineEndOf(buf, start, end), order);
  return Number.isNaN(wall) ? NaN : localToUtc(wall, options);
}

/** Which fixed field feeds which column, per layout (-1: none). */
function columnSlots(layout: Layout): {
  level: number;
  code: number;
  source: number;
  host: number;
} {
  if (layout === Layout.Vista) return { level: 0, code: 3, source: 2, host: -1 };
  return { level: 3, code: 5, source: 2, host: 7 };
}

function isPlainNumber(buf: Uint8Array, start: number, end: number): boolean {
  return isNumber(buf, start, end) && (buf[start] !== 48 || end - start === 1) && end - start <= 9;
}

/** Position of the value of Splunk key `name` (first occurrence, before `Message=`), or -1. */
function splunkKey(
  buf: Uint8Array,
  start: number,
  end: number,
  name: string,
  out: Int32Array,
): boolean {
  let at = lineEndOf(buf, start, end);
  while (at < end) {
    while (at < end && (buf[at] === CR || buf[at] === LF)) at++;
    if (at >= end) break;
    const lineEnd = lineEndOf(buf, at, end);
    let eq = at;
    while (eq < lineEnd && buf[eq] !== EQUALS) eq++;
    if (eq < lineEnd && eq > at) {
      if (bytesEqual(buf, at, eq, 'Message')) return false;
      if (bytesEqual(buf, at, eq, name)) {
        out[0] = eq + 1;
        out[1] = lineEnd;
        return true;
      }
    }
    at = lineEnd;
  }
  return false;
}

class DelimitedIndexer implements TextIndexer {
  private readonly row = new Row();
  private readonly line = new Row();
  private readonly client = new Int32Array(2);
  private readonly range = new Int32Array(2);
  private readonly wanted: Wanted;

  constructor(
    private readonly sep: number,
    private readonly splunk: boolean,
    private readonly file: FileContext,
  ) {
    this.wanted = wantedOf(file);
  }

  /** The fields tags read, with exactly the values the parse gives them. */
  private reportFields(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    const row = this.row;
    const wanted = this.wanted;
    const fixed = (name: string, k: number): void => {
      if (k >= row.count) return;
      const s = row.starts[k]!;
      const e = row.ends[k]!;
      if ((row.escaped & (1 << k)) !== 0)
        reportText(sink, name, utf8Text(buf, s, e).replaceAll('""', '"'));
      else sink.field(name, buf, s, e);
    };
    if (row.layout === Layout.Invalid || row.layout === Layout.Header) {
      if (wanted.message) sink.field('message', buf, start, end);
      if (row.layout === Layout.Header)
        for (const name of wanted.names) {
          const m = /^column(\d+)$/.exec(name);
          if (m !== null) fixed(name, Number(m[1]) - 1);
        }
      return;
    }
    if (row.layout === Layout.Splunk) {
      const [ms, me] = splunkRange(row, 'Message');
      if (wanted.message) sink.field('message', buf, ms >= 0 ? ms : start, ms >= 0 ? me : end);
      for (const name of wanted.names) {
        if (name === 'DateTime') sink.field(name, buf, start, lineEndOf(buf, start, end));
        else if (name === 'Message') {
          if (ms >= 0) sink.field(name, buf, ms, me);
        } else if (splunkKey(buf, start, end, name, this.range))
          sink.field(name, buf, this.range[0]!, this.range[1]!);
      }
      return;
    }
    const description = (name: string): void => {
      if (row.descStart < 0) sink.field(name, buf, start, end);
      else if (row.descEscaped)
        reportText(sink, name, utf8Text(buf, row.descStart, row.descEnd).replaceAll('""', '"'));
      else sink.field(name, buf, row.descStart, row.descEnd);
    };
    if (wanted.message) description('message');
    const names: readonly string[] = row.layout === Layout.Vista ? VISTA_FIELDS : CLASSIC_FIELDS;
    for (const name of wanted.names) {
      if (name === 'Description') {
        if (row.descStart >= 0) description(name);
      } else {
        const k = names.indexOf(name);
        if (k >= 0) fixed(name, k);
      }
    }
  }

  continues(buf: Uint8Array, start: number, end: number): boolean {
    classify(buf, start, end, this.sep, this.splunk, this.line);
    return this.line.layout === Layout.Invalid;
  }

  index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    end = trimEnd(buf, start, end);
    const row = this.row;
    scanRecord(buf, start, end, this.sep, this.splunk, row);
    if (this.wanted.any) this.reportFields(buf, start, end, sink);
    if (row.layout === Layout.Invalid) {
      sink.flag(RecordFlag.ParseError);
      return;
    }
    if (row.layout === Layout.Header) {
      sink.flag(RecordFlag.Directive);
      return;
    }
    const time = rowTime(buf, start, end, row, this.file.options);
    if (Number.isNaN(time)) sink.flag(RecordFlag.BadTimestamp);
    else sink.time(time);
    let descStart = row.descStart;
    let descEnd = row.descEnd;
    if (row.layout === Layout.Splunk) {
      this.splunkValue(buf, row, 'Type', Column.Level, sink);
      this.splunkValue(buf, row, 'SourceName', Column.Source, sink);
      this.splunkValue(buf, row, 'ComputerName', Column.Host, sink);
      const [cs, ce] = splunkRange(row, 'EventCode');
      if (cs >= 0) this.code(buf, cs, ce, false, sink);
      [descStart, descEnd] = splunkRange(row, 'Message');
    } else {
      const slots = columnSlots(row.layout);
      this.fixed(buf, slots.level, row, sink, Column.Level);
      this.fixed(buf, slots.source, row, sink, Column.Source);
      if (slots.host >= 0) this.fixed(buf, slots.host, row, sink, Column.Host);
      const k = slots.code;
      if (k < row.count)
        this.code(buf, row.starts[k]!, row.ends[k]!, (row.escaped & (1 << k)) !== 0, sink);
    }
    if (descStart >= 0 && findMessageClient(buf, descStart, descEnd, this.client))
      sink.srcIp(buf, this.client[0]!, this.client[1]!);
  }

  private splunkValue(
    buf: Uint8Array,
    row: Row,
    key: (typeof SPLUNK_KEYS)[number],
    column: Column,
    sink: IndexSink,
  ): void {
    const [s, e] = splunkRange(row, key);
    if (s >= 0 && e > s) put(sink, column, buf, s, e, null);
  }

  private code(buf: Uint8Array, s: number, e: number, escaped: boolean, sink: IndexSink): void {
    if (e <= s) return;
    if (escaped) sink.codeText(utf8Text(buf, s, e).replaceAll('""', '"'));
    else if (isPlainNumber(buf, s, e)) {
      let value = 0;
      for (let i = s; i < e; i++) value = value * 10 + buf[i]! - 48;
      sink.codeNumber(value);
    } else sink.code(buf, s, e);
  }

  private fixed(buf: Uint8Array, k: number, row: Row, sink: IndexSink, column: Column): void {
    if (k >= row.count) return;
    const s = row.starts[k]!;
    const e = row.ends[k]!;
    if (e <= s) return;
    const text = (row.escaped & (1 << k)) !== 0 ? utf8Text(buf, s, e).replaceAll('""', '"') : null;
    put(sink, column, buf, s, e, text);
  }
}

const enum Column {
  Level,
  Source,
  Host,
}

/** Writes a value to a dictionary column: as bytes, or as text when it had to be unescaped. */
function put(
  sink: IndexSink,
  column: Column,
  buf: Uint8Array,
  s: number,
  e: number,
  text: string | null,
): void {
  switch (column) {
    case Column.Level:
      if (text === null) sink.level(buf, s, e);
      else sink.levelText(text);
      return;
    case Column.Source:
      if (text === null) sink.source(buf, s, e);
      else sink.sourceText(text);
      return;
    case Column.Host:
      if (text === null) sink.host(buf, s, e);
      else sink.hostText(text);
      return;
  }
}

function parseDelimited(
  text: string,
  file: FileContext,
  sep: number,
  splunk: boolean,
): ParsedRecord {
  const buf = utf8Bytes(text);
  const row = new Row();
  scanRecord(buf, 0, buf.length, sep, splunk, row);
  if (row.layout === Layout.Invalid)
    return unparsedRecord(text, RecordFlag.ParseError, [
      'Not an Event Viewer export row: expected level, date and time, source and a numeric event id (or the Windows 2003 date, time, source, type, category, event id, …).',
    ]);
  const value = (k: number): string => {
    const v = utf8Text(buf, row.starts[k]!, row.ends[k]!);
    return (row.escaped & (1 << k)) !== 0 ? v.replaceAll('""', '"') : v;
  };
  const fields: Record<string, string> = {};
  if (row.layout === Layout.Header) {
    for (let k = 0; k < row.count; k++) fields[`column${k + 1}`] = value(k);
    return {
      time: null,
      srcIp: null,
      level: null,
      code: null,
      source: null,
      host: null,
      certHost: null,
      message: text,
      fields,
      flags: RecordFlag.Directive,
      notes: ['The export’s header row.'],
    };
  }
  const notes: string[] = [];
  let flags = 0;
  let message: string | null = null;
  let descStart = row.descStart;
  let descEnd = row.descEnd;
  let level: string | null;
  let code: string | null;
  let source: string | null;
  let host: string | null;
  if (row.layout === Layout.Splunk) {
    fields.DateTime = utf8Text(buf, 0, lineEndOf(buf, 0, buf.length));
    for (const line of text.split(/\r?\n/).slice(1)) {
      if (line === '') continue;
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      if (key === 'Message') break;
      if (!Object.hasOwn(fields, key)) fields[key] = line.slice(eq + 1);
    }
    const [ms, me] = splunkRange(row, 'Message');
    if (ms >= 0) message = fields.Message = utf8Text(buf, ms, me);
    const get = (key: (typeof SPLUNK_KEYS)[number]): string | null => {
      const [s, e] = splunkRange(row, key);
      return s >= 0 && e > s ? utf8Text(buf, s, e) : null;
    };
    level = get('Type');
    code = get('EventCode');
    source = get('SourceName');
    host = get('ComputerName');
    [descStart, descEnd] = [ms, me];
    notes.push('Splunk WinEventLog rendering of a Windows event.');
  } else {
    const names = row.layout === Layout.Vista ? VISTA_FIELDS : CLASSIC_FIELDS;
    const fixed = Math.min(names.length, row.count);
    for (let k = 0; k < fixed; k++) fields[names[k]!] = value(k);
    if (row.descStart >= 0) {
      let description = utf8Text(buf, row.descStart, row.descEnd);
      if (row.descEscaped) description = description.replaceAll('""', '"');
      fields.Description = description;
      message = description;
    }
    if (row.descUnclosed)
      notes.push(
        'The description’s opening quote is never closed: it runs to the end of the record.',
      );
    if (row.count < fixedCount(row.layout))
      notes.push(`The row has ${row.count} of the layout’s ${names.length} columns.`);
    if (row.layout === Layout.Classic) notes.push('Windows 2000/2003 Event Viewer layout.');
    const slots = columnSlots(row.layout);
    const column = (k: number): string | null =>
      k >= 0 && k < row.count && row.ends[k]! > row.starts[k]! ? value(k) : null;
    level = column(slots.level);
    code = column(slots.code);
    source = column(slots.source);
    host = column(slots.host);
  }
  const time = rowTime(buf, 0, buf.length, row, file.options);
  if (Number.isNaN(time)) {
    flags |= RecordFlag.BadTimestamp;
    notes.push(
      'The date or time is not one LogSieve reads (en-US, ISO, day-first with the date-order option); no time was set.',
    );
  } else notes.push(localTimeNote(file.options));
  const client = new Int32Array(2);
  const srcIp =
    descStart >= 0 && findMessageClient(buf, descStart, descEnd, client)
      ? utf8Text(buf, client[0]!, client[1]!)
      : null;
  return {
    time: Number.isNaN(time) ? null : time,
    srcIp,
    level,
    code,
    source,
    host,
    certHost: null,
    message: message ?? text,
    fields,
    flags,
    notes,
  };
}

function detectDelimited(lines: readonly string[], sep: number, splunk: boolean): number {
  const row = new Row();
  let seen = 0;
  let starts = 0;
  let timed = 0;
  let header = false;
  for (const line of lines) {
    if (line.trim() === '') continue;
    seen++;
    const buf = utf8Bytes(line);
    classify(buf, 0, buf.length, sep, splunk, row);
    if (row.layout === Layout.Header) header = true;
    else if (row.layout !== Layout.Invalid) {
      starts++;
      if (!Number.isNaN(rowTime(buf, 0, buf.length, row, {}))) timed++;
    }
    if (seen >= 200) break;
  }
  if (seen === 0) return 0;
  if (header && seen === 1) return 0.9;
  if (timed === 0) return header ? 0.6 : 0;
  // Continuation lines (descriptions, Key=Value lines) are expected; the first line must start a record.
  const first = lines.find((l) => l.trim() !== '') ?? '';
  const firstBuf = utf8Bytes(first);
  classify(firstBuf, 0, firstBuf.length, sep, splunk, row);
  if (row.layout === Layout.Invalid) return 0.2;
  const share = timed / Math.max(1, starts);
  return (header ? 0.8 : 0.65) + 0.15 * share;
}

const CSV_HEADER = 'Level,Date and Time,Source,Event ID,Task Category';

const CSV_SAMPLES: TextFormat['samples'] = [
  {
    source: 'reference windows-eventlog.md §4 (the header of a real Vista+ CSV export)',
    text: CSV_HEADER,
    expect: { flags: RecordFlag.Directive, time: null },
  },
  {
    source:
      'reference windows-eventlog.md §4 (a row of a real Security-log CSV export, five columns)',
    preamble: [CSV_HEADER],
    text: 'Information,10/7/2016 06:38:24 PM,Microsoft-Windows-Security-Auditing,4658,File System',
    expect: {
      time: Date.UTC(2016, 9, 7, 18, 38, 24),
      level: 'Information',
      code: '4658',
      source: 'Microsoft-Windows-Security-Auditing',
      host: null,
      flags: 0,
      fields: { 'Task Category': 'File System' },
    },
  },
  {
    source:
      'composed: a 4625 row with a quoted multi-line description holding the client address and a doubled quote',
    preamble: [CSV_HEADER],
    text: 'Information,3/5/2024 8:14:02 AM,Microsoft-Windows-Security-Auditing,4625,Logon,"An account failed to log on.\n\nNetwork Information:\n\tWorkstation Name:\t-\n\tSource Network Address:\t172.16.1.5\n\tSource Port:\t51234\n\nDetailed Authentication Information:\n\tLogon Process:\t""NtLmSsp"""',
    expect: {
      time: Date.UTC(2024, 2, 5, 8, 14, 2),
      srcIp: '172.16.1.5',
      code: '4625',
      flags: 0,
      message:
        'An account failed to log on.\n\nNetwork Information:\n\tWorkstation Name:\t-\n\tSource Network Address:\t172.16.1.5\n\tSource Port:\t51234\n\nDetailed Authentication Information:\n\tLogon Process:\t"NtLmSsp"',
    },
  },
  {
    source:
      'composed: Windows 2003 layout, Citrix Secure Gateway 3202 (message of theether.net KB 100012)',
    text: '3/5/2024,8:14:07 AM,CtxSecGwy,Error,None,3202,N/A,CSG01,"CSG3202 Client IP [172.16.1.5:3122] connection dropped, connection timed out"',
    expect: {
      time: Date.UTC(2024, 2, 5, 8, 14, 7),
      level: 'Error',
      code: '3202',
      source: 'CtxSecGwy',
      host: 'CSG01',
      srcIp: '172.16.1.5',
      message: 'CSG3202 Client IP [172.16.1.5:3122] connection dropped, connection timed out',
      fields: { Category: 'None', User: 'N/A' },
    },
  },
  {
    source:
      'composed: Secure Gateway event 125 of theether.net KB 100005 (the level name is UNVERIFIED)',
    preamble: [CSV_HEADER],
    text: 'Error,3/5/2024 8:14:05 AM,Secure Gateway,125,SCHANNEL,SSL handshake from client failed.',
    expect: {
      level: 'Error',
      code: '125',
      source: 'Secure Gateway',
      message: 'SSL handshake from client failed.',
      fields: { 'Task Category': 'SCHANNEL' },
    },
  },
];

const TXT_SAMPLES: TextFormat['samples'] = [
  {
    source: 'corpus eventlog-export/splunk-attack_data_windows-system_first24.log lines 1-15',
    text: '12/04/2020 09:24:11 AM\nLogName=System\nSourceName=Microsoft-Windows-Kernel-Boot\nEventCode=32\nEventType=4\nType=Information\nComputerName=EC2AMAZ-O5EOQ54\nUser=NOT_TRANSLATED\nSid=S-1-5-18\nSidType=0\nTaskCategory=None\nOpCode=Info\nRecordNumber=82974\nKeywords=None\nMessage=The bootmgr spent 0 ms waiting for user input.',
    expect: {
      time: Date.UTC(2020, 11, 4, 9, 24, 11),
      level: 'Information',
      code: '32',
      source: 'Microsoft-Windows-Kernel-Boot',
      host: 'EC2AMAZ-O5EOQ54',
      message: 'The bootmgr spent 0 ms waiting for user input.',
      flags: 0,
      fields: { LogName: 'System', RecordNumber: '82974', Sid: 'S-1-5-18' },
    },
  },
  {
    source: `corpus eventlog-export/splunk-attack_data_windows-system_first24.log lines 226-248 (message with blank lines)`,
    text: '12/04/2020 09:24:16 AM\nLogName=System\nSourceName=Microsoft-Windows-Kernel-Processor-Power\nEventCode=55\nEventType=4\nType=Information\nComputerName=EC2AMAZ-O5EOQ54\nUser=NOT_TRANSLATED\nSid=S-1-5-18\nSidType=0\nTaskCategory=47\nOpCode=Info\nRecordNumber=82982\nKeywords=None\nMessage=Processor 1 in group 0 exposes the following power management capabilities:\n\nIdle state type: ACPI Idle (C) States (1 state(s))\n\nPerformance state type: None\nNominal Frequency (MHz): 2300\nMaximum performance percentage: 100\nMinimum performance percentage: 100\nMinimum throttle percentage: 100',
    expect: {
      code: '55',
      source: 'Microsoft-Windows-Kernel-Processor-Power',
      fields: { TaskCategory: '47' },
    },
  },
  {
    source: 'composed: tab-delimited Vista+ row, SCHANNEL 36887 (wording of reference §5)',
    text: 'Error\t3/5/2024 8:14:02 AM\tSchannel\t36887\tNone\tA fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.',
    expect: {
      time: Date.UTC(2024, 2, 5, 8, 14, 2),
      level: 'Error',
      code: '36887',
      source: 'Schannel',
      fields: { 'Task Category': 'None' },
    },
  },
  {
    source: 'composed: tab-delimited Windows 2003 row, Citrix Secure Gateway 3202',
    text: '3/5/2024\t8:14:07 AM\tCtxSecGwy\tError\tNone\t3202\tN/A\tCSG01\tCSG3202 Client IP [172.16.1.5:3122] connection dropped, connection timed out',
    expect: { host: 'CSG01', srcIp: '172.16.1.5', code: '3202', level: 'Error' },
  },
];

function delimitedFormat(
  id: 'eventlog-csv' | 'eventlog-txt',
  sep: number,
  splunk: boolean,
  info: { title: string; description: string; filePatterns: readonly string[] },
  samples: TextFormat['samples'],
): TextFormat {
  return {
    kind: 'text',
    id,
    messageKind: 'text',
    ...info,
    columns: ['time', 'level', 'srcIp', 'code', 'source', 'host', 'message'],
    framing: { kind: 'lines' },
    detect(sample) {
      return detectDelimited(sample.lines, sep, splunk);
    },
    createIndexer(file) {
      return new DelimitedIndexer(sep, splunk, file);
    },
    parse(text, _context, file) {
      return parseDelimited(text, file, sep, splunk);
    },
    samples,
  };
}

export const eventlogCsv: TextFormat = delimitedFormat(
  'eventlog-csv',
  44,
  false,
  {
    title: 'Event Viewer export (CSV)',
    description:
      'Windows Event Viewer "Save As… CSV" exports (Level, Date and Time, Source, Event ID, Task Category, quoted multi-line description) and the Windows 2000/2003 layout (Date, Time, Source, Type, Category, Event, User, Computer, Description). UTF-8 or UTF-16 with BOM. Times are local: set the time zone and, for day-first locales, the date order.',
    filePatterns: ['*.csv'],
  },
  CSV_SAMPLES,
);

export const eventlogTxt: TextFormat = delimitedFormat(
  'eventlog-txt',
  TAB,
  true,
  {
    title: 'Event Viewer export (text)',
    description:
      'Windows Event Viewer "Save As… Text" exports (tab-delimited, Vista and 2000/2003 layouts, multi-line descriptions) and the Splunk WinEventLog text rendering (date line, Key=Value lines, Message). UTF-8 or UTF-16 with BOM. Times are local: set the time zone and, for day-first locales, the date order.',
    filePatterns: ['*.txt', '*.log'],
  },
  TXT_SAMPLES,
);
