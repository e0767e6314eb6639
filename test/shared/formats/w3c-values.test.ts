/**
 * W3C entries are split by two tokenizers that must agree exactly: the JavaScript one, and the
 * WebAssembly one with 16-byte SIMD searches that the index path uses where WebAssembly runs.
 * Checked value by value on random entries and on every corpus line, and index by index on whole
 * files; and the generated module must be what its source compiles to.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { trimEnd } from '../../../shared/formats/bytes';
import { w3c } from '../../../shared/formats/w3c';
import {
  Kind,
  SIMD_MAX_VALUES,
  SimdTokenizer,
  Values,
  tokenize,
} from '../../../shared/formats/w3c-values';
import { parseIpv4Bytes } from '../../../shared/index/ip-bytes';
import { writeElff } from '../../bench/generate-elff';
import { CORPUS, ingest } from '../../helpers/ingest';
import { expectDeclinedWithoutMemory, expectSameIndexWithoutWindows } from '../../helpers/windowed';

const ROOT = new URL('../../../', import.meta.url).pathname;

function simd(): SimdTokenizer {
  const tokenizer = SimdTokenizer.create();
  // Node runs WebAssembly with SIMD: were it missing here, every comparison below would be empty.
  expect(tokenizer).not.toBeNull();
  return tokenizer!;
}

/**
 * Both tokenizers on window[start, end) with `limit`: the same count, flag and stored values; and
 * the client's address (value number `tokenizer.clientAt`) as the index reads it from its bytes.
 */
function expectSame(
  tokenizer: SimdTokenizer,
  window: Uint8Array,
  start: number,
  end: number,
  limit: number,
): void {
  const js = new Values();
  tokenize(window, start, end, limit, js);
  const fast = tokenizer.tokenize(start, end);
  const where = `[${start}, ${end}) limit ${limit} of ${JSON.stringify(new TextDecoder().decode(window))}`;
  expect({ count: fast.count, unclosed: fast.unclosed }, where).toEqual({
    count: js.count,
    unclosed: js.unclosed,
  });
  for (let k = 0; k < Math.min(js.count, limit); k++)
    expect([fast.starts[k], fast.ends[k], fast.kinds[k]], `value ${k} of ${where}`).toEqual([
      js.starts[k],
      js.ends[k],
      js.kinds[k],
    ]);
  const at = tokenizer.clientAt;
  const all = new Values();
  tokenize(window, start, end, 100_000, all);
  const address =
    at >= 0 && at < all.count && all.kinds[at] === Kind.Plain
      ? parseIpv4Bytes(window, all.starts[at]!, all.ends[at]!)
      : -1;
  expect(tokenizer.clientIpv4(at), `address at ${at} of ${where}`).toBe(address);
  // The address is only given for the value the split was asked to read.
  expect(tokenizer.clientIpv4(at + 1)).toBe(-1);
  const statusAt = tokenizer.statusAt;
  const text =
    statusAt >= 0 && statusAt < all.count && all.kinds[statusAt] === Kind.Plain
      ? new TextDecoder().decode(window.subarray(all.starts[statusAt], all.ends[statusAt]))
      : '';
  const status = /^(0|[1-9][0-9]{0,8})$/.test(text) ? Number(text) : -1;
  expect(tokenizer.statusNumber(statusAt), `status at ${statusAt} of ${where}`).toBe(status);
  expect(tokenizer.statusNumber(statusAt + 1)).toBe(-1);
}

/** Bytes that matter to the split (separators, quotes, bytes above 0x7f) and some that do not. */
const byte = fc.constantFrom(
  0x20,
  0x20,
  0x09,
  0x0d,
  0x00,
  0x22,
  0x22,
  0x61,
  0x2d,
  0x7f,
  0x80,
  0xff,
);

