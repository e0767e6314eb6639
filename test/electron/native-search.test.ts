/**
 * The worker frames text with Node's memchr-based Buffer search instead of the typed array's
 * own indexOf; on real files it must cut exactly the same records at exactly the same offsets.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, formatById } from '../../shared/formats/registry';
import { detectEncoding, splitLines } from '../../shared/text/encoding';
import { nativeSearch } from '../../electron/worker/file-worker';
import { CORPUS, corpusBytes, ingest } from '../helpers/ingest';

const FILES = ['apache', 'citrix', 'elff', 'eventlog-export', 'iis']
  .flatMap((dir) => readdirSync(CORPUS + dir).map((name) => `${dir}/${name}`))
  .filter((path) => !path.endsWith('.md'));

describe("the worker's native line search", () => {
  it.each(FILES)('frames %s exactly as the default search does', (path) => {
    const bytes = corpusBytes(path);
    const { encoding } = detectEncoding(bytes);
    const text = new TextDecoder(encoding ?? 'utf-8').decode(bytes.subarray(0, 64 * 1024));
    const detected = detectFormat({
      fileName: path,
      bytes,
      encoding,
      lines: splitLines(text, 200),
    });
    const format = formatById(detected.format ?? 'plain')!;
    // Small chunks, so records straddle chunk ends and the search runs on joined windows too.
    const native = ingest(format, bytes, { chunkSize: 4093, searchIn: nativeSearch });
    const plain = ingest(format, bytes, { chunkSize: 4093 });
    expect(native.records.length).toBeGreaterThan(0);
    expect(native.records).toEqual(plain.records);
  });
});
