/**
 * Event Viewer "Save As… XML" exports and `wevtutil qe /f:xml` output: `<Events>` wrapping
 * `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">` elements with `System`,
 * `EventData` or `UserData`, and, when the export rendered them, `RenderingInfo` with the localized
 * message and level (../shared/reference/windows-eventlog.md §3-4; the `<Events>` root and the
 * UTF-16 declaration are UNVERIFIED, seen only in third-party tests). Each `<Event` starts a record
 * (marker framing with a follower rule, so `<Events>` and `<EventData>` do not); the text before
 * the first event (XML declaration, root element) is a header record.
 *
 * Times come from `TimeCreated/@SystemTime`, which is UTC. The client address is the first
 * EventData item named in EVENTDATA_CLIENT_NAMES holding an address, else one found in the
 * rendered message. A small tolerant XML scanner over bytes serves both the index and the parse.
 */
import type { FileContext, IndexSink, TextFormat, TextIndexer } from './types';
import type { ParsedRecord } from '../record';
import { RecordFlag, unparsedRecord } from '../record';
import { civilToUtcMs } from '../time/civil';
import { addressIn } from './address';
import { bytesEqual, trimEnd, utf8Bytes, utf8Text } from './bytes';
import { EVENTDATA_CLIENT_NAMES, LEVEL_NAMES, findMessageClient } from './eventlog-common';
import type { Wanted } from './wanted';
import { reportParsed, wantedOf } from './wanted';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const QUOTE = 34;
const AMP = 38;
const APOS = 39;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const LT = 60;
const EQUALS = 61;
const GT = 62;
const QUESTION = 63;

/** Receives what the scanner finds; ranges are raw bytes (entities not decoded). */
interface XmlHandler {
  open(
    nameStart: number,
    nameEnd: number,
    attrStart: number,
    attrEnd: number,
    empty: boolean,
  ): void;
  close(nameStart: number, nameEnd: number): void;
  text(start: number, end: number): void;
}

function isSpace(c: number | undefined): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

