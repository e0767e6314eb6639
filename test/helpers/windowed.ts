/**
 * Test helpers for the formats whose indexers read windows in WebAssembly (W3C, Apache access):
 * the same format without the windows, to compare indexes with, and a module memory that will
 * not grow.
 */
import { expect } from 'vitest';
import type { TextFormat, WindowCopy } from '../../shared/formats/types';
import { DICT_COLUMNS } from '../../shared/record';
import { ingest } from './ingest';

/** `format` with an indexer that is never shown a window: it reads every record in JavaScript. */
function withoutWindows(format: TextFormat): TextFormat {
  return {
    ...format,
    createIndexer(file) {
      const indexer = format.createIndexer(file);
      return { index: (buf, start, end, sink) => indexer.index(buf, start, end, sink) };
    },
  };
}

/**
 * `format` indexes `bytes` as it does without windows, in chunks of `chunkSize`: every record's
 * offset, time, flags, tags and column values.
 */
export function expectSameIndexWithoutWindows(
  format: TextFormat,
  bytes: Uint8Array,
  chunkSize: number,
): void {
  const fast = ingest(format, bytes, { chunkSize }).index;
  const slow = ingest(withoutWindows(format), bytes, { chunkSize }).index;
  expect(fast.count).toBe(slow.count);
  for (let i = 0; i < slow.count; i++) {
    const where = `record ${i}`;
    expect(fast.offsetOf(i), where).toBe(slow.offsetOf(i));
    expect(fast.timeOf(i), where).toBe(slow.timeOf(i));
    expect(fast.flagsOf(i), where).toBe(slow.flagsOf(i));
    expect(fast.tagsOf(i), where).toBe(slow.tagsOf(i));
    for (const column of DICT_COLUMNS)
      expect(fast.valueOf(column, i), `${column} of ${where}`).toBe(slow.valueOf(column, i));
  }
}

/**
 * A windowed scanner whose module memory cannot grow (as when the process is out of memory)
 * declines a window it has no room for, and then holds no window at all: its indexer then reads
 * the window in JavaScript.
 */
export function expectDeclinedWithoutMemory(scanner: {
  load(window: Uint8Array): WindowCopy | undefined;
  holds(buf: Uint8Array): boolean;
}): void {
  const small = new TextEncoder().encode('a b');
  const copy = scanner.load(small)!.bytes;
  expect(copy).toEqual(small);
  expect(scanner.holds(copy)).toBe(true);
  // Records of the window itself are not in the module's memory.
  expect(scanner.holds(small)).toBe(false);
  const memory = (scanner as unknown as { wasm: { memory: { grow(pages: number): number } } }).wasm
    .memory;
  memory.grow = () => {
    throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
  };
  const big = new Uint8Array(1 << 20).fill(0x61);
  expect(scanner.load(big)).toBeUndefined();
  expect(scanner.holds(big)).toBe(false);
  expect(scanner.holds(copy)).toBe(false);
}
