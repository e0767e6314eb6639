import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  WordView,
  quoteFrom,
  sameBytes,
  separatorFrom,
  spaceFrom,
  spaceOrQuoteFrom,
  wordsOf,
} from '../../../shared/text/words';

type Scan = (buf: Uint8Array, words: DataView, i: number, end: number) => number;

/** The byte loop each word scan must agree with. */
function firstWhere(buf: Uint8Array, i: number, end: number, hit: (c: number) => boolean): number {
  while (i < end && !hit(buf[i]!)) i++;
  return i;
}

const SCANS: readonly [string, Scan, (c: number) => boolean][] = [
  ['separatorFrom', separatorFrom, (c) => c <= 0x20],
  ['quoteFrom', quoteFrom, (c) => c === 0x22],
  ['spaceFrom', spaceFrom, (c) => c === 0x20],
  ['spaceOrQuoteFrom', spaceOrQuoteFrom, (c) => c === 0x20 || c === 0x22],
];

// Bytes near the ones the scans look for, and high bytes whose borrows could fool the word trick.
const tricky = fc.constantFrom(
  0x00,
  0x01,
  0x1f,
  0x20,
  0x21,
  0x22,
  0x23,
  0x02,
  0x7f,
  0x80,
  0xa0,
  0xa2,
  0xff,
);
const bytes = fc.array(fc.oneof(tricky, fc.integer({ min: 0, max: 255 })), { maxLength: 40 });

describe('word scans', () => {
  for (const [name, scan, hit] of SCANS)
    it(`${name} finds what a byte loop finds, and never looks past the end`, () => {
      fc.assert(
        fc.property(bytes, fc.nat(), fc.nat(), (values, a, b) => {
          // The range sits inside a larger buffer whose bytes around it all match: a scan that
          // reads past `end` (or before `i`) answers wrongly.
          const buf = new Uint8Array(values.length + 16).fill(0x20);
          buf.fill(0x22, 0, 8);
          buf.set(values, 8);
          const start = 8 + (values.length === 0 ? 0 : a % (values.length + 1));
          const end = start + (b % (values.length + 9 - start));
          expect(scan(buf, wordsOf(buf), start, end)).toBe(firstWhere(buf, start, end, hit));
        }),
        { numRuns: 3000 },
      );
    });

  it('finds the first of several hits in one word, and hits in every lane', () => {
    const text = new TextEncoder().encode('ab"c d"e  "');
    for (let i = 0; i < text.length; i++) {
      const expected = firstWhere(text, i, text.length, (c) => c === 0x20 || c === 0x22);
      expect(spaceOrQuoteFrom(text, wordsOf(text), i, text.length)).toBe(expected);
    }
  });

  it('a word view follows a buffer that grows', () => {
    const backing = new ArrayBuffer(8, { maxByteLength: 64 });
    const buf = new Uint8Array(backing);
    const view = new WordView();
    expect(view.words(buf).byteLength).toBe(8);
    backing.resize(32);
    buf.fill(0x41);
    buf[30] = 0x22;
    expect(quoteFrom(buf, view.words(buf), 0, 32)).toBe(30);
  });
});

describe('sameBytes', () => {
  it('agrees with a byte-by-byte comparison, wherever the ranges sit and differ', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 40 }),
        fc.nat(7),
        fc.nat(7),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { nil: undefined }),
        (value, aAt, bAt, change) => {
          const a = new Uint8Array(aAt + value.length + 3).fill(0x41);
          const b = new Uint8Array(bAt + value.length + 3).fill(0x42);
          a.set(value, aAt);
          b.set(value, bAt);
          if (change !== undefined && value.length > 0) {
            // One byte differs, at any position: in a full word, a half word or the tail.
            const at = change[0] % value.length;
            b[bAt + at] = (b[bAt + at]! + change[1]) & 0xff;
          }
          const expected = a.subarray(aAt, aAt + value.length).every((c, i) => c === b[bAt + i]);
          expect(sameBytes(a, wordsOf(a), aAt, b, wordsOf(b), bAt, value.length)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