function indexOfBytes(buf: Uint8Array, needle: string, from: number, end: number): number {
  const first = needle.charCodeAt(0);
  for (
    let i = buf.indexOf(first, from);
    i >= 0 && i + needle.length <= end;
    i = buf.indexOf(first, i + 1)
  ) {
    let k = 1;
    while (k < needle.length && buf[i + k] === needle.charCodeAt(k)) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

/**
 * Walks [start, end) as XML: elements, text and CDATA; declarations, comments and processing
 * instructions are skipped. Tolerant: an unterminated construct ends the walk. Returns false
 * when it stopped early for that reason.
 */
function walkXml(buf: Uint8Array, start: number, end: number, h: XmlHandler): boolean {
  let i = start;
  while (i < end) {
    const lt = buf.indexOf(LT, i);
    const textEnd = lt < 0 || lt >= end ? end : lt;
    if (textEnd > i) h.text(i, textEnd);
    if (textEnd >= end) return true;
    i = lt;
    const c = buf[i + 1];
    if (c === QUESTION) {
      const close = indexOfBytes(buf, '?>', i + 2, end);
      if (close < 0) return false;
      i = close + 2;
    } else if (c === BANG) {
      if (buf[i + 2] === DASH && buf[i + 3] === DASH) {
        const close = indexOfBytes(buf, '-->', i + 4, end);
        if (close < 0) return false;
        i = close + 3;
      } else if (indexOfBytes(buf, '<![CDATA[', i, i + 9) === i) {
        const close = indexOfBytes(buf, ']]>', i + 9, end);
        if (close < 0) return false;
        h.text(i + 9, close);
        i = close + 3;
      } else {
        const close = buf.indexOf(GT, i);
        if (close < 0 || close >= end) return false;
        i = close + 1;
      }
    } else if (c === SLASH) {
      const close = buf.indexOf(GT, i);
      if (close < 0 || close >= end) return false;
      let nameEnd = i + 2;
      while (nameEnd < close && !isSpace(buf[nameEnd])) nameEnd++;
      h.close(i + 2, nameEnd);
      i = close + 1;
    } else {
      let nameEnd = i + 1;
      while (
        nameEnd < end &&
        !isSpace(buf[nameEnd]) &&
        buf[nameEnd] !== GT &&
        buf[nameEnd] !== SLASH
      )
        nameEnd++;
      // The tag ends at the first `>` outside a quoted attribute value.
      let k = nameEnd;
      let quote = 0;
      for (; k < end; k++) {
        const b = buf[k]!;
        if (quote !== 0) {
          if (b === quote) quote = 0;
        } else if (b === QUOTE || b === APOS) quote = b;
        else if (b === GT) break;
      }
      if (k >= end || nameEnd === i + 1) return false;
      const empty = buf[k - 1] === SLASH;
      h.open(i + 1, nameEnd, nameEnd, empty ? k - 1 : k, empty);
      if (empty) h.close(i + 1, nameEnd);
      i = k + 1;
    }
  }
  return true;
}

/** Local name start (after any `prefix:`). */
function localStart(buf: Uint8Array, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (buf[i] === COLON) return i + 1;
  return start;
}

function nameIs(buf: Uint8Array, start: number, end: number, name: string): boolean {
  return bytesEqual(buf, localStart(buf, start, end), end, name);
}

/** Range of attribute `name`'s value within [start, end), written to out; false when absent. */
function attribute(
  buf: Uint8Array,
  start: number,
  end: number,
  name: string,
  out: Int32Array,
): boolean {
  let i = start;
  while (i < end) {
    while (i < end && isSpace(buf[i])) i++;
    const nameStart = i;
    while (i < end && buf[i] !== EQUALS && !isSpace(buf[i])) i++;
    const nameEnd = i;
    while (i < end && isSpace(buf[i])) i++;
    if (buf[i] !== EQUALS) return false;
    i++;
    while (i < end && isSpace(buf[i])) i++;
    const quote = buf[i];
    if (quote !== QUOTE && quote !== APOS) return false;
    const valueEnd = buf.indexOf(quote, i + 1);
    if (valueEnd < 0 || valueEnd >= end) return false;
    if (nameIs(buf, nameStart, nameEnd, name)) {
      out[0] = i + 1;
      out[1] = valueEnd;
      return true;
    }
    i = valueEnd + 1;
  }
  return false;
}

/** Decodes the five XML entities and character references; unknown entities stay as written. */
export function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(#x[0-9A-Fa-f]{1,6}|#\d{1,7}|lt|gt|amp|quot|apos);/g,
    (whole, ref: string) => {
      switch (ref) {
        case 'lt':
          return '<';
        case 'gt':
          return '>';
        case 'amp':
          return '&';
        case 'quot':
          return '"';
        case 'apos':
          return "'";
        default: {
          const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
          return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
        }
      }
    },
  );
}

function hasAmp(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === AMP) return true;
  return false;
}

function trimRange(buf: Uint8Array, range: Int32Array): void {
  while (range[0]! < range[1]! && isSpace(buf[range[0]!])) range[0]!++;
  while (range[1]! > range[0]! && isSpace(buf[range[1]! - 1])) range[1]!--;
}

/** `YYYY-MM-DDTHH:MM:SS[.f…][Z|±HH:MM]` → UTC ms (no zone = UTC, as SystemTime always is), or NaN. */
function isoUtc(buf: Uint8Array, s: number, e: number): number {
  const d = (at: number, n: number): number => {
    let v = 0;
    for (let k = 0; k < n; k++) {
      const x = buf[at + k]! - 48;
      if (x < 0 || x > 9) return -1;
      v = v * 10 + x;
    }
    return v;
  };
  if (e - s < 19 || buf[s + 4] !== DASH || buf[s + 7] !== DASH || buf[s + 13] !== COLON) return NaN;
  let i = s + 19;
  let millis = 0;
  if (buf[i] === DOT) {
    let scale = 100;
    for (i++; i < e && buf[i]! >= 48 && buf[i]! <= 57; i++) {
      millis += (buf[i]! - 48) * scale;
      scale /= 10;
    }
  }
  const wall = civilToUtcMs(
    d(s, 4),
    d(s + 5, 2),
    d(s + 8, 2),
    d(s + 11, 2),
    d(s + 14, 2),
    d(s + 17, 2),
    Math.floor(millis),
  );
  if (i === e) return wall;
  if (buf[i] === 90) return i + 1 === e ? wall : NaN; // Z
  if ((buf[i] === 43 || buf[i] === DASH) && e - i === 6 && buf[i + 3] === COLON) {
    const offset = d(i + 1, 2) * 60 + d(i + 4, 2);
    return wall - (buf[i] === DASH ? -1 : 1) * offset * 60_000;
  }
  return NaN;
}

