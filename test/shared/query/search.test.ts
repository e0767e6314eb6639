import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../../shared/formats/registry';
import type { LogIndex } from '../../../shared/index/log-index';
import {
  compileSearch,
  matchBits,
  nextMatchRow,
  runSearch,
  SearchRun,
  Utf8Counter,
  type SearchQuery,
} from '../../../shared/query/search';
import { ingest } from '../../helpers/ingest';

const plain = formatById('plain')!;

/** The reference: decode each record on its own and test it, as plainly as possible. */
function referenceMatches(
  bytes: Uint8Array,
  index: LogIndex,
  query: SearchQuery,
  encoding: 'utf-8' | 'utf-16le',
  from = 0,
  to = index.count,
): number[] {
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  const escaped = query.pattern.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  const test = query.regex
    ? (text: string) => new RegExp(query.pattern, query.caseSensitive ? 'u' : 'iu').test(text)
    : query.caseSensitive
      ? (text: string) => text.includes(query.pattern)
      : (text: string) => new RegExp(escaped, 'i').test(text);
  const found: number[] = [];
  for (let r = from; r < to; r++) {
    const end = r + 1 < index.count ? index.offsetOf(r + 1) : index.endOffset;
    const text = decoder.decode(bytes.subarray(index.offsetOf(r), end)).replace(/[\r\n]+$/, '');
    if (test(text)) found.push(r);
  }
  return found;
}

function searchInChunks(
  bytes: Uint8Array,
  index: LogIndex,
  query: SearchQuery,
  encoding: 'utf-8' | 'utf-16le',
  chunkSize: number,
  range: { from?: number; to?: number } = {},
  startAt = 0,
): number[] {
  const compiled = compileSearch(query);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const run = new SearchRun(compiled.value, index, encoding, range);
  const start = Math.min(startAt, run.byteStart);
  for (let at = start; at < run.byteEnd && !run.done; at += chunkSize)
    run.push(bytes.subarray(at, Math.min(at + chunkSize, bytes.length)), at);
  expect(run.done).toBe(true);
  return [...run.matches()];
}

const pieces = [
  'GET / HTTP/1.0',
  'SSL handshake failed',
  'ssl HANDSHAKE',
  'Größe',
  'GRÖSSE',
  'déjà vu',
  '😀 emoji',
  'timed out',
  '172.16.1.5',
  'kelvin \u212a',
  'long s \u017f',
  '\ufeffbom',
  '  indented continuation',
  ' ',
  'a',
  'é',
];
const invalid = [
  [0xff],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xed, 0xa0, 0x80],
  [0x80, 0x80],
];

/** A log as bytes: lines of pieces, some with invalid UTF-8, LF or CRLF endings, blank lines. */
const logBytes = fc
  .array(
    fc.record({
      parts: fc.array(
        fc.oneof(
          {
            weight: 5,
            arbitrary: fc.constantFrom(...pieces).map((p) => new TextEncoder().encode(p)),
          },
          { weight: 1, arbitrary: fc.constantFrom(...invalid).map((b) => Uint8Array.from(b)) },
        ),
        { maxLength: 5 },
      ),
      ending: fc.constantFrom('\n', '\r\n', '\n\n', ''),
    }),
    { maxLength: 40 },
  )
  .map((lines) => {
    const out: number[] = [];
    lines.forEach(({ parts, ending }, i) => {
      for (const p of parts) out.push(...p);
      const end = i === lines.length - 1 ? ending : ending === '' ? '\n' : ending;
      for (const c of end) out.push(c.charCodeAt(0));
    });
    return Uint8Array.from(out);
  });

const query: fc.Arbitrary<SearchQuery> = fc.record({
  pattern: fc.oneof(
    fc.constantFrom(
      'SSL',
      'ssl',
      'handshake',
      'größe',
      'GRÖSSE',
      'ß',
      'é',
      '😀',
      'k',
      'S',
      'timed out',
      '1.5',
      'a',
      ' ',
      'vu\ngar',
      '\ufffd',
      '\ufeff',
    ),
    fc.string({ minLength: 1, maxLength: 3 }),
  ),
  regex: fc.boolean(),
  caseSensitive: fc.boolean(),
});

