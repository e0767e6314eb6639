/** Test helpers: run bytes through the real ingest path (framer, format, index) in memory. */
import { readFileSync } from 'node:fs';
import type { FileContext, FormatOptions, LogFormat } from '../../shared/formats/types';
import { Ingest } from '../../shared/index/ingest';
import type { ColumnMemory, LogIndex } from '../../shared/index/log-index';
import type { RecordText } from '../../shared/index/records';
import { readRecord } from '../../shared/index/records';
import { detectEncoding } from '../../shared/text/encoding';
import type { ByteSearchFactory } from '../../shared/text/framer';

import { CORPUS } from './corpus';

export { CORPUS };

export function corpusBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(CORPUS + path));
}

export interface Ingested {
  readonly index: LogIndex;
  readonly records: RecordText[];
}

export function ingest(
  format: LogFormat,
  input: Uint8Array | string,
  options: {
    chunkSize?: number;
    modifiedMs?: number;
    formatOptions?: FormatOptions;
    maxRecordBytes?: number;
    searchIn?: ByteSearchFactory;
    memory?: ColumnMemory;
  } = {},
): Ingested {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const { encoding, bomLength } = detectEncoding(bytes);
  const file: FileContext = {
    name: 'test.log',
    size: bytes.length,
    modifiedMs: options.modifiedMs ?? Date.UTC(2024, 5, 1),
    options: options.formatOptions ?? {},
  };
  const run = new Ingest(format, file, encoding ?? 'utf-8', bomLength, {
    maxRecordBytes: options.maxRecordBytes,
    searchIn: options.searchIn,
    memory: options.memory,
  });
  const chunk = options.chunkSize ?? 1 << 20;
  for (let at = 0; at < bytes.length; at += chunk) run.push(bytes.subarray(at, at + chunk), at);
  run.finish();
  const read = (offset: number, length: number): Uint8Array =>
    bytes.subarray(offset, offset + length);
  const records: RecordText[] = [];
  for (let i = 0; i < run.index.count; i++)
    records.push(
      readRecord(
        { index: run.index, format, file, encoding: encoding ?? 'utf-8', read },
        i,
        1 << 24,
      ),
    );
  return { index: run.index, records };
}