const enum Section {
  None,
  System,
  EventData,
  UserData,
  Rendering,
  Other,
}

/** What the index reads from one event; ranges are raw, -1 when absent. */
class EventScan implements XmlHandler {
  buf: Uint8Array = new Uint8Array(0);
  depth = 0;
  sawEvent = false;
  eventClosed = false;
  /** Only a prolog (declaration, comments, `<Events>`) was seen: a header record. */
  prologOnly = true;
  section = Section.None;
  current = -1;
  /** Text range of the element being read (depth 2), or -1. */
  textStart = -1;
  textEnd = -1;
  provider = new Int32Array([-1, -1]);
  eventSource = new Int32Array([-1, -1]);
  eventId = new Int32Array([-1, -1]);
  level = new Int32Array([-1, -1]);
  renderedLevel = new Int32Array([-1, -1]);
  systemTime = new Int32Array([-1, -1]);
  computer = new Int32Array([-1, -1]);
  message = new Int32Array([-1, -1]);
  /** Per EVENTDATA_CLIENT_NAMES entry: the first value range. */
  clients = new Int32Array(EVENTDATA_CLIENT_NAMES.length * 2);
  private dataName = -1;
  private readonly attr = new Int32Array(2);
  private readonly range = new Int32Array(2);
  /** Where the text of element kind `current` goes (5 = an EventData client item). */
  private readonly targets = [
    this.eventId,
    this.level,
    this.computer,
    this.renderedLevel,
    this.message,
  ];

  reset(buf: Uint8Array): void {
    this.buf = buf;
    this.depth = 0;
    this.sawEvent = this.eventClosed = false;
    this.prologOnly = true;
    this.section = Section.None;
    this.current = -1;
    this.provider.fill(-1);
    this.eventSource.fill(-1);
    this.systemTime.fill(-1);
    for (const r of this.targets) r.fill(-1);
    this.clients.fill(-1);
    this.dataName = -1;
  }

  open(ns: number, ne: number, as: number, ae: number): void {
    const buf = this.buf;
    const depth = this.depth++;
    if (depth === 0) {
      if (nameIs(buf, ns, ne, 'Event')) this.sawEvent = true;
      else if (!nameIs(buf, ns, ne, 'Events')) this.prologOnly = false;
      if (nameIs(buf, ns, ne, 'Events')) this.depth = 0; // the root does not count
      return;
    }
    if (!this.sawEvent) return;
    if (depth === 1) {
      this.section = nameIs(buf, ns, ne, 'System')
        ? Section.System
        : nameIs(buf, ns, ne, 'EventData')
          ? Section.EventData
          : nameIs(buf, ns, ne, 'UserData')
            ? Section.UserData
            : nameIs(buf, ns, ne, 'RenderingInfo')
              ? Section.Rendering
              : Section.Other;
      return;
    }
    if (depth !== 2) return;
    this.textStart = this.textEnd = -1;
    this.current = -1;
    const attr = this.attr;
    if (this.section === Section.System) {
      if (nameIs(buf, ns, ne, 'Provider')) {
        if (attribute(buf, as, ae, 'Name', attr)) this.provider.set(attr);
        if (attribute(buf, as, ae, 'EventSourceName', attr)) this.eventSource.set(attr);
      } else if (nameIs(buf, ns, ne, 'TimeCreated')) {
        if (attribute(buf, as, ae, 'SystemTime', attr)) this.systemTime.set(attr);
      } else if (nameIs(buf, ns, ne, 'EventID')) this.current = 0;
      else if (nameIs(buf, ns, ne, 'Level')) this.current = 1;
      else if (nameIs(buf, ns, ne, 'Computer')) this.current = 2;
    } else if (this.section === Section.Rendering) {
      if (nameIs(buf, ns, ne, 'Level')) this.current = 3;
      else if (nameIs(buf, ns, ne, 'Message')) this.current = 4;
    } else if (this.section === Section.EventData && nameIs(buf, ns, ne, 'Data')) {
      this.dataName = -1;
      if (attribute(buf, as, ae, 'Name', attr)) {
        for (let k = 0; k < EVENTDATA_CLIENT_NAMES.length; k++)
          if (
            this.clients[k * 2]! < 0 &&
            nameIs(buf, attr[0]!, attr[1]!, EVENTDATA_CLIENT_NAMES[k]!)
          ) {
            this.dataName = k;
            this.current = 5;
          }
      }
    }
  }

