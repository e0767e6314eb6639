import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Framing, TextFormat } from '../../../shared/formats/types';
import { RecordFlag, unparsedRecord } from '../../../shared/record';
import { ingest } from '../../helpers/ingest';

/** A format that keeps every record whole, so framing is all that is tested. */
function echoFormat(framing: Framing, continues?: (line: string) => boolean): TextFormat {
  const decoder = new TextDecoder();
  return {
    kind: 'text',
    id: 'plain',
    messageKind: 'text',
    title: 'echo',
    description: '',
    filePatterns: [],
    columns: [],
    framing,
    detect: () => 0,
    samples: [],
    createIndexer: () => ({
      ...(continues
        ? {
            continues: (buf: Uint8Array, s: number, e: number) =>
              continues(decoder.decode(buf.subarray(s, e))),
          }
        : {}),
      index: () => undefined,
    }),
    parse: (text) => unparsedRecord(text, 0),
  };
}

const lines = echoFormat({ kind: 'lines' });
const indented = echoFormat({ kind: 'lines' }, (line) => line.startsWith(' '));
const events = echoFormat({ kind: 'marker', marker: '<Event>' });

function raws(format: TextFormat, text: string | Uint8Array, chunkSize?: number): string[] {
  return ingest(format, text, chunkSize === undefined ? {} : { chunkSize }).records.map(
    (r) => r.raw,
  );
}

/** Text of short lines, blank lines, continuation lines and stray CRs. */
const linesArb = fc
  .array(fc.constantFrom('a', 'bb', ' cont', '', '\r', 'xyz '), { maxLength: 30 })
  .map((parts) => parts.join('\n'));

describe('line framing', () => {
  it('makes one record per non-blank line, whatever the line ends', () => {
    expect(raws(lines, 'a\r\nb\n\n  \nc\r\n\r\nd')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('numbers records by their first line and keeps exact offsets', () => {
    const { index, records } = ingest(lines, '\nfirst\r\n\nsecond\nthird');
    expect(records.map((r) => [r.line, r.offset])).toEqual([
      [2, 1],
      [4, 9],
      [5, 16],
    ]);
    expect(index.endOffset).toBe(21);
  });

  it('handles an empty file and a file of blank lines', () => {
    expect(raws(lines, '')).toEqual([]);
    expect(raws(lines, '\n\r\n \n')).toEqual([]);
  });

  it('is independent of chunk boundaries', () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 1, max: 17 }), (text, chunk) => {
        expect(raws(indented, text, chunk)).toEqual(raws(indented, text));
        expect(raws(lines, text, chunk)).toEqual(raws(lines, text));
      }),
    );
  });

  it('finds line ends with the search the host gives it', () => {
    // A search that counts its calls and skips nothing: the framer must use it for every line.
    let calls = 0;
    const counting = (window: Uint8Array) => ({
      indexOf(byte: number, from: number): number {
        calls++;
        for (let i = from; i < window.length; i++) if (window[i] === byte) return i;
        return -1;
      },
    });
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 1, max: 17 }), (text, chunk) => {
        for (const format of [lines, indented]) {
          const own = ingest(format, text, { chunkSize: chunk, searchIn: counting });
          expect(own.records).toEqual(ingest(format, text, { chunkSize: chunk }).records);
        }
      }),
    );
    expect(calls).toBeGreaterThan(0);
  });

  it("reads each window from the copy an indexer makes of it, with the copy's line search", () => {
    // An indexer that copies every window, as the WebAssembly ones do, and notes what `index`
    // gets: the framer must read records from the copy and find line ends with its search.
    const decoder = new TextDecoder();
    const copying = (continues: boolean, withCopy: boolean) => {
      const seen: string[] = [];
      let copy = new Uint8Array(0);
      let fromCopy = 0;
      let searches = 0;
      const format: TextFormat = {
        ...(continues ? indented : lines),
        createIndexer: () => ({
          ...(continues ? { continues: (buf: Uint8Array, s: number) => buf[s] === 0x20 } : {}),
          window(window: Uint8Array) {
            if (!withCopy) return undefined;
            copy = window.slice();
            const bytes = copy;
            return {
              bytes,
              lines: {
                indexOf(byte: number, from: number): number {
                  searches++;
                  return bytes.indexOf(byte, from);
                },
              },
            };
          },
          index(buf: Uint8Array, start: number, end: number) {
            if (buf === copy) fromCopy++;
            seen.push(decoder.decode(buf.subarray(start, end)));
          },
        }),
      };
      return { format, seen, counts: () => ({ fromCopy, searches }) };
    };
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 1, max: 17 }), (text, chunk) => {
        for (const continues of [false, true]) {
          const run = copying(continues, true);
          const { records } = ingest(run.format, text, { chunkSize: chunk });
          const plain = copying(continues, false);
          expect(ingest(plain.format, text, { chunkSize: chunk }).records).toEqual(records);
          expect(run.seen).toEqual(plain.seen);
          // Single lines come straight from the copy; a record glued across windows may not.
          if (!continues) expect(run.counts().fromCopy).toBe(records.length);
          if (records.length > 0) expect(run.counts().searches).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('glues continuation lines, and blank lines inside them, onto the record above', () => {
    const { records } = ingest(indented, 'one\n two\n\n three\nfour\n five\n');
    expect(records.map((r) => r.raw)).toEqual(['one\n two\n\n three', 'four\n five']);
    expect(records.map((r) => [r.line, r.lastLine])).toEqual([
      [1, 4],
      [5, 6],
    ]);
  });

  it('cuts a record longer than the limit and flags the pieces', () => {
    const long = 'x'.repeat(100);
    const { index, records } = ingest(lines, `short\n${long}\nafter\n`, {
      chunkSize: 16,
      maxRecordBytes: 40,
    });
    expect(records[0]!.raw).toBe('short');
    expect(records.at(-1)!.raw).toBe('after');
    const pieces = records.slice(1, -1);
    expect(pieces.map((r) => r.raw).join('')).toBe(long);
    for (let i = 1; i < records.length - 1; i++)
      expect(index.flagsOf(i) & RecordFlag.Oversized).not.toBe(0);
    expect(index.flagsOf(records.length - 1)).toBe(0);
  });
});

