/**
 * Generated records for the query-engine tests, written as real log text and read through the
 * real pipeline (framer, format indexer, tagger, LogIndex) and the real display parse.
 *
 * The registered formats fill only some columns (Apache access: address, code, host; Apache
 * error: level, source, code, address). `columnsFormat` is a small tab-separated format that
 * fills every indexed column and any named field, so certificate hosts, levels and fields are
 * tested through the same index code paths as a real format.
 */
import fc from 'fast-check';
import type { MatchableRecord } from '../../../shared/filters/match';
import type { FileContext, IndexSink, TextFormat } from '../../../shared/formats/types';
import type { LogIndex } from '../../../shared/index/log-index';
import type { ParsedRecord } from '../../../shared/record';
import { TAG_CATALOGUE } from '../../../shared/tags/default';
import { ingest, type Ingested } from '../../helpers/ingest';

const TAB = 9;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Tab-separated: time(ms or -), srcIp, level, code, source, host, certHost, message, k=v;k=v. */
const COLUMN_SLOTS = ['time', 'srcIp', 'level', 'code', 'source', 'host', 'certHost'] as const;

function splitTabs(buf: Uint8Array, start: number, end: number): [number, number][] {
  const parts: [number, number][] = [];
  let at = start;
  for (let i = start; i <= end; i++) {
    if (i === end || buf[i] === TAB) {
      parts.push([at, i]);
      at = i + 1;
    }
  }
  return parts;
}

function parseFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  if (text === '') return fields;
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return fields;
}

export const columnsFormat: TextFormat = {
  kind: 'text',
  id: 'plain',
  messageKind: 'text',
  title: 'test columns',
  description: 'tab-separated test records filling every indexed column',
  filePatterns: [],
  columns: ['time', 'srcIp', 'level', 'code', 'source', 'host', 'certHost', 'message'],
  samples: [],
  framing: { kind: 'lines' },
  detect: () => 0,
  createIndexer(file: FileContext) {
    const wanted = file.wantedFields ?? new Set<string>();
    return {
      index(buf: Uint8Array, start: number, end: number, sink: IndexSink): void {
        const parts = splitTabs(buf, start, end);
        const [timeStart, timeEnd] = parts[0]!;
        const time = Number(decoder.decode(buf.subarray(timeStart, timeEnd)));
        if (timeEnd > timeStart && Number.isFinite(time)) sink.time(time);
        const set: readonly ((buf: Uint8Array, start: number, end: number) => void)[] = [
          () => undefined,
          (b, s, e) => sink.srcIp(b, s, e),
          (b, s, e) => sink.level(b, s, e),
          (b, s, e) => sink.code(b, s, e),
          (b, s, e) => sink.source(b, s, e),
          (b, s, e) => sink.host(b, s, e),
          (b, s, e) => sink.certHost(b, s, e),
        ];
        for (let slot = 1; slot < COLUMN_SLOTS.length; slot++) {
          const part = parts[slot];
          if (part !== undefined && part[1] > part[0]) set[slot]!(buf, part[0], part[1]);
        }
        const message = parts[7];
        if (message !== undefined && wanted.has('message'))
          sink.field('message', buf, message[0], message[1]);
        const fieldsPart = parts[8];
        if (fieldsPart !== undefined) {
          const fields = parseFields(decoder.decode(buf.subarray(fieldsPart[0], fieldsPart[1])));
          for (const [name, value] of Object.entries(fields))
            if (wanted.has(name)) {
              const bytes = encoder.encode(value);
              sink.field(name, bytes, 0, bytes.length);
            }
        }
      },
    };
  },
  parse(text: string): ParsedRecord {
    const parts = text.split('\t');
    const value = (i: number): string | null =>
      parts[i] === undefined || parts[i] === '' ? null : parts[i];
    const time = value(0) === null ? NaN : Number(value(0));
    return {
      time: Number.isFinite(time) ? time : null,
      srcIp: value(1),
      level: value(2),
      code: value(3),
      source: value(4),
      host: value(5),
      certHost: value(6),
      message: parts[7] ?? null,
      fields: parseFields(parts[8] ?? ''),
      flags: 0,
      notes: [],
    };
  },
};

// ---- value pools: few enough that rules and records meet often ----------------------------------------

