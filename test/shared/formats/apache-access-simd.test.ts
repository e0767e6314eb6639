/**
 * Apache access records are scanned by two scanners that must agree exactly: `scan`, in
 * JavaScript, and the WebAssembly one (apache-access.wat) that the index path uses where
 * WebAssembly runs. Checked boundary by boundary on random records, random lines walked as the
 * framer walks them and every corpus line, and index by index on whole files. (That the generated
 * module is what its source compiles to is checked with the W3C module's, in w3c-values.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../shared/formats/apache-access';
import {
  SimdAccessScan,
  apacheAccess,
  emptyScan,
  scan,
} from '../../../shared/formats/apache-access';
import { parseIpv4Bytes } from '../../../shared/index/ip-bytes';
import { wordsOf } from '../../../shared/text/words';
import { writeApache } from '../../bench/generate-apache';
import { CORPUS, ingest } from '../../helpers/ingest';
import { expectDeclinedWithoutMemory, expectSameIndexWithoutWindows } from '../../helpers/windowed';

const SLOTS = 13;
const encoder = new TextEncoder();

function simd(): SimdAccessScan {
  const scanner = SimdAccessScan.create();
  // Node runs WebAssembly with SIMD: were it missing here, every comparison below would be empty.
  expect(scanner).not.toBeNull();
  return scanner!;
}

/** What a scan found: every field that is set, and the result's fields that hold for the record. */
function found(at: Int32Array, result: ScanResult) {
  const slots: (readonly [number, number] | null)[] = [];
  for (let k = 0; k < SLOTS; k++) slots.push(at[2 * k]! < 0 ? null : [at[2 * k]!, at[2 * k + 1]!]);
  return {
    layout: result.layout,
    unclosedAgent: result.unclosedAgent,
    requestSpaces: result.requestSpaces,
    // Kept from an earlier record until the request has that many spaces (as `scan` leaves them).
    firstSpace: result.requestSpaces >= 1 ? result.firstSpace : null,
    secondSpace: result.requestSpaces >= 2 ? result.secondSpace : null,
    slots,
  };
}

/** Both scanners on window[start, end) of the window `scanner` holds: the same boundaries. */
function expectSame(scanner: SimdAccessScan, window: Uint8Array, start: number, end: number): void {
  const at = new Int32Array(2 * SLOTS).fill(7);
  const jsResult = emptyScan();
  scan(window, wordsOf(window), start, end, at, jsResult);
  // The record and a little of what surrounds it (a corpus file is one window).
  const around = window.subarray(Math.max(0, start - 8), end + 8);
  const where = `[${start}, ${end}) in ${JSON.stringify(new TextDecoder().decode(around))}`;
  const result = emptyScan();
  if (!scanner.scan(start, end, result)) {
    // Left to `scan`: only ssl_request_log's lines, which start with '['.
    expect(window[start], where).toBe(0x5b);
    return;
  }
  expect(found(scanner.slots, result), where).toEqual(found(at, jsResult));
  // The host, read as an address as the index reads it from its bytes.
  const host = at[2]! >= 0 ? parseIpv4Bytes(window, at[2]!, at[3]!) : -1;
  expect(scanner.hostIpv4, `address of ${where}`).toBe(host);
}

/** Bytes that matter to the scan (spaces, quotes, brackets, digits, line ends) and some that do not. */
const byte = fc.constantFrom(
  0x20,
  0x20,
  0x22,
  0x22,
  0x5b,
  0x5d,
  0x0a,
  0x0d,
  0x30,
  0x34,
  0x61,
  0x00,
  0xff,
);

/** Pieces of access log lines, whole and broken. */
const piece = fc.constantFrom(
  '10.1.2.3',
  '255.255.255.255',
  '0.0.0.0',
  '01.2.3.4',
  'gw.example.com:443',
  ' ',
  '-',
  '[',
  ']',
  '[05/Mar/2024:08:00:05 +0000]',
  '[5/Mar/2024:8:0:5 +0000]',
  '"',
  '" ',
  '" 200 ',
  '" 404',
  '"GET / HTTP/1.1"',
  '"GET /a "b" c HTTP/1.0"',
  ' 200 ',
  ' 99 ',
  '1234',
  '"-"',
  '" "',
  '"Mozilla/5.0 (X11; Linux x86_64) a user agent long enough to cross a block or two"',
  '\r\n',
  '\n',
  '\r',
  'x',
);