  close(ns: number, ne: number): void {
    const buf = this.buf;
    if (this.depth === 0) return;
    const depth = --this.depth;
    if (depth === 0) {
      if (this.sawEvent && nameIs(buf, ns, ne, 'Event')) this.eventClosed = true;
      return;
    }
    if (depth === 1) {
      this.section = Section.None;
      return;
    }
    if (depth !== 2 || this.current < 0) return;
    const range = this.range;
    range[0] = this.textStart;
    range[1] = this.textEnd;
    if (range[0] >= 0) trimRange(buf, range);
    const target = this.targets[this.current];
    if (target !== undefined) target.set(range);
    else if (this.current === 5 && this.dataName >= 0) {
      this.clients[this.dataName * 2] = range[0]!;
      this.clients[this.dataName * 2 + 1] = range[1]!;
    }
    this.current = -1;
  }

  text(start: number, end: number): void {
    if (this.depth === 0 && !this.sawEvent) {
      for (let i = start; i < end; i++) if (!isSpace(this.buf[i])) this.prologOnly = false;
      return;
    }
    if (this.depth !== 3 || this.current < 0) return;
    // Several chunks (text around a comment or CDATA): keep their whole span.
    if (this.textStart < 0) this.textStart = start;
    this.textEnd = end;
  }
}

function present(range: Int32Array): boolean {
  return range[0]! >= 0 && range[1]! > range[0]!;
}

const scratchRange = new Int32Array(2);

/** The client address: first EventData name (in table order) holding one, else from the message. */
function clientRange(buf: Uint8Array, scan: EventScan, out: Int32Array): boolean {
  for (let k = 0; k < EVENTDATA_CLIENT_NAMES.length; k++) {
    const s = scan.clients[k * 2]!;
    const e = scan.clients[k * 2 + 1]!;
    if (s >= 0 && e > s && addressIn(buf, s, e, scratchRange)) {
      out[0] = scratchRange[0]!;
      out[1] = scratchRange[1]!;
      return true;
    }
  }
  return present(scan.message) && findMessageClient(buf, scan.message[0]!, scan.message[1]!, out);
}

function isPlainNumber(buf: Uint8Array, start: number, end: number): boolean {
  if (end <= start || end - start > 9 || (buf[start] === 48 && end - start > 1)) return false;
  for (let i = start; i < end; i++) if (buf[i]! < 48 || buf[i]! > 57) return false;
  return true;
}

/** Classification shared by index and parse. */
const enum Kind {
  Header,
  Broken,
  Event,
}

function classify(buf: Uint8Array, scan: EventScan, complete: boolean): Kind {
  if (!scan.sawEvent) return scan.prologOnly && complete ? Kind.Header : Kind.Broken;
  return scan.eventClosed ? Kind.Event : Kind.Broken;
}

function levelText(buf: Uint8Array, scan: EventScan): string | null {
  if (present(scan.renderedLevel)) return null;
  if (!present(scan.level)) return null;
  const number = utf8Text(buf, scan.level[0]!, scan.level[1]!);
  return LEVEL_NAMES[number] ?? number;
}

const enum Column {
  Source,
  Code,
  Level,
  Host,
}

class XmlIndexer implements TextIndexer {
  private readonly scan = new EventScan();
  private readonly client = new Int32Array(2);
  private readonly wanted: Wanted;

  constructor(file: FileContext) {
    this.wanted = wantedOf(file);
  }