export const IPS = [
  '172.16.1.5',
  '172.16.1.50',
  '172.16.10.1',
  '172.16.1.255',
  '10.0.0.1',
  '10.0.0.20',
  '10.0.0.21',
  '10.9.8.7',
  '192.168.0.1',
  '0.0.0.0',
  '255.255.255.255',
  '::ffff:10.0.0.1',
  '::ffff:172.16.1.5',
  '::FFFF:10.0.0.7',
  '2001:db8::1',
  '2001:DB8:0:0:0:0:0:2',
  '2001:db8:1::1',
  'fe80::1',
  '::1',
  '::10.0.0.1',
  '010.0.0.1',
  'unknown',
  '1234',
];
export const IP_SPECS = [
  '172.16.1.0/24',
  '172.16.1.5',
  '10.0.0.1-10.0.0.20',
  '10.0.0.0/8',
  '0.0.0.0/0',
  '::/0',
  '::ffff:10.0.0.0/104',
  '::ffff:0:0/96',
  '2001:db8::/32',
  '2001:db8::1-2001:db8::5',
  'fe80::/10',
  '::1',
  '192.168.0.0/16',
  '255.255.255.255',
];
export const HOSTS = [
  'intranet.example.com',
  'INTRANET.example.com',
  'a.legacy.example.com',
  'a.b.legacy.example.com',
  'legacy.example.com',
  'corp.example',
  'www.corp.example',
  'notcorp.example',
  'revoked.example.net',
  'localhost',
  '10.0.0.1',
  'bad host',
];
export const HOST_PATTERNS = [
  'intranet.example.com',
  '*.legacy.example.com',
  '.legacy.example.com',
  '.corp.example',
  '*.corp.example',
  'revoked.example.net',
  'localhost',
  '.example.com',
];
export const LEVELS = ['error', 'Error', 'warning', 'info', 'crit'];
export const CODES = [
  '125',
  '0125',
  '36887',
  'CT_SOCKET_ERROR',
  'CT_SERVER_TIMED_OUT',
  '404',
  '200',
];
export const SOURCES = ['Secure Gateway', 'Schannel', 'server#1', 'server#2', 'ssl'];
export const WORDS = ['handshake', 'SSL', 'timed out', 'GET /', 'Größe', 'ok', 'x', 'déjà vu'];
export const MESSAGES = [
  'SSL handshake from client failed',
  'SSL handshake failed: HTTP spoken on HTTPS port',
  'connection timed out after 15 s',
  'GET / HTTP/1.0',
  'all ok',
  'Größe überschritten: déjà vu',
  'user not found',
  '',
];
export const FIELD_NAMES = ['x-rs-certificate-observed-errors', 'user', 'method'];
export const FIELD_VALUES = ['revoked-by-ocsp', 'hostname-mismatch', 'none', 'HEAD', 'jdoe', ''];

export interface RecordSpec {
  readonly time: number | null;
  readonly srcIp: string | null;
  readonly level: string | null;
  readonly code: string | null;
  readonly source: string | null;
  readonly host: string | null;
  readonly certHost: string | null;
  readonly message: string;
  readonly fields: readonly (readonly [string, string])[];
}

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) });

export const recordSpec: fc.Arbitrary<RecordSpec> = fc.record({
  time: maybe(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_900_000 })),
  srcIp: maybe(fc.constantFrom(...IPS)),
  level: maybe(fc.constantFrom(...LEVELS)),
  code: maybe(fc.constantFrom(...CODES)),
  source: maybe(fc.constantFrom(...SOURCES)),
  host: maybe(fc.constantFrom(...HOSTS)),
  certHost: maybe(fc.constantFrom(...HOSTS)),
  message: fc.constantFrom(...MESSAGES),
  fields: fc.uniqueArray(
    fc.tuple(fc.constantFrom(...FIELD_NAMES), fc.constantFrom(...FIELD_VALUES)),
    {
      maxLength: 3,
      selector: ([name]) => name,
    },
  ),
});

export function columnsLine(spec: RecordSpec): string {
  return [
    spec.time === null ? '' : String(spec.time),
    spec.srcIp ?? '',
    spec.level ?? '',
    spec.code ?? '',
    spec.source ?? '',
    spec.host ?? '',
    spec.certHost ?? '',
    spec.message,
    spec.fields.map(([k, v]) => `${k}=${v}`).join(';'),
  ].join('\t');
}

export function columnsLog(specs: readonly RecordSpec[]): string {
  return specs.map((s) => `${columnsLine(s)}\n`).join('');
}

/** The record as the reference matcher sees it: the display parse plus the index's tags. */
export function matchable(ingested: Ingested, record: number): MatchableRecord {
  const parsed = ingested.records[record]!.record;
  return {
    srcIp: parsed.srcIp,
    certHost: parsed.certHost,
    host: parsed.host,
    tags: TAG_CATALOGUE.ids(ingested.index.tagsOf(record)),
    code: parsed.code,
    source: parsed.source,
    level: parsed.level,
    message: parsed.message,
    fields: parsed.fields,
  };
}

export function ingestColumns(specs: readonly RecordSpec[]): Ingested {
  return ingest(columnsFormat, columnsLog(specs));
}

export function reader(ingested: Ingested, seen?: number[]): (record: number) => MatchableRecord {
  return (record) => {
    seen?.push(record);
    return matchable(ingested, record);
  };
}

/** Every record index `[0, index.count)`. */
export function allRecords(index: LogIndex): number[] {
  return Array.from({ length: index.count }, (_, i) => i);
}