const LONG = 'y'.repeat(70);

/** Whole lines, each part well formed or not, so that every later part of the scan is reached. */
const line = fc
  .record({
    vhost: fc.constantFrom('', 'gw.example.com:443 ', 'a b '),
    host: fc.constantFrom(
      '10.1.2.3',
      '-',
      '::1',
      '',
      '255.255.255.255',
      '0.0.0.0',
      '200.100.0.9',
      '256.1.1.1',
      '1.2.3.400',
      '01.2.3.4',
      '1.02.3.4',
      '1.2.3',
      '1.2.3.4.5',
      '1.2.3.4a',
      '1234.1.1.1',
      '1..2.3',
      'host.example',
    ),
    user: fc.constantFrom('- -', '- alice', 'x', '- - -'),
    time: fc.constantFrom(
      '[05/Mar/2024:08:00:05 +0000]',
      '[05/Mar/2024:08:00:05]',
      '[bad',
      '[05/Mar/2024:08:00:05 +0000',
    ),
    gap: fc.constantFrom(' "', '"', ' '),
    request: fc.constantFrom(
      'GET / HTTP/1.1',
      `GET /${LONG}?q="${LONG}" HTTP/1.1`,
      'GET /a HTTP/1.1 extra',
      'GET',
      '',
      'GET / " 20',
    ),
    status: fc.constantFrom('" 200 ', '" 404', '" 2000 ', '" 20x ', '"'),
    bytes: fc.constantFrom('1234', '-', '', '12 34'),
    referer: fc.constantFrom(' "-"', ' "http://a/"', ' "x', '', ' -', ' "a" "b'),
    agent: fc.constantFrom(` "Mozilla/5.0 ${LONG}"`, ' "-"', ' "open', '', ' "a "quoted" agent"'),
    rest: fc.constantFrom('', ' 1532', ' "x"', '  '),
    end: fc.constantFrom('\n', '\r\n', '', '\n\n'),
  })
  .map(
    (p) =>
      `${p.vhost}${p.host} ${p.user} ${p.time}${p.gap}${p.request}${p.status}${p.bytes}${p.referer}${p.agent}${p.rest}${p.end}`,
  );

const windowBytes = fc.oneof(
  fc.array(byte, { maxLength: 300 }).map((bytes) => Uint8Array.from(bytes)),
  fc.array(piece, { maxLength: 40 }).map((pieces) => encoder.encode(pieces.join(''))),
  fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => encoder.encode(lines.join(''))),
);

/** Walks `window` as the framer does (the module's line search), comparing every line. */
function walkLines(scanner: SimdAccessScan, window: Uint8Array): number {
  const search = scanner.load(window)!.lines;
  let lines = 0;
  for (let pos = 0; pos <= window.length;) {
    const lf = search.indexOf(10, pos);
    expect(lf, `LF from ${pos}`).toBe(window.indexOf(10, pos));
    let end = lf < 0 ? window.length : lf;
    if (end > pos && window[end - 1] === 13) end--;
    expectSame(scanner, window, pos, end);
    // A record cut short of its line (the framer caps long ones) is scanned anew, to its end.
    if (end > pos) expectSame(scanner, window, pos, end - 1);
    lines++;
    if (lf < 0) break;
    pos = lf + 1;
  }
  return lines;
}