describe('SimdTokenizer', () => {
  it('splits any bytes as the JavaScript tokenizer does, whatever lies around the range', () => {
    const tokenizer = simd();
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 200 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: SIMD_MAX_VALUES }),
        fc.integer({ min: -1, max: 8 }),
        (bytes, a, b, limit, clientAt) => {
          const window = Uint8Array.from(bytes);
          const start = window.length === 0 ? 0 : a % window.length;
          const end = start + (window.length === 0 ? 0 : b % (window.length - start + 1));
          tokenizer.clientAt = clientAt;
          tokenizer.load(window);
          expectSame(tokenizer, window, start, end, limit);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('splits long values and long quoted values, across many SIMD blocks', () => {
    const tokenizer = simd();
    const value = fc.oneof(
      fc.stringMatching(/^[a-z0-9./:-]{1,70}$/),
      fc.stringMatching(/^"[a-z ;/"]{0,90}"?$/),
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 40 }),
        fc.constantFrom(' ', '  ', '\t'),
        (values, gap) => {
          const window = new TextEncoder().encode(`${values.join(gap)}\n#next line`);
          const end = window.indexOf(10);
          tokenizer.load(window);
          for (const limit of [0, 1, 7, SIMD_MAX_VALUES])
            expectSame(tokenizer, window, 0, end, limit);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('finds line ends as indexOf does, and splits each line as tokenize splits its trimmed entry', () => {
    const tokenizer = simd();
    const lineByte = fc.constantFrom(0x0a, 0x0a, 0x0d, 0x20, 0x09, 0x22, 0x22, 0x61, 0x2d, 0x00);
    // Pieces of W3C lines: values, quoted ones (closed, escaped, unclosed), gaps and line ends.
    const piece = fc.constantFrom(
      'a',
      '-',
      'abc:80',
      '"x y"',
      '"a quoted value long enough to cross from one 32-byte block into the next"',
      '"a""b"',
      '"open',
      ' ',
      '  ',
      '\t',
      '\r\n',
      '\n',
      ' \n',
      '"',
    );
    const bytesOfWindow = fc.oneof(
      fc.array(lineByte, { maxLength: 200 }).map((bytes) => Uint8Array.from(bytes)),
      fc.array(piece, { maxLength: 60 }).map((pieces) => new TextEncoder().encode(pieces.join(''))),
    );
    fc.assert(
      fc.property(
        bytesOfWindow,
        fc.integer({ min: 0, max: SIMD_MAX_VALUES }),
        fc.integer({ min: -1, max: 4 }),
        (window, limit, clientAt) => {
          tokenizer.clientAt = clientAt;
          const search = tokenizer.load(window)!.lines;
          // As the framer walks a window: each line from the last LF on, then its entry.
          for (let pos = 0; pos <= window.length;) {
            const lf = search.indexOf(10, pos);
            expect(lf, `LF from ${pos}`).toBe(window.indexOf(10, pos));
            const end = trimEnd(window, pos, lf < 0 ? window.length : lf);
            expectSame(tokenizer, window, pos, end, limit);
            if (lf < 0) break;
            pos = lf + 1;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads the client address and the status as the index reads their bytes, in line mode and not', () => {
    const tokenizer = simd();
    // Addresses and near misses (leading zeros, octets past 255, too few or many parts, a port,
    // quoted, IPv6), in entries of any number of values, some lines cut short of the address.
    const value = fc.constantFrom(
      '10.1.2.3',
      '172.16.254.1',
      '0.0.0.0',
      '255.255.255.255',
      '01.2.3.4',
      '1.2.3.04',
      '256.1.1.1',
      '1.2.3.400',
      '1.2.3',
      '1.2.3.4.5',
      '1.2.3.4:80',
      '1.2.3.4x',
      '1..2.3',
      '.1.2.3',
      '"10.1.2.3"',
      '"a b"',
      '-',
      '::1',
      '[::1]:443',
      '1234',
      'host.example.com',
      '200',
      '0',
      '00',
      '007',
      '123456789',
      '1234567890',
      '20x',
      '"404"',
    );
    const entry = fc
      .array(value, { maxLength: 12 })
      .chain((values) =>
        fc.tuple(
          fc.constant(values),
          fc.constantFrom(' ', '  ', '\t'),
          fc.constantFrom('\n', '\r\n'),
        ),
      )
      .map(([values, gap, eol]) => values.join(gap) + eol);
    fc.assert(
      fc.property(
        fc.array(entry, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: -1, max: 12 }),
        fc.integer({ min: -1, max: 12 }),
        fc.integer({ min: 0, max: SIMD_MAX_VALUES }),
        (entries, clientAt, statusAt, limit) => {
          const window = new TextEncoder().encode(entries.join(''));
          tokenizer.clientAt = clientAt;
          tokenizer.statusAt = statusAt;
          const search = tokenizer.load(window)!.lines;
          for (let pos = 0; pos < window.length;) {
            const lf = search.indexOf(10, pos);
            const end = trimEnd(window, pos, lf < 0 ? window.length : lf);
            // The entry the line search split, and the same entry split again (not in line mode).
            expectSame(tokenizer, window, pos, end, limit);
            expectSame(tokenizer, window, pos, Math.max(pos, end - 1), limit);
            if (lf < 0) break;
            pos = lf + 1;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('splits every line of the ELFF and IIS corpus as the JavaScript tokenizer does', () => {
    const tokenizer = simd();
    let lines = 0;
    for (const folder of ['elff', 'iis'])
      for (const name of readdirSync(join(CORPUS, folder))) {
        const window = new Uint8Array(readFileSync(join(CORPUS, folder, name)));
        tokenizer.load(window);
        for (let start = 0; start < window.length;) {
          let end = window.indexOf(10, start);
          if (end < 0) end = window.length;
          for (const limit of [0, 2, 30, SIMD_MAX_VALUES])
            expectSame(tokenizer, window, start, end, limit);
          lines++;
          start = end + 1;
        }
      }
    expect(lines).toBeGreaterThan(100);
  });

  it('keeps working when a bigger window makes its memory grow', () => {
    const tokenizer = simd();
    const small = new TextEncoder().encode('a "b c" d');
    tokenizer.load(small);
    expectSame(tokenizer, small, 0, small.length, 5);
    const big = new TextEncoder().encode(`${'x'.repeat(300_000)} "y z" ${'w '.repeat(10_000)}`);
    tokenizer.load(big);
    expectSame(tokenizer, big, 0, big.length, SIMD_MAX_VALUES);
    expect(tokenizer.tokenize(0, big.length).count).toBe(10_002);
  });

  it('declines a window it finds no memory for, and then holds no window at all', () => {
    expectDeclinedWithoutMemory(simd());
  });

  it('is exactly what its source compiles to', () => {
    // Fails (non-zero exit) when w3c-values.wasm.ts is stale: run `npm run wasm`.
    execFileSync(process.execPath, ['scripts/wasm.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' });
  });
});

describe('the w3c index with and without SIMD', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsieve-w3c-values-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every corpus file the same index, in any chunking', () => {
    for (const folder of ['elff', 'iis'])
      for (const name of readdirSync(join(CORPUS, folder))) {
        const bytes = new Uint8Array(readFileSync(join(CORPUS, folder, name)));
        for (const chunkSize of [1 << 20, 997, 64])
          expectSameIndexWithoutWindows(w3c, bytes, chunkSize);
      }
  });

  it('reads the client address and the status where each header block puts them', () => {
    // c-ip moves from the third value to the first and then the second, sc-status from the last
    // to the first, and some addresses and statuses are not plain dotted quads or numbers.
    const text = [
      '#Fields: date time c-ip sc-status',
      '2024-03-05 00:00:01 10.0.0.1 200',
      '2024-03-05 00:00:02 01.0.0.1 200',
      '2024-03-05 00:00:03 "10.0.0.3" 200',
      '2024-03-05 00:00:04 10.0.0.4',
      '#Fields: c-ip date time sc-status',
      '10.0.0.5 2024-03-05 00:00:05 200',
      '[::1]:443 2024-03-05 00:00:06 200',
      '10.0.0.7:8080 2024-03-05 00:00:07 200',
      '2024-03-05 00:00:08 10.0.0.8 200',
      '#Fields: sc-status c-ip date time',
      '404 10.0.0.9 2024-03-05 00:00:09',
      '"302" 10.0.0.10 2024-03-05 00:00:10',
      '007 10.0.0.11 2024-03-05 00:00:11',
      '- 10.0.0.12 2024-03-05 00:00:12',
      '',
    ].join('\r\n');
    const bytes = new TextEncoder().encode(text);
    for (const chunkSize of [1 << 20, 61, 7]) expectSameIndexWithoutWindows(w3c, bytes, chunkSize);
    const { index } = ingest(w3c, bytes);
    const addresses = Array.from({ length: index.count }, (_, i) => index.valueOf('srcIp', i));
    expect(addresses).toEqual([
      null,
      '10.0.0.1',
      '01.0.0.1',
      '10.0.0.3',
      '10.0.0.4',
      null,
      '10.0.0.5',
      '::1',
      '10.0.0.7',
      '2024-03-05',
      null,
      '10.0.0.9',
      '10.0.0.10',
      '10.0.0.11',
      '10.0.0.12',
    ]);
    const codes = Array.from({ length: index.count }, (_, i) => index.valueOf('code', i));
    expect(codes).toEqual([
      ...[null, '200', '200', '200', null],
      ...[null, '200', '200', '200', '200'],
      ...[null, '404', '302', '007', null],
    ]);
  });

  it('gives the bench file the same index, tags and certificate hosts included', () => {
    const path = join(dir, 'bench.log');
    const stats = writeElff(path, 2_000_000, 7);
    const bytes = new Uint8Array(readFileSync(path));
    expectSameIndexWithoutWindows(w3c, bytes, 1 << 18);
    // Not vacuous: the file has tagged records and certificate hosts to compare.
    const { index } = ingest(w3c, bytes);
    expect(index.count).toBeGreaterThanOrEqual(stats.records);
    let tagged = 0;
    let certHosts = 0;
    for (let i = 0; i < index.count; i++) {
      if (index.tagsOf(i) !== 0) tagged++;
      if (index.valueOf('certHost', i) !== null) certHosts++;
    }
    expect(tagged).toBeGreaterThan(100);
    expect(certHosts).toBeGreaterThan(100);
  });
});
