/**
 * The index keeps each record's offset as its low 32 bits plus the records where offsets pass a
 * multiple of 2^32, so files over 4 GiB cost no more per record; offsets must come back exact.
 * Line numbers are kept as the records where `line - record` changes (a dense column once that
 * stops paying); they must come back exactly as the framer gave them.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { detectFormat, formatById } from '../../../shared/formats/registry';
import { LogIndex } from '../../../shared/index/log-index';
import { detectSampleOf } from '../../helpers/detect';
import { CORPUS, corpusBytes, ingest } from '../../helpers/ingest';

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

/** Feeds records with the given first lines; the reference answers come from the list itself. */
function indexOfLines(lines: readonly number[]): LogIndex {
  const index = new LogIndex();
  lines.forEach((line, i) => {
    index.beginLine(i * 10, line);
    index.end();
  });
  return index;
}

function expectLines(index: LogIndex, lines: readonly number[]): void {
  expect(lines.map((_, record) => index.lineOf(record))).toEqual(lines);
  const last = lines[lines.length - 1] ?? 0;
  for (let line = 0; line <= last + 3; line++) {
    let expected = -1;
    lines.forEach((first, record) => {
      if (first <= line) expected = record;
    });
    expect(index.recordAtLine(line), `line ${line}`).toBe(expected);
  }
}

/** First lines from the gaps between records (1: the next line). */
function linesOf(gaps: readonly number[], start = 1): number[] {
  const lines: number[] = [];
  let line = start;
  for (const gap of gaps) {
    lines.push(line);
    line += gap;
  }
  return lines;
}

describe('line numbers', () => {
  // Kept as the records where `line - record` changes; past many changes, as a dense column.
  it('come back as given when lines are rarely skipped', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof({ arbitrary: fc.constant(1), weight: 50 }, fc.integer({ min: 2, max: 9 })),
          {
            maxLength: 3000,
          },
        ),
        fc.integer({ min: 1, max: 40 }),
        (gaps, start) => expectLines(indexOfLines(linesOf(gaps, start)), linesOf(gaps, start)),
      ),
      { numRuns: 40 },
    );
  });

  it('come back as given when most records span several lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2000, maxLength: 4000 }),
        (gaps) => expectLines(indexOfLines(linesOf(gaps)), linesOf(gaps)),
      ),
      { numRuns: 10 },
    );
  });

  it('switch to a dense column after a long sparse stretch without losing a line', () => {
    const gaps = [
      ...Array<number>(50_000).fill(1),
      ...Array.from({ length: 30_000 }, (_, i) => 2 + (i % 3)),
      ...Array<number>(5_000).fill(1),
    ];
    const lines = linesOf(gaps, 3);
    const index = indexOfLines(lines);
    // The dense column is there: four bytes a record at least.
    expect(index.memoryBytes()).toBeGreaterThan(lines.length * 4);
    expect(lines.map((_, record) => index.lineOf(record))).toEqual(lines);
    for (const line of [1, 2, 3, 50_002, 50_003, 50_004, lines[lines.length - 1]!, 10 ** 7])
      expect(index.recordAtLine(line)).toBe(lines.findLastIndex((first) => first <= line));
  });

  it('cost nothing for records on consecutive lines', () => {
    const index = indexOfLines(linesOf(Array<number>(100_000).fill(1)));
    const bare = new LogIndex();
    for (let i = 0; i < 100_000; i++) {
      bare.begin(i * 10);
      bare.end();
    }
    expect(index.memoryBytes()).toBe(bare.memoryBytes());
    expect(index.hasLines()).toBe(true);
    expect(bare.hasLines()).toBe(false);
    expect(index.recordAtLine(77)).toBe(76);
  });

  it('are the ones the framer gives, for every record of every corpus text file', () => {
    const given: number[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the index as `this`
    const original = LogIndex.prototype.beginLine;
    const spy = vi.spyOn(LogIndex.prototype, 'beginLine').mockImplementation(function (
      this: LogIndex,
      offset: number,
      line: number,
    ) {
      given[this.count] = line;
      original.call(this, offset, line);
    });
    let files = 0;
    for (const dir of readdirSync(CORPUS)) {
      if (!statSync(join(CORPUS, dir)).isDirectory()) continue;
      for (const name of readdirSync(join(CORPUS, dir))) {
        const bytes = corpusBytes(`${dir}/${name}`);
        const format = formatById(detectFormat(detectSampleOf(bytes, name)).format ?? 'plain')!;
        if (format.kind !== 'text') continue;
        given.length = 0;
        const { index } = ingest(format, bytes, { chunkSize: 4093 });
        expect(index.count, name).toBe(given.length);
        expect(
          given.map((_, record) => index.lineOf(record)),
          name,
        ).toEqual(given);
        files++;
      }
    }
    spy.mockRestore();
    expect(files).toBeGreaterThanOrEqual(15);
  });
});

/** Everything the index keeps for record `r`. */
function columnsOf(index: LogIndex, r: number): unknown[] {
  return [
    index.offsetOf(r),
    index.lineOf(r),
    index.timeOf(r),
    index.flagsOf(r),
    index.tagsOf(r),
    ...(['srcIp', 'level', 'code', 'source', 'host', 'certHost'] as const).map((c) =>
      index.idOf(c, r),
    ),
  ];
}

describe('column memory', () => {
  it('may be bigger than asked: a column uses its first bytes only', () => {
    // The worker asks for blocks over glibc's mmap threshold to get fresh zero pages.
    const bytes = corpusBytes('apache/elastic-examples_apache_logs_combined.log');
    const format = formatById('apache-access')!;
    const plain = ingest(format, bytes, { chunkSize: 65_536 }).index;
    const asked: number[] = [];
    const roomy = ingest(format, bytes, {
      chunkSize: 65_536,
      memory: (n) => {
        asked.push(n);
        return new SharedArrayBuffer(n + 3 * 4096);
      },
    }).index;
    expect(asked.length).toBeGreaterThan(3);
    expect(roomy.count).toBe(plain.count);
    expect(roomy.memoryBytes()).toBe(plain.memoryBytes());
    for (let r = 0; r < plain.count; r++) expect(columnsOf(roomy, r)).toEqual(columnsOf(plain, r));
  });
});

describe('id columns', () => {
  it('widen from one to two to four bytes an id and keep every earlier id', () => {
    // 70,000 distinct hosts: past 255 the column needs two bytes, past 65,535 four.
    const index = new LogIndex();
    const encoder = new TextEncoder();
    const hostOf = (r: number): string => `h${(r * 7919) % 70_000}.example`;
    for (let r = 0; r < 140_000; r++) {
      index.beginLine(r * 30, r + 1);
      const bytes = encoder.encode(hostOf(r));
      index.host(bytes, 0, bytes.length);
      index.end();
    }
    expect(index.idColumn('host')!.BYTES_PER_ELEMENT).toBe(4);
    expect(index.dictionary('host').size).toBe(70_000);
    for (let r = 0; r < 140_000; r += 1) expect(index.valueOf('host', r)).toBe(hostOf(r));
  });
});
