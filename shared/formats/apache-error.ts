/**
 * Apache httpd error logs, 2.0/2.2 style (`[Wed Oct 11 14:32:52 2000] [error] [client 1.2.3.4]
 * message`) and 2.4 style (`[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 1:tid 2]
 * [client 1.2.3.4:5678] AH00128: message`), mod_ssl lines included. Times are the server's local
 * time without an offset, so they are read in the file's time zone option (default UTC). Lines that
 * do not start with `[` (output a CGI script wrote to stderr, continued messages) belong to the
 * record above them.
 */
import type { FileContext, IndexSink, TextFormat, TextIndexer } from './types';
import type { ParsedRecord } from '../record';
import { RecordFlag, unparsedRecord } from '../record';
import { civilToUtcMs, digitsAt, monthFromBytes } from '../time/civil';
import { wallToUtc } from '../time/zone';
import { bytesEqual, find, findLast, parseUint, utf8Bytes, utf8Text } from './bytes';

const SPACE = 32;
const COLON = 58;
const OPEN = 91;
const CLOSE = 93;

/** `Www Mmm dd HH:MM:SS[.frac] yyyy` as a wall-clock time in ms (as if UTC), or NaN. */
function parseWallTime(buf: Uint8Array, start: number, end: number): number {
  // "Mon Dec 26 16:22:08 2016" is 24 bytes; with .uuuuuu it is 31.
  if (end - start < 24 || buf[start + 3] !== SPACE || buf[start + 7] !== SPACE) return NaN;
  const month = monthFromBytes(buf, start + 4);
  const day = buf[start + 8] === SPACE ? digitsAt(buf, start + 9, 1) : digitsAt(buf, start + 8, 2);
  const hour = digitsAt(buf, start + 11, 2);
  const minute = digitsAt(buf, start + 14, 2);
  const second = digitsAt(buf, start + 17, 2);
  if (buf[start + 13] !== COLON || buf[start + 16] !== COLON) return NaN;
  let p = start + 19;
  let millis = 0;
  if (buf[p] === 46) {
    const fracEnd = find(buf, SPACE, p + 1, end);
    if (fracEnd < 0) return NaN;
    const digits = Math.min(3, fracEnd - p - 1);
    const frac = digitsAt(buf, p + 1, digits);
    if (frac < 0) return NaN;
    millis = frac * 10 ** (3 - digits);
    p = fracEnd;
  }
  if (buf[p] !== SPACE || end - (p + 1) !== 4) return NaN;
  const year = digitsAt(buf, p + 1, 4);
  if (month === 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || year < 0) return NaN;
  return civilToUtcMs(year, month, day, hour, minute, second, millis);
}

/** Boundaries of one record's parts; -1 when absent. */
interface Parts {
  timeEnd: number;
  level: [number, number];
  module: [number, number];
  pid: [number, number];
  tid: [number, number];
  client: [number, number];
  clientHasPort: boolean;
  remote: [number, number];
  message: number;
  code: [number, number];
}

function emptyParts(): Parts {
  return {
    timeEnd: -1,
    level: [-1, -1],
    module: [-1, -1],
    pid: [-1, -1],
    tid: [-1, -1],
    client: [-1, -1],
    clientHasPort: false,
    remote: [-1, -1],
    message: -1,
    code: [-1, -1],
  };
}