  index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    end = trimEnd(buf, start, end);
    // Fields tags read come from a full parse: the rendered message is decoded text, and XML
    // exports are small enough to parse each event twice.
    if (this.wanted.any)
      reportParsed(sink, parseXmlEvent(utf8Text(buf, start, end)), this.wanted.all);
    const scan = this.scan;
    scan.reset(buf);
    const complete = walkXml(buf, start, end, scan);
    const kind = classify(buf, scan, complete);
    if (kind === Kind.Header) {
      sink.flag(RecordFlag.Directive);
      return;
    }
    if (!scan.sawEvent) {
      sink.flag(RecordFlag.ParseError);
      return;
    }
    if (kind === Kind.Broken) sink.flag(RecordFlag.Damaged);
    if (present(scan.systemTime)) {
      const t = isoUtc(buf, scan.systemTime[0]!, scan.systemTime[1]!);
      if (Number.isNaN(t)) sink.flag(RecordFlag.BadTimestamp);
      else sink.time(t);
    }
    const source = present(scan.eventSource) ? scan.eventSource : scan.provider;
    this.put(buf, source, sink, Column.Source);
    if (present(scan.eventId)) {
      const s = scan.eventId[0]!;
      const e = scan.eventId[1]!;
      if (isPlainNumber(buf, s, e)) {
        let value = 0;
        for (let i = s; i < e; i++) value = value * 10 + buf[i]! - 48;
        sink.codeNumber(value);
      } else this.put(buf, scan.eventId, sink, Column.Code);
    }
    if (present(scan.renderedLevel)) this.put(buf, scan.renderedLevel, sink, Column.Level);
    else {
      const level = levelText(buf, scan);
      if (level !== null) sink.levelText(level);
    }
    this.put(buf, scan.computer, sink, Column.Host);
    if (clientRange(buf, scan, this.client)) sink.srcIp(buf, this.client[0]!, this.client[1]!);
  }

  private put(buf: Uint8Array, range: Int32Array, sink: IndexSink, column: Column): void {
    if (!present(range)) return;
    const s = range[0]!;
    const e = range[1]!;
    // Entities are rare in these values; only then is a string made.
    const text = hasAmp(buf, s, e) ? decodeXml(utf8Text(buf, s, e)) : null;
    switch (column) {
      case Column.Source:
        if (text === null) sink.source(buf, s, e);
        else sink.sourceText(text);
        return;
      case Column.Code:
        if (text === null) sink.code(buf, s, e);
        else sink.codeText(text);
        return;
      case Column.Level:
        if (text === null) sink.level(buf, s, e);
        else sink.levelText(text);
        return;
      case Column.Host:
        if (text === null) sink.host(buf, s, e);
        else sink.hostText(text);
        return;
    }
  }
}

/** Every field of the event, by section: System elements and attributes, Data items, rendering. */
class FieldCollector implements XmlHandler {
  readonly fields: Record<string, string> = {};
  private readonly path: string[] = [];
  private textParts: string[] = [];
  private dataIndex = 0;

  constructor(private readonly buf: Uint8Array) {}

  open(ns: number, ne: number, as: number, ae: number): void {
    const name = utf8Text(this.buf, localStart(this.buf, ns, ne), ne);
    if (this.path.length === 0 && name === 'Events') return;
    this.path.push(name);
    this.textParts = [];
    const section = this.path[1];
    const attrs = this.attributes(as, ae);
    if (this.path.length === 3 && section === 'System') {
      for (const [key, value] of attrs) this.put(`${name}.${key}`, value);
    } else if (this.path.length === 3 && section === 'EventData' && name === 'Data') {
      const dataName = attrs.find(([k]) => k === 'Name')?.[1];
      this.path[2] = `Data.${dataName ?? String(this.dataIndex)}`;
      this.dataIndex++;
    } else if (this.path.length === 3 && section === 'RenderingInfo') {
      for (const [key, value] of attrs) this.put(`Rendering.${name}.${key}`, value);
    } else if (this.path.length === 2 && name === 'RenderingInfo') {
      for (const [key, value] of attrs) this.put(`Rendering.${key}`, value);
    }
  }

  close(): void {
    if (this.path.length === 0) return;
    const text = decodeXml(this.textParts.join('')).trim();
    const path = this.path.slice(1);
    if (path.length >= 2 && text !== '') {
      const [section, ...rest] = path;
      const key =
        section === 'System'
          ? rest.join('.')
          : section === 'EventData'
            ? rest.join('.')
            : section === 'RenderingInfo'
              ? `Rendering.${rest.join('.')}`
              : `${section}.${rest.join('.')}`;
      this.put(key, text);
    } else if (path.length === 2 && path[0] === 'EventData' && path[1]!.startsWith('Data.'))
      this.put(path[1]!, text);
    this.path.pop();
    this.textParts = [];
  }

  text(start: number, end: number): void {
    this.textParts.push(utf8Text(this.buf, start, end));
  }

  private put(key: string, value: string): void {
    // Repeated elements (Keywords/Keyword) join their values.
    const known = this.fields[key];
    this.fields[key] = known === undefined ? value : `${known}; ${value}`;
  }