describe('marker framing', () => {
  it('starts a record at every marker, keeps the preamble as a header record', () => {
    const text =
      '<?xml version="1.0"?>\n<Events>\n<Event>a</Event>\n<Event>b\n</Event><Event>c</Event>\n</Events>';
    const { index, records } = ingest(events, text);
    expect(records.map((r) => r.raw)).toEqual([
      '<?xml version="1.0"?>\n<Events>',
      '<Event>a</Event>',
      '<Event>b\n</Event>',
      '<Event>c</Event>\n</Events>',
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 3, 4, 5]);
    expect(index.flagsOf(0) & RecordFlag.Directive).not.toBe(0);
  });

  it('is independent of chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('<Event>', 'x', '\n', '<Ev', 'ent>', ' '), { maxLength: 30 }),
        fc.integer({ min: 1, max: 9 }),
        (parts, chunk) => {
          const text = parts.join('');
          expect(raws(events, text, chunk)).toEqual(raws(events, text));
        },
      ),
    );
  });
});

describe('encodings', () => {
  function utf16(text: string, bom: boolean, bigEndian = false): Uint8Array {
    const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
    let at = 0;
    if (bom) {
      out[at++] = bigEndian ? 0xfe : 0xff;
      out[at++] = bigEndian ? 0xff : 0xfe;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out[at++] = bigEndian ? c >> 8 : c & 0xff;
      out[at++] = bigEndian ? c & 0xff : c >> 8;
    }
    return out;
  }

  it('reads UTF-16LE and UTF-16BE with a BOM, with file offsets of the original bytes', () => {
    const text = 'Köln 1\r\n\r\n☃ zwei\r\ndrei';
    for (const bigEndian of [false, true]) {
      for (const chunk of [1, 3, 7, 1000]) {
        const { records } = ingest(lines, utf16(text, true, bigEndian), { chunkSize: chunk });
        expect(records.map((r) => r.raw)).toEqual(['Köln 1', '☃ zwei', 'drei']);
        expect(records.map((r) => r.offset)).toEqual([2, 2 + 2 * 10, 2 + 2 * 18]);
      }
    }
  });

  it('reads UTF-16 markers in the middle of a line at their exact offsets', () => {
    const { records } = ingest(events, utf16('ä<Event>1<Event>2', true), { chunkSize: 5 });
    expect(records.map((r) => [r.raw, r.offset])).toEqual([
      ['ä', 2],
      ['<Event>1', 4],
      ['<Event>2', 20],
    ]);
  });

  it('skips a UTF-8 byte order mark and keeps invalid bytes visible', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xff, 0x62, 0x0a, 0x63]);
    const { records } = ingest(lines, bytes);
    expect(records.map((r) => [r.raw, r.offset, r.invalidUtf8])).toEqual([
      ['a\ufffdb', 3, true],
      ['c', 7, false],
    ]);
  });
});

describe('marker framing with a follower rule', () => {
  // `<Event` starts a record only before whitespace, `>` or `/`: `<Events>` and `<EventData>` do not.
  const xmlEvents = echoFormat({ kind: 'marker', marker: '<Event', followedBy: ' \t\r\n>/' });

  it('cuts at <Event followed by an allowed byte only', () => {
    const text =
      '<?xml version="1.0"?><Events><Event xmlns="x"><EventData>a</EventData></Event>' +
      '<Event>b</Event><Event\n>c</Event><Event/></Events>';
    expect(raws(xmlEvents, text)).toEqual([
      '<?xml version="1.0"?><Events>',
      '<Event xmlns="x"><EventData>a</EventData></Event>',
      '<Event>b</Event>',
      '<Event\n>c</Event>',
      '<Event/></Events>',
    ]);
  });

  it('does not count a marker at the very end of the file', () => {
    expect(raws(xmlEvents, '<Events><Event>a</Event><Event')).toEqual([
      '<Events>',
      '<Event>a</Event><Event',
    ]);
  });

  it('waits for the follower byte when the marker ends a chunk', () => {
    const text = '<Events><Event>a</Event><Event>b</Event><EventX><Event>c';
    for (let chunk = 1; chunk <= text.length; chunk++)
      expect(raws(xmlEvents, text, chunk), `chunk ${chunk}`).toEqual([
        '<Events>',
        '<Event>a</Event>',
        '<Event>b</Event><EventX>',
        '<Event>c',
      ]);
  });

  it('is independent of chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('<Event', '>', 's>', 'Data>', ' ', '\n', '/', 'x', '<Ev', 'ent'), {
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 9 }),
        (parts, chunk) => {
          const text = parts.join('');
          expect(raws(xmlEvents, text, chunk)).toEqual(raws(xmlEvents, text));
        },
      ),
    );
  });
});