describe('SimdAccessScan', () => {
  it('finds the boundaries scan finds, on any record within any window', () => {
    const scanner = simd();
    fc.assert(
      fc.property(windowBytes, fc.nat(), fc.nat(), (window, a, b) => {
        scanner.load(window);
        // Any range, with bytes of the window on both sides of it.
        const start = a % (window.length + 1);
        const end = start + (b % (window.length - start + 1));
        expectSame(scanner, window, start, end);
      }),
      { numRuns: 5000 },
    );
  });

  it('finds line ends as indexOf does, and scans each line as scan scans it', () => {
    const scanner = simd();
    fc.assert(
      fc.property(windowBytes, (window) => {
        walkLines(scanner, window);
      }),
      { numRuns: 3000 },
    );
  });

  it('scans every line of the access log corpus as scan does', () => {
    const scanner = simd();
    let lines = 0;
    for (const name of [
      'elastic-examples_apache_logs_combined.log',
      'plaso_apache_access_mixed.log',
      'beats_apache_ssl_request.log',
    ])
      lines += walkLines(scanner, new Uint8Array(readFileSync(join(CORPUS, 'apache', name))));
    expect(lines).toBeGreaterThan(10_000);
  });

  it('scans long requests and user agents across many blocks', () => {
    const scanner = simd();
    for (const length of [15, 16, 17, 31, 32, 33, 1000, 5000]) {
      const long = 'a'.repeat(length);
      const text = [
        `10.0.0.1 - - [05/Mar/2024:08:00:05 +0000] "GET /${long} HTTP/1.1" 200 5 "-" "${long}"`,
        `10.0.0.1 - - [05/Mar/2024:08:00:05 +0000] "GET /${long} HTTP/1.1" 200 5 "${long}" "open ${long}`,
        `${long} - - [05/Mar/2024:08:00:05 +0000] "${long}" 200 5 "${long}"`,
      ].join('\n');
      expect(walkLines(scanner, encoder.encode(text))).toBe(3);
    }
  });

  it('scans each line once: the framer takes the scan its line search made, CRLF lines too', () => {
    const scanner = simd();
    // The module's exports are frozen: the scanner gets a counting stand-in for them.
    type Exports = { memory: unknown; scan(...args: number[]): number };
    const held = scanner as unknown as { wasm: Exports };
    const exports = held.wasm;
    let calls = 0;
    held.wasm = {
      memory: exports.memory,
      scan: (...args) => {
        calls++;
        return exports.scan(...args);
      },
    };
    const text = '10.0.0.1 - - [05/Mar/2024:08:00:05 +0000] "GET / HTTP/1.1" 200 5 "-" "agent"';
    const window = encoder.encode(`${text}\r\n${text}\n${text}\r\n${text}`);
    const search = scanner.load(window)!.lines;
    for (let pos = 0, lf = 0; lf >= 0; pos = lf + 1) {
      lf = search.indexOf(10, pos);
      const end = pos + text.length;
      const result = emptyScan();
      expect(scanner.scan(pos, end, result)).toBe(true);
      expect(result.layout).toBe(1);
    }
    expect(calls).toBe(4);
  });

  it('declines a window it finds no memory for, and then holds no window at all', () => {
    expectDeclinedWithoutMemory(simd());
  });
});

describe('the apache-access index with and without SIMD', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsieve-apache-simd-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every access log of the corpus the same index, in any chunking', () => {
    for (const name of [
      'elastic-examples_apache_logs_combined.log',
      'plaso_apache_access_mixed.log',
      'beats_apache_ssl_request.log',
    ]) {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, 'apache', name)));
      for (const chunkSize of [1 << 20, 997, 64])
        expectSameIndexWithoutWindows(apacheAccess, bytes, chunkSize);
    }
  });

  it('gives the bench file the same index, tags included', async () => {
    const path = join(dir, 'bench.log');
    await writeApache(path, 2_000_000, 7);
    const bytes = new Uint8Array(readFileSync(path));
    expectSameIndexWithoutWindows(apacheAccess, bytes, 1 << 18);
    // Not vacuous: the file has tagged records to compare.
    const { index } = ingest(apacheAccess, bytes);
    let tagged = 0;
    for (let i = 0; i < index.count; i++) if (index.tagsOf(i) !== 0) tagged++;
    expect(tagged).toBeGreaterThan(100);
  });
});
