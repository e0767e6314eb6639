/** The ingest drives a file's bytes into its index, and once the file has ended takes no more. */
import { describe, expect, it } from 'vitest';
import { formatById } from '../../../shared/formats/registry';
import { Ingest } from '../../../shared/index/ingest';

const LINE = '10.0.0.1 - - [05/Mar/2024:08:00:05 +0000] "GET / HTTP/1.1" 200 5 "-" "agent"\n';

describe('Ingest', () => {
  it('indexes the lines pushed, and refuses bytes pushed after the end', () => {
    const bytes = new TextEncoder().encode(LINE.repeat(3));
    const file = { name: 'access.log', size: bytes.length, modifiedMs: 0, options: {} };
    const ingest = new Ingest(formatById('apache-access')!, file, 'utf-8', 0);
    ingest.push(bytes, 0);
    ingest.finish();
    expect(ingest.index.count).toBe(3);
    // The framer and its indexer are let go at the end: a late chunk is an error, not a record.
    expect(() => ingest.push(bytes, bytes.length)).toThrow('bytes pushed after the file ended');
    expect(ingest.index.count).toBe(3);
    ingest.finish();
    expect(ingest.index.count).toBe(3);
  });
});
