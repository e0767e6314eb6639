/**
 * The index keeps each record's offset as its low 32 bits plus the records where offsets pass a
 * multiple of 2^32, so files over 4 GiB cost no more per record; offsets must come back exact.
 */
import { describe, expect, it } from 'vitest';
import { LogIndex } from '../../../shared/index/log-index';

const GIB4 = 2 ** 32;

describe('record offsets', () => {
  it('come back exact across several 4 GiB boundaries', () => {
    const offsets = [0, 17, GIB4 - 1, GIB4, GIB4 + 5, 3 * GIB4 - 2, 3 * GIB4 + 1, 2 ** 40 + 123];
    const index = new LogIndex();
    offsets.forEach((offset, i) => {
      index.beginLine(offset, i + 1);
      index.end();
    });
    expect(offsets.map((_, record) => index.offsetOf(record))).toEqual(offsets);
  });

  it('must increase', () => {
    const index = new LogIndex();
    index.beginLine(GIB4 + 10, 1);
    index.end();
    expect(() => index.beginLine(GIB4 + 9, 2)).toThrow(/must increase/);
  });
});