  private attributes(start: number, end: number): [string, string][] {
    const out: [string, string][] = [];
    const text = utf8Text(this.buf, start, end);
    for (const m of text.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      const key = m[1]!.includes(':') ? m[1]!.slice(m[1]!.indexOf(':') + 1) : m[1]!;
      if (m[1]!.startsWith('xmlns')) continue;
      out.push([key, decodeXml(m[3] ?? m[4] ?? '')]);
    }
    return out;
  }
}

function parseXmlEvent(text: string): ParsedRecord {
  const buf = utf8Bytes(text);
  const scan = new EventScan();
  scan.reset(buf);
  const complete = walkXml(buf, 0, buf.length, scan);
  const kind = classify(buf, scan, complete);
  if (kind === Kind.Header)
    return unparsedRecord(text, RecordFlag.Directive, [
      'The XML declaration and root element before the first event.',
    ]);
  if (!scan.sawEvent)
    return unparsedRecord(text, RecordFlag.ParseError | RecordFlag.Directive, [
      'No <Event> element here: this is not the text before the first event of an Event Viewer XML export.',
    ]);
  const collector = new FieldCollector(buf);
  walkXml(buf, 0, buf.length, collector);
  const fields = collector.fields;
  const notes: string[] = [];
  let flags = 0;
  if (kind === Kind.Broken) {
    flags |= RecordFlag.Damaged;
    notes.push('The event’s XML is incomplete (no closing </Event>): what could be read is shown.');
  }
  const get = (range: Int32Array): string | null =>
    present(range) ? decodeXml(utf8Text(buf, range[0]!, range[1]!)) : null;
  let time: number | null = null;
  if (present(scan.systemTime)) {
    const t = isoUtc(buf, scan.systemTime[0]!, scan.systemTime[1]!);
    if (Number.isNaN(t)) {
      flags |= RecordFlag.BadTimestamp;
      notes.push('TimeCreated/@SystemTime is not an ISO 8601 time; no time was set.');
    } else time = t;
  }
  const source = get(present(scan.eventSource) ? scan.eventSource : scan.provider);
  const code = get(scan.eventId);
  const level = get(scan.renderedLevel) ?? levelText(buf, scan);
  const client = new Int32Array(2);
  const srcIp = clientRange(buf, scan, client) ? utf8Text(buf, client[0]!, client[1]!) : null;
  // The collector's text is decoded and free of CDATA and comment markup, unlike the raw range.
  let message: string | null = fields['Rendering.Message'] ?? null;
  if (message === null) {
    const data = Object.entries(fields)
      .filter(([k]) => k.startsWith('Data.'))
      .map(([k, v]) => `${k.slice(5)}=${v}`);
    message =
      `${source ?? 'event'} ${code ?? ''}${data.length > 0 ? `: ${data.join(', ')}` : ''}`.trim();
    notes.push(
      'The export has no rendered message (RenderingInfo): the message column shows the provider, event id and event data.',
    );
  }
  return {
    time,
    srcIp,
    level,
    code,
    source,
    host: get(scan.computer),
    certHost: null,
    message,
    fields,
    flags,
    notes,
  };
}

function detectXml(lines: readonly string[]): number {
  let events = false;
  let schema = false;
  for (const line of lines.slice(0, 50)) {
    if (line.includes('<Events') || line.includes('<Event ') || line.includes('<Event>'))
      events = true;
    if (line.includes('schemas.microsoft.com/win/2004/08/events/event')) schema = true;
  }
  if (schema) return 0.95;
  return events ? 0.6 : 0;
}

const XML_PROLOG = ['<?xml version="1.0" encoding="UTF-8"?>', '<Events>'];

