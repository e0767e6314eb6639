/**
 * Reads records back for display: the bytes of a record come from the file by offset and are
 * parsed again by the format, with the context the indexer recorded for that point of the file.
 */
import type { FileContext, LogFormat, ReadAt, TextEncoding } from '../formats/types';
import type { ParsedRecord } from '../record';
import { RecordFlag } from '../record';
import { decodeText, isValidUtf8 } from '../text/encoding';
import type { LogIndex } from './log-index';

export interface RecordText {
  readonly record: ParsedRecord;
  /** The record as text (text formats: as in the file, decoded; binary formats: a rendering). */
  readonly raw: string;
  readonly offset: number;
  /** Bytes the record occupies in the file (text formats), or 0 when the format does not say. */
  readonly length: number;
  /** 1-based first and last line (text formats); for binary formats both are the record's ordinal. */
  readonly line: number;
  readonly lastLine: number;
  /** The raw text was cut at `maxBytes`. */
  readonly truncated: boolean;
  /** The bytes were not valid UTF-8 and were shown with replacement characters. */
  readonly invalidUtf8: boolean;
}

export interface RecordSource {
  readonly index: LogIndex;
  readonly format: LogFormat;
  readonly file: FileContext;
  readonly encoding: TextEncoding;
  readonly read: ReadAt;
}

function trimLineEnds(text: string): string {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== 10 && c !== 13 && c !== 32 && c !== 9) break;
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Reads and parses record `record`; at most `maxBytes` of it are read (the rest is cut). */
export function readRecord(source: RecordSource, record: number, maxBytes: number): RecordText {
  const { index, format, file } = source;
  const offset = index.offsetOf(record);
  const context = index.contextOf(record);
  if (format.kind === 'binary') {
    const parsed = format.parse(source.read, offset, context, file);
    const line = index.lineOf(record);
    return {
      record: parsed.record,
      raw: parsed.raw,
      offset,
      length: 0,
      line,
      lastLine: line,
      truncated: false,
      invalidUtf8: false,
    };
  }
  const end = record + 1 < index.count ? index.offsetOf(record + 1) : index.endOffset;
  const length = Math.max(0, end - offset);
  const bytes = source.read(offset, Math.min(length, maxBytes));
  const truncated = bytes.length < length;
  const raw = trimLineEnds(decodeText(bytes, source.encoding));
  const invalidUtf8 = source.encoding === 'utf-8' && !isValidUtf8(bytes);
  let parsed: ParsedRecord;
  try {
    parsed = format.parse(raw, context, file);
  } catch (error) {
    parsed = {
      time: index.timeOf(record),
      srcIp: null,
      level: null,
      code: null,
      source: null,
      host: null,
      certHost: null,
      message: raw,
      fields: {},
      flags: RecordFlag.ParseError,
      notes: [`The parser failed on this record: ${String(error)}`],
    };
  }
  // The index is the authority for what ingest saw (flags such as oversized come from framing,
  // times of damaged records from their neighbours).
  const flags = parsed.flags | index.flagsOf(record);
  const line = index.lineOf(record);
  return {
    record: { ...parsed, flags, time: parsed.time ?? index.timeOf(record) },
    raw,
    offset,
    length,
    line,
    lastLine: line + countLines(raw) - 1,
    truncated,
    invalidUtf8,
  };
}
