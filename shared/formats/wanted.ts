/**
 * The named fields signature tags read (FileContext.wantedFields): an indexer hands each one to
 * `sink.field` with exactly the value its parse gives (`fields[name]`, or the message column for
 * `message`). Formats pass byte ranges where the value stands in the record as it is; these
 * helpers cover the rest.
 */
import type { FileContext, IndexSink } from './types';
import type { ParsedRecord } from '../record';

const encoder = new TextEncoder();

export interface Wanted {
  /** Every wanted name, `message` included. */
  readonly all: ReadonlySet<string>;
  /** Wanted names other than `message`. */
  readonly names: readonly string[];
  readonly message: boolean;
  /** Whether anything at all is wanted. */
  readonly any: boolean;
}

export function wantedOf(file: FileContext): Wanted {
  const all = file.wantedFields ?? new Set<string>();
  const names = [...all].filter((name) => name !== 'message');
  const message = all.has('message');
  return { all, names, message, any: names.length > 0 || message };
}

/**
 * The number an indexer hands `sink.fieldByNumber` for `name`: its place in the file's wanted
 * fields, or -1 when no tag reads it.
 */
export function fieldNumber(file: FileContext, name: string): number {
  return [...(file.wantedFields ?? [])].indexOf(name);
}

/** A value that is not a byte range of the record (derived, decoded or un-doubled text). */
export function reportText(sink: IndexSink, name: string, value: string): void {
  const bytes = encoder.encode(value);
  sink.field(name, bytes, 0, bytes.length);
}

/** Reports the wanted names from a full parse of the record: for values that need one. */
export function reportParsed(sink: IndexSink, record: ParsedRecord, names: Iterable<string>): void {
  for (const name of names) {
    const value = name === 'message' ? record.message : record.fields[name];
    if (value !== undefined && value !== null) reportText(sink, name, value);
  }
}