/** Composed events in the schema of reference/windows-eventlog.md §3 (no real export was found). */
const SAMPLES: TextFormat['samples'] = [
  {
    source: 'composed: XML declaration and root, the header record',
    text: XML_PROLOG.join('\n'),
    expect: { flags: RecordFlag.Directive, time: null },
  },
  {
    source:
      'composed: SCHANNEL 36887 with RenderingInfo (message wording of reference §5; the Data name is illustrative)',
    preamble: XML_PROLOG,
    text: '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Schannel" Guid="{1f678132-5938-4686-9fdc-c8ff68f15c85}"/><EventID>36887</EventID><Version>0</Version><Level>2</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime="2024-03-05T08:14:02.1234567Z"/><EventRecordID>4711</EventRecordID><Correlation/><Execution ProcessID="640" ThreadID="1234"/><Channel>System</Channel><Computer>gw01.example.com</Computer><Security UserID="S-1-5-18"/></System><EventData><Data Name="AlertDesc">46</Data></EventData><RenderingInfo Culture="en-US"><Message>A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.</Message><Level>Error</Level><Task></Task><Opcode>Info</Opcode><Channel>System</Channel><Provider>Microsoft-Windows-Schannel</Provider><Keywords></Keywords></RenderingInfo></Event>',
    expect: {
      time: Date.UTC(2024, 2, 5, 8, 14, 2, 123),
      level: 'Error',
      code: '36887',
      source: 'Schannel',
      host: 'gw01.example.com',
      srcIp: null,
      message:
        'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.',
      flags: 0,
      fields: {
        EventRecordID: '4711',
        'Execution.ProcessID': '640',
        'Data.AlertDesc': '46',
        'Rendering.Culture': 'en-US',
        'Rendering.Provider': 'Microsoft-Windows-Schannel',
      },
    },
  },
  {
    source:
      'composed: Security 4625 without RenderingInfo, client in EventData IpAddress, single-quoted attributes',
    preamble: XML_PROLOG,
    text: "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/><EventID>4625</EventID><Version>0</Version><Level>0</Level><Task>12544</Task><Opcode>0</Opcode><Keywords>0x8010000000000000</Keywords><TimeCreated SystemTime='2024-03-05T08:14:09.000000000Z'/><EventRecordID>90210</EventRecordID><Correlation/><Execution ProcessID='612' ThreadID='3044'/><Channel>Security</Channel><Computer>gw01.example.com</Computer><Security/></System><EventData><Data Name='TargetUserName'>admin</Data><Data Name='LogonType'>3</Data><Data Name='IpAddress'>::ffff:172.16.1.5</Data><Data Name='IpPort'>51234</Data></EventData></Event>",
    expect: {
      time: Date.UTC(2024, 2, 5, 8, 14, 9),
      level: 'Information',
      code: '4625',
      srcIp: '::ffff:172.16.1.5',
      message:
        'Microsoft-Windows-Security-Auditing 4625: TargetUserName=admin, LogonType=3, IpAddress=::ffff:172.16.1.5, IpPort=51234',
      fields: { 'Data.IpAddress': '::ffff:172.16.1.5', Keywords: '0x8010000000000000' },
    },
  },
  {
    source:
      'composed: classic source (EventSourceName, Qualifiers), Secure Gateway 125, last event before </Events>',
    preamble: XML_PROLOG,
    text: '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\n  <System>\n    <Provider Name="Secure Gateway" EventSourceName="Secure Gateway"/>\n    <EventID Qualifiers="49152">125</EventID>\n    <Level>2</Level>\n    <TimeCreated SystemTime="2024-03-05T08:14:05.000Z"/>\n    <Channel>Application</Channel>\n    <Computer>CSG01</Computer>\n  </System>\n  <EventData>\n    <Data>SSL handshake from client failed &amp; was reset.</Data>\n  </EventData>\n</Event>\n</Events>',
    expect: {
      time: Date.UTC(2024, 2, 5, 8, 14, 5),
      level: 'Error',
      code: '125',
      source: 'Secure Gateway',
      host: 'CSG01',
      message: 'Secure Gateway 125: 0=SSL handshake from client failed & was reset.',
      fields: {
        'EventID.Qualifiers': '49152',
        'Data.0': 'SSL handshake from client failed & was reset.',
      },
    },
  },
];

export const eventlogXml: TextFormat = {
  kind: 'text',
  id: 'eventlog-xml',
  messageKind: 'text',
  title: 'Event Viewer export (XML)',
  description:
    'Windows Event Viewer "Save As… XML" exports and wevtutil XML: one record per <Event> with System, EventData/UserData and the rendered message and level when present. UTF-8 or UTF-16 with BOM. Times are UTC (TimeCreated/@SystemTime).',
  filePatterns: ['*.xml'],
  columns: ['time', 'level', 'srcIp', 'code', 'source', 'host', 'message'],
  framing: { kind: 'marker', marker: '<Event', followedBy: ' \t\r\n>/' },
  detect(sample) {
    return detectXml(sample.lines);
  },
  createIndexer(file) {
    return new XmlIndexer(file);
  },
  parse(text) {
    return parseXmlEvent(text);
  },
  samples: SAMPLES,
};