const regexQuery: fc.Arbitrary<SearchQuery> = fc.record({
  pattern: fc.constantFrom(
    '^GET',
    'vu$',
    '\\d+\\.\\d+',
    'h.nd',
    '^\\s',
    'ö|😀',
    '^$',
    '(?:)',
    '.\\uFFFD',
    'ß',
    // Matches that can run from one record into the next, or into its line ending.
    '\\s+GET',
    '[^x]*vu',
    '[\\s\\S]{3}',
    'd.*',
    '\\r',
    '\\n',
    'x*',
    '(?=GET)',
    'a(?!b)',
    '(?<=1)\\.',
  ),
  regex: fc.constant(true),
  caseSensitive: fc.boolean(),
});

describe('SearchRun against decoding each record', () => {
  it('finds exactly the records the reference finds, for any chunking (property)', () => {
    fc.assert(
      fc.property(
        logBytes,
        fc.oneof(query, regexQuery),
        fc.integer({ min: 1, max: 64 }),
        (bytes, q, chunkSize) => {
          if (!compileSearch(q).ok) return;
          const { index } = ingest(plain, bytes);
          expect(searchInChunks(bytes, index, q, 'utf-8', chunkSize)).toEqual(
            referenceMatches(bytes, index, q, 'utf-8'),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('searches a range of records, from chunks that may start before it', () => {
    fc.assert(
      fc.property(
        logBytes,
        query,
        fc.integer({ min: 1, max: 64 }),
        fc.nat(),
        fc.nat(),
        (bytes, q, chunkSize, a, b) => {
          if (!compileSearch(q).ok) return;
          const { index } = ingest(plain, bytes);
          const from = index.count === 0 ? 0 : a % index.count;
          const to = from + (index.count === 0 ? 0 : b % (index.count - from + 1));
          expect(searchInChunks(bytes, index, q, 'utf-8', chunkSize, { from, to }, 0)).toEqual(
            referenceMatches(bytes, index, q, 'utf-8', from, to),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('searches UTF-16 files in their own encoding', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces.filter((p) => !p.startsWith('\ufeff'))), {
          maxLength: 20,
        }),
        fc.oneof(query, regexQuery),
        fc.integer({ min: 1, max: 64 }),
        (lines, q, chunkSize) => {
          if (!compileSearch(q).ok) return;
          const text = '\ufeff' + lines.map((l) => `${l}\r\n`).join('');
          const bytes = new Uint8Array(text.length * 2);
          for (let i = 0; i < text.length; i++) {
            bytes[2 * i] = text.charCodeAt(i) & 0xff;
            bytes[2 * i + 1] = text.charCodeAt(i) >> 8;
          }
          const { index } = ingest(plain, bytes);
          expect(searchInChunks(bytes, index, q, 'utf-16le', chunkSize)).toEqual(
            referenceMatches(bytes, index, q, 'utf-16le'),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('skips a UTF-8 byte-order mark at the start of the file', () => {
    const bytes = new TextEncoder().encode('\ufeffSSL one\nplain\nSSL two\n');
    const { index } = ingest(plain, bytes);
    const q = { pattern: '^SSL', regex: true, caseSensitive: true };
    expect(searchInChunks(bytes, index, q, 'utf-8', 5)).toEqual([0, 2]);
  });

  it('counts UTF-16 code units the way TextDecoder produces them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(40), (bytes, cut) => {
        const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
        const counter = new Utf8Counter();
        const at = Math.min(cut, bytes.length);
        const units = counter.count(bytes, 0, at) + counter.count(bytes, at, bytes.length);
        expect(units + counter.flush()).toBe(decoder.decode(bytes).length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compileSearch', () => {
  it('says plainly what is wrong with a bad regular expression', () => {
    const bad = compileSearch({ pattern: 'a(b', regex: true, caseSensitive: true });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('search.invalid-regex');
      expect(bad.error.message).toMatch(/^Not a valid regular expression: .+\.$/);
      expect(bad.error.hint).toBeDefined();
    }
    const empty = compileSearch({ pattern: '', regex: false, caseSensitive: true });
    expect(empty.ok ? null : empty.error.code).toBe('search.empty');
    // Plain text with regex characters is plain text.
    const text = compileSearch({ pattern: 'a(b', regex: false, caseSensitive: false });
    expect(text.ok && text.value.test('xA(By')).toBe(true);
  });
});

describe('runSearch', () => {
  const bytes = new TextEncoder().encode(
    Array.from({ length: 200 }, (_, i) => `line ${i} ${i % 10 === 0 ? 'needle' : 'hay'}\n`).join(
      '',
    ),
  );
  const { index } = ingest(plain, bytes);
  const compiled = compileSearch({ pattern: 'needle', regex: false, caseSensitive: true });
  if (!compiled.ok) throw new Error('compile');
  function* chunks(size: number) {
    for (let at = 0; at < bytes.length; at += size)
      yield { bytes: bytes.subarray(at, at + size), offset: at };
  }

  it('reports progress and returns every match', async () => {
    const progress: number[] = [];
    const run = new SearchRun(compiled.value, index, 'utf-8');
    const found = await runSearch(run, chunks(100), {
      onProgress: (p) => progress.push(p.bytesScanned),
      progressMs: 0,
    });
    expect([...found!]).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(progress[progress.length - 1]).toBe(run.progress().bytesTotal);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]!);
  });

  it('stops between chunks when cancelled', async () => {
    const run = new SearchRun(compiled.value, index, 'utf-8');
    let pushed = 0;
    const found = await runSearch(run, chunks(100), { isCancelled: () => ++pushed > 3 });
    expect(found).toBeNull();
    expect(run.progress().bytesScanned).toBe(300);
  });
});

describe('nextMatchRow', () => {
  it('finds the next and previous matching row in any order, wrapping around', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(49), { maxLength: 50 }),
        fc.uniqueArray(fc.nat(49), { maxLength: 10 }),
        fc.integer({ min: -1, max: 49 }),
        fc.constantFrom<1 | -1>(1, -1),
        fc.boolean(),
        (rowsList, matchList, fromRow, direction, wrap) => {
          const rows = Uint32Array.from(rowsList);
          const total = rows.length;
          const from = fromRow < total ? fromRow : -1;
          const bits = matchBits(Uint32Array.from([...matchList].sort((a, b) => a - b)), 50);
          const matching = rowsList
            .map((record, row) => (matchList.includes(record) ? row : -1))
            .filter((row) => row >= 0);
          let expected: number | undefined;
          if (direction === 1) {
            expected = matching.find((row) => row > from);
            if (expected === undefined && wrap) expected = matching[0];
          } else {
            const before = from < 0 ? matching : matching.filter((row) => row < from);
            expected = before[before.length - 1];
            if (expected === undefined && wrap && from >= 0)
              expected = matching[matching.length - 1];
          }
          expect(nextMatchRow(bits, rows, total, from, direction, wrap)).toBe(expected ?? -1);
        },
      ),
    );
  });

  it('walks file order when there is no view', () => {
    const bits = matchBits(Uint32Array.from([3, 7]), 10);
    expect(nextMatchRow(bits, null, 10, 3, 1)).toBe(7);
    expect(nextMatchRow(bits, null, 10, 7, 1)).toBe(3);
    expect(nextMatchRow(bits, null, 10, 7, 1, false)).toBe(-1);
    expect(nextMatchRow(bits, null, 10, 3, -1)).toBe(7);
    expect(nextMatchRow(bits, null, 10, 5, -1)).toBe(3);
  });
});