function scan(buf: Uint8Array, start: number, end: number, parts: Parts): boolean {
  parts.timeEnd = -1;
  parts.level[0] = parts.module[0] = parts.pid[0] = parts.tid[0] = -1;
  parts.client[0] = parts.remote[0] = parts.code[0] = -1;
  parts.message = -1;
  if (buf[start] !== OPEN) return false;
  // The first line only: continuation lines are part of the message.
  const nl = find(buf, 10, start, end);
  const lineEnd = nl < 0 ? end : nl;
  const timeEnd = find(buf, CLOSE, start, lineEnd);
  if (timeEnd < 0) return false;
  parts.timeEnd = timeEnd;
  let p = timeEnd + 1;
  let sawLevel = false;
  while (p + 1 < lineEnd && buf[p] === SPACE && buf[p + 1] === OPEN) {
    const close = find(buf, CLOSE, p + 2, lineEnd);
    if (close < 0) break;
    const s = p + 2;
    if (!sawLevel) {
      sawLevel = true;
      const colon = find(buf, COLON, s, close);
      if (colon >= 0) {
        parts.module[0] = s;
        parts.module[1] = colon;
        parts.level[0] = colon + 1;
        parts.level[1] = close;
      } else {
        parts.level[0] = s;
        parts.level[1] = close;
      }
    } else if (close - s > 4 && bytesEqual(buf, s, s + 4, 'pid ')) {
      const tid = find(buf, COLON, s + 4, close);
      parts.pid[0] = s + 4;
      parts.pid[1] = tid < 0 ? close : tid;
      if (tid >= 0 && bytesEqual(buf, tid + 1, tid + 5, 'tid ')) {
        parts.tid[0] = tid + 5;
        parts.tid[1] = close;
      }
    } else if (close - s > 7 && bytesEqual(buf, s, s + 7, 'client ')) {
      parts.client[0] = s + 7;
      parts.client[1] = close;
    } else if (close - s > 7 && bytesEqual(buf, s, s + 7, 'remote ')) {
      parts.remote[0] = s + 7;
      parts.remote[1] = close;
    } else break;
    p = close + 1;
  }
  if (!sawLevel) return false;
  // 2.4 writes the client with its port; 2.2 without.
  parts.clientHasPort = parts.pid[0] >= 0;
  while (p < end && buf[p] === SPACE) p++;
  parts.message = p;
  // AH00000: error codes lead 2.4 messages.
  if (
    end - p >= 8 &&
    buf[p] === 65 &&
    buf[p + 1] === 72 &&
    buf[p + 7] === COLON &&
    parseUint(buf, p + 2, p + 7) >= 0
  ) {
    parts.code[0] = p;
    parts.code[1] = p + 7;
  }
  return true;
}

/** End of the address in `[client a.b.c.d:port]` (2.4) or `[client a.b.c.d]` (2.2). */
function addressEnd(buf: Uint8Array, start: number, end: number, hasPort: boolean): number {
  if (!hasPort) return end;
  const colon = findLast(buf, COLON, start, end);
  return colon > start && parseUint(buf, colon + 1, end) >= 0 ? colon : end;
}

class ErrorIndexer implements TextIndexer {
  private readonly parts = emptyParts();
  private readonly zone: string | undefined;
  private readonly wantMessage: boolean;
  constructor(file: FileContext) {
    this.zone = file.options.timeZone;
    this.wantMessage = file.wantedFields?.has('message') === true;
  }

  continues(buf: Uint8Array, start: number): boolean {
    return buf[start] !== OPEN;
  }

  index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
    const parts = this.parts;
    if (!scan(buf, start, end, parts)) {
      sink.flag(RecordFlag.ParseError);
      // The parse's message for a line it cannot read is the whole line.
      if (this.wantMessage) sink.field('message', buf, start, end);
      return;
    }
    const wall = parseWallTime(buf, start + 1, parts.timeEnd);
    if (Number.isNaN(wall)) sink.flag(RecordFlag.BadTimestamp);
    else sink.time(wallToUtc(wall, this.zone));
    sink.level(buf, parts.level[0], parts.level[1]);
    if (parts.module[0] >= 0) sink.source(buf, parts.module[0], parts.module[1]);
    if (parts.client[0] >= 0)
      sink.srcIp(
        buf,
        parts.client[0],
        addressEnd(buf, parts.client[0], parts.client[1], parts.clientHasPort),
      );
    if (parts.code[0] >= 0) sink.code(buf, parts.code[0], parts.code[1]);
    if (this.wantMessage) sink.field('message', buf, parts.message, end);
  }
}

function parseError(text: string, file: FileContext): ParsedRecord {
  const buf = utf8Bytes(text);
  const parts = emptyParts();
  if (!scan(buf, 0, buf.length, parts))
    return unparsedRecord(text, RecordFlag.ParseError, [
      'Not an Apache error log line: expected `[time] [level] message`.',
    ]);
  const slice = (range: [number, number]): string | null =>
    range[0] < 0 ? null : utf8Text(buf, range[0], range[1]);
  const fields: Record<string, string> = {};
  const put = (name: string, value: string | null): void => {
    if (value !== null) fields[name] = value;
  };
  put('time', utf8Text(buf, 1, parts.timeEnd));
  put('module', slice(parts.module));
  put('level', slice(parts.level));
  put('pid', slice(parts.pid));
  put('tid', slice(parts.tid));
  put('client', slice(parts.client));
  put('remote', slice(parts.remote));
  put('error_code', slice(parts.code));
  const message = utf8Text(buf, parts.message, buf.length);
  put('message', message);
  const wall = parseWallTime(buf, 1, parts.timeEnd);
  const notes: string[] = [];
  let flags = 0;
  if (Number.isNaN(wall)) {
    flags |= RecordFlag.BadTimestamp;
    notes.push(
      `The timestamp "${fields.time ?? ''}" is not in the "Www Mmm dd HH:MM:SS yyyy" form.`,
    );
  } else
    notes.push(
      `Apache writes local time without an offset; read as ${file.options.timeZone ?? 'UTC'} (change it in the format options).`,
    );
  const client =
    parts.client[0] < 0
      ? null
      : utf8Text(
          buf,
          parts.client[0],
          addressEnd(buf, parts.client[0], parts.client[1], parts.clientHasPort),
        );
  return {
    time: Number.isNaN(wall) ? null : wallToUtc(wall, file.options.timeZone),
    srcIp: client,
    level: slice(parts.level),
    code: slice(parts.code),
    source: slice(parts.module),
    host: null,
    certHost: null,
    message,
    fields,
    flags,
    notes,
  };
}

export const apacheError: TextFormat = {
  kind: 'text',
  id: 'apache-error',
  messageKind: 'text',
  title: 'Apache error log',
  description:
    'Apache httpd error logs in the 2.0/2.2 and 2.4 styles, mod_ssl messages included. Times are local: set the time zone if the server was not on UTC.',
  filePatterns: ['error.log*', 'error_log*', '*error*.log', 'ssl_error_log*'],
  columns: ['time', 'level', 'srcIp', 'code', 'source', 'message'],
  framing: { kind: 'lines' },
  detect(sample) {
    const parts = emptyParts();
    let seen = 0;
    let good = 0;
    for (const line of sample.lines) {
      if (line.trim() === '') continue;
      seen++;
      const buf = utf8Bytes(line);
      if (scan(buf, 0, buf.length, parts) && !Number.isNaN(parseWallTime(buf, 1, parts.timeEnd)))
        good++;
      if (seen >= 100) break;
    }
    if (seen === 0) return 0;
    const share = good / seen;
    return share >= 0.5 ? 0.5 + 0.45 * share : share * 0.5;
  },
  createIndexer(file) {
    return new ErrorIndexer(file);
  },
  parse(text, _context, file) {
    return parseError(text, file);
  },
  samples: [
    {
      source: 'corpus apache/beats_apache_error_test_mixed22_24.log line 1 (2.2)',
      text: '[Mon Dec 26 16:22:08 2016] [error] [client 192.168.33.1] File does not exist: /var/www/favicon.ico',
      expect: {
        time: Date.UTC(2016, 11, 26, 16, 22, 8),
        level: 'error',
        srcIp: '192.168.33.1',
        message: 'File does not exist: /var/www/favicon.ico',
      },
    },
    {
      source: 'corpus apache/beats_apache_error_test_mixed22_24.log line 2 (2.4, AH code)',
      text: "[Mon Dec 26 16:15:55.103786 2016] [core:notice] [pid 11379] AH00094: Command line: '/usr/local/Cellar/httpd24/2.4.23_2/bin/httpd'",
      expect: {
        time: Date.UTC(2016, 11, 26, 16, 15, 55, 103),
        level: 'notice',
        source: 'core',
        code: 'AH00094',
        srcIp: null,
        fields: { pid: '11379' },
      },
    },
    {
      source: 'corpus apache/beats_apache_error_test_mixed22_24.log line 3 (2.4, pid:tid, client)',
      text: '[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico',
      expect: {
        level: 'error',
        source: 'core',
        srcIp: '72.15.99.187',
        fields: { pid: '35708', tid: '4328636416' },
      },
    },
    {
      source: 'composed: 2.4 mod_ssl handshake failure with client port',
      text: '[Tue Mar 05 08:14:02.123456 2024] [ssl:info] [pid 4711:tid 140] [client 172.16.1.5:51234] AH02008: SSL library error 1 in handshake (server gw.example.com:443)',
      expect: {
        time: Date.UTC(2024, 2, 5, 8, 14, 2, 123),
        level: 'info',
        source: 'ssl',
        srcIp: '172.16.1.5',
        code: 'AH02008',
      },
    },
    {
      source: 'composed: 2.2 mod_ssl handshake failure',
      text: '[Tue Mar 05 08:14:07 2024] [info] [client 172.16.1.5] SSL handshake failed: HTTP spoken on HTTPS port; trying to send HTML error page',
      expect: { level: 'info', srcIp: '172.16.1.5', source: null },
    },
  ],
};
