/**
 * Find: text or a regular expression over the raw records, run by the worker over the file's
 * bytes as it reads them back in chunks. The index maps a byte offset to the record holding it
 * (binary search on record offsets), so no record is cut out or decoded on its own:
 *
 * - Plain text in a UTF-8 file is searched in the bytes (Boyer-Moore-Horspool, ASCII case folding
 *   for case-insensitive search), with no string at all. A hit skips the rest of its record.
 * - A regular expression (and text that cannot be searched as bytes: case-insensitive non-ASCII
 *   text, UTF-16 files) decodes each chunk once and tests each record's slice of that string.
 *   Record starts are mapped to string positions exactly, invalid UTF-8 included.
 *
 * What a record's text is, for search: its bytes from its offset to the next record's, decoded
 * (UTF-8 or the file's UTF-16) without dropping a byte-order mark, minus the line terminators
 * (CR, LF) at its end. A match never spans two records.
 */
import type { TextEncoding } from '../formats/types';
import type { LogIndex } from '../index/log-index';
import { lastAtOrBefore } from '../index/order';
import { err, ok, userError, type Result } from '../result';
import { RecordList, setBit } from './bits';

export interface SearchQuery {
  readonly pattern: string;
  /** A JavaScript regular expression (with the `u` flag), else plain text. */
  readonly regex: boolean;
  /**
   * Case-insensitive text matches as a JavaScript regex with the `i` flag and without `u`
   * (ASCII letters fold; other letters fold when their upper case is not ASCII); a regex gets
   * `iu`.
   */
  readonly caseSensitive: boolean;
}

/** A query checked and compiled once; `test` decides one text (records of binary formats). */
export interface CompiledSearch {
  readonly query: SearchQuery;
  test(text: string): boolean;
  /**
   * The same pattern with the `g` flag, for scanning many records' text at once; null when the
   * pattern looks at what surrounds a match (anchors, word boundaries, lookbehind, negative
   * lookahead), whose answer could differ between a record alone and the records together.
   */
  readonly scanner: RegExp | null;
}

/** Constructs whose result depends on text outside the match (`[^` is a character class). */
const CONTEXT_SENSITIVE = /\\[bB]|\$|\^|\(\?<?!|\(\?<=/;

function scannerFor(source: string, flags: string): RegExp | null {
  return CONTEXT_SENSITIVE.test(source.replaceAll('[^', '['))
    ? null
    : new RegExp(source, flags + 'g');
}

const MAX_PATTERN_LENGTH = 10_000;

/** Checks and compiles a query; an empty pattern or a bad regex is the user's error, said plainly. */
export function compileSearch(query: SearchQuery): Result<CompiledSearch> {
  if (query.pattern === '') return err(userError('search.empty', 'Type something to search for.'));
  if (query.pattern.length > MAX_PATTERN_LENGTH)
    return err(
      userError(
        'search.too-long',
        `The search is ${query.pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed.`,
      ),
    );
  if (!query.regex) {
    if (query.caseSensitive) {
      const needle = query.pattern;
      return ok({
        query,
        test: (text) => text.includes(needle),
        scanner: scannerFor(escapeRegExp(needle), ''),
      });
    }
    const regex = new RegExp(escapeRegExp(query.pattern), 'i');
    return ok({ query, test: (text) => regex.test(text), scanner: scannerFor(regex.source, 'i') });
  }
  let regex: RegExp;
  try {
    regex = new RegExp(query.pattern, query.caseSensitive ? 'u' : 'iu');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return err(
      userError(
        'search.invalid-regex',
        `Not a valid regular expression: ${message.replace(/^.*: /, '')}.`,
        {
          hint: 'Regular expressions are JavaScript’s (with the u flag). To find the text as written, switch regular expressions off.',
        },
      ),
    );
  }
  return ok({
    query,
    test: (text) => regex.test(text),
    scanner: scannerFor(regex.source, regex.flags),
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

export interface SearchProgress {
  /** Bytes of the searched range received so far. */
  readonly bytesScanned: number;
  readonly bytesTotal: number;
  readonly matches: number;
}

export interface SearchRange {
  /** First record to search (default 0). */
  readonly from?: number;
  /** End of the records to search, exclusive (default: every record the index has now). */
  readonly to?: number;
}

const LF = 10;
const CR = 13;

/**
 * One search over one file: give it the file's bytes in order (`push`), from {@link byteStart}
 * to {@link byteEnd}, in chunks of any size; matching records accumulate in {@link matches}.
 * Stop pushing to cancel. Text formats only: records of binary formats have no text in the
 * file, and are tested one by one with `CompiledSearch.test` on their rendering.
 */
export class SearchRun {
  /** Where to start and stop reading the file. */
  readonly byteStart: number;
  readonly byteEnd: number;
  private readonly first: number;
  private readonly end: number;
  /** The next record not decided yet. */
  private next: number;
  /** Bytes of record `next` onwards received but not decided (a record cut by a chunk's end). */
  private carry = new Uint8Array(0);
  private carryLength = 0;
  private carryOffset = 0;
  private received: number;
  private readonly found = new RecordList();
  private readonly bytes: ByteSearch | null;
  private readonly decoder: InstanceType<typeof TextDecoder>;
  private readonly utf8: boolean;

  constructor(
    private readonly search: CompiledSearch,
    private readonly index: LogIndex,
    encoding: TextEncoding,
    range: SearchRange = {},
  ) {
    this.first = Math.max(0, range.from ?? 0);
    this.end = Math.min(index.count, range.to ?? index.count);
    this.next = this.first;
    this.byteStart = this.first < this.end ? index.offsetOf(this.first) : 0;
    this.byteEnd =
      this.first >= this.end
        ? 0
        : this.end < index.count
          ? index.offsetOf(this.end)
          : index.endOffset;
    this.received = this.byteStart;
    this.utf8 = encoding === 'utf-8';
    this.decoder = new TextDecoder(encoding, { ignoreBOM: true });
    this.bytes = this.utf8 ? ByteSearch.of(search.query) : null;
  }

  /** True once every record of the range is decided. */
  get done(): boolean {
    return this.next >= this.end;
  }

  /** Matching records so far, in increasing order (a view: copy it to keep it). */
  matches(): Uint32Array {
    return this.found.view();
  }

  progress(): SearchProgress {
    return {
      bytesScanned: Math.max(0, Math.min(this.received, this.byteEnd) - this.byteStart),
      bytesTotal: this.byteEnd - this.byteStart,
      matches: this.found.length,
    };
  }

  /**
   * The file's bytes at `fileOffset`, continuing where the previous chunk ended (the first chunk
   * may start anywhere up to `byteStart`). Returns how many matches the chunk added.
   */
  push(chunk: Uint8Array, fileOffset: number): number {
    if (this.done) return 0;
    if (fileOffset + chunk.length <= this.received) return 0;
    if (fileOffset > this.received)
      throw new Error(`search: chunk at ${fileOffset} leaves a gap after ${this.received}`);
    // Skip what was already received (the first chunk may start before the range).
    const skip = this.received - fileOffset;
    const bytes = skip > 0 ? chunk.subarray(skip) : chunk;
    const offset = fileOffset + skip;
    const before = this.found.length;
    this.received = offset + bytes.length;
    let at = offset;
    if (this.carryLength > 0) {
      // Finish the record the last chunk cut, from a small buffer of its own.
      const recordEnd = this.recordEnd(this.next);
      const take = Math.min(recordEnd, this.received) - offset;
      this.appendCarry(bytes.subarray(0, take));
      if (recordEnd > this.received) return 0;
      this.scan(this.carry, this.carryOffset, this.next, this.next + 1);
      this.next++;
      this.carryLength = 0;
      at = recordEnd;
    }
    if (this.next >= this.end) return this.found.length - before;
    // The records wholly inside the rest of the chunk are searched where they are.
    const firstRecord = this.next;
    const lastComplete = this.lastRecordEndingBy(this.received);
    if (lastComplete >= firstRecord) {
      this.scan(bytes, offset, firstRecord, lastComplete + 1);
      this.next = lastComplete + 1;
    }
    if (this.next < this.end) {
      const start = this.index.offsetOf(this.next);
      if (start < this.received) {
        this.carryLength = 0;
        this.carryOffset = start;
        this.appendCarry(bytes.subarray(Math.max(start, at) - offset));
      }
    }
    return this.found.length - before;
  }

  /** Offset just past record `record`'s last byte (the range's end fixed when the run began). */
  private recordEnd(record: number): number {
    if (record === this.end - 1 && this.end > this.first) return this.byteEnd;
    return record + 1 < this.index.count ? this.index.offsetOf(record + 1) : this.index.endOffset;
  }

  /** The last record of the range that ends at or before `offset`, or `next - 1` if none does. */
  private lastRecordEndingBy(offset: number): number {
    return lastAtOrBefore(this.next, this.end, offset, (r) => this.recordEnd(r));
  }

  /** The record of `[from, to)` holding byte `offset` (they cover it). */
  private recordAt(offset: number, from: number, to: number): number {
    let lo = from;
    let hi = to - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.index.offsetOf(mid) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private appendCarry(bytes: Uint8Array): void {
    const needed = this.carryLength + bytes.length;
    if (needed > this.carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.carry.length * 2, 4096));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(bytes, this.carryLength);
    this.carryLength = needed;
  }

  /** Decides records `[from, to)`, whose bytes are all in `buf` (`buf[0]` is at `bufOffset`). */
  private scan(buf: Uint8Array, bufOffset: number, from: number, to: number): void {
    if (this.bytes !== null) this.scanBytes(this.bytes, buf, bufOffset, from, to);
    else this.scanText(buf, bufOffset, from, to);
  }

  private scanBytes(
    search: ByteSearch,
    buf: Uint8Array,
    bufOffset: number,
    from: number,
    to: number,
  ): void {
    const regionEnd = this.recordEnd(to - 1) - bufOffset;
    let at = this.index.offsetOf(from) - bufOffset;
    let low = from;
    search.startScan();
    while (at < regionEnd) {
      const hit = search.indexIn(buf, at, regionEnd);
      if (hit < 0) return;
      const record = this.recordAt(bufOffset + hit, low, to);
      const recordEnd = this.recordEnd(record) - bufOffset;
      let textEnd = recordEnd;
      while (textEnd > hit && (buf[textEnd - 1] === LF || buf[textEnd - 1] === CR)) textEnd--;
      if (hit + search.length <= recordEnd) {
        this.found.push(record);
        at = recordEnd;
        low = record + 1;
      } else {
        // The hit runs into the line terminators or the next record: look further.
        at = hit + 1;
        low = record;
      }
    }
  }

  private scanText(buf: Uint8Array, bufOffset: number, from: number, to: number): void {
    const regionStart = this.index.offsetOf(from) - bufOffset;
    const regionEnd = this.recordEnd(to - 1) - bufOffset;
    const text = this.decoder.decode(buf.subarray(regionStart, regionEnd));
    // Usually (ASCII, UTF-16) a byte offset maps to a string position by arithmetic.
    const unitBytes = this.utf8 ? 1 : 2;
    if (text.length * unitBytes === regionEnd - regionStart || !this.utf8) {
      const scanner = this.search.scanner;
      if (scanner !== null) {
        this.scanAll(
          scanner,
          text,
          (r) => (this.index.offsetOf(r) - bufOffset - regionStart) / unitBytes,
          (r) => (this.recordEnd(r) - bufOffset - regionStart) / unitBytes,
          from,
          to,
        );
        return;
      }
      for (let r = from; r < to; r++) {
        const s = (this.index.offsetOf(r) - bufOffset - regionStart) / unitBytes;
        const e = (this.recordEnd(r) - bufOffset - regionStart) / unitBytes;
        this.testSlice(text, Math.floor(s), Math.ceil(e), r);
      }
      return;
    }
    this.scanMultibyte(buf, bufOffset, from, to);
  }

  /**
   * UTF-8 with multi-byte or invalid sequences: string positions of record starts are counted
   * the way the decoder produces code units. Records are decoded together while the decoder
   * would be between characters at each record start (always, unless a record was cut inside a
   * character); a record start inside a sequence begins a new decode.
   */
  private scanMultibyte(buf: Uint8Array, bufOffset: number, from: number, to: number): void {
    let runFrom = from;
    while (runFrom < to) {
      const counter = new Utf8Counter();
      const starts: number[] = [0];
      let units = 0;
      let r = runFrom;
      while (r < to) {
        units += counter.count(
          buf,
          this.index.offsetOf(r) - bufOffset,
          this.recordEnd(r) - bufOffset,
        );
        r++;
        // The record ended inside a character: the next one is decoded on its own.
        if (!counter.between()) break;
        starts.push(units);
      }
      starts[r - runFrom] = units + counter.flush();
      const runStart = this.index.offsetOf(runFrom) - bufOffset;
      const runEnd = this.recordEnd(r - 1) - bufOffset;
      const text = this.decoder.decode(buf.subarray(runStart, runEnd));
      for (let k = runFrom; k < r; k++)
        this.testSlice(text, starts[k - runFrom]!, starts[k - runFrom + 1]!, k);
      runFrom = r;
    }
  }

  /**
   * Scans records `[from, to)` of `text` with one global regex instead of one test per record.
   * The leftmost match names the first record that can match; a match inside its record's text
   * decides it (the scanner looks at nothing around the match), one that runs past it is decided
   * on the record alone. Then the scan goes on at the next record.
   */
  private scanAll(
    scanner: RegExp,
    text: string,
    startOf: (record: number) => number,
    endOf: (record: number) => number,
    from: number,
    to: number,
  ): void {
    let low = from;
    scanner.lastIndex = Math.floor(startOf(from));
    while (low < to) {
      const m = scanner.exec(text);
      if (m === null) return;
      // The record holding the match's start.
      let lo = low;
      let hi = to - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (startOf(mid) <= m.index) lo = mid;
        else hi = mid - 1;
      }
      const record = lo;
      const start = Math.floor(startOf(record));
      let end = Math.ceil(endOf(record));
      while (end > start) {
        const c = text.charCodeAt(end - 1);
        if (c !== LF && c !== CR) break;
        end--;
      }
      if (m.index + m[0].length <= end || this.search.test(text.slice(start, end)))
        this.found.push(record);
      low = record + 1;
      if (low >= to) return;
      scanner.lastIndex = Math.floor(startOf(low));
    }
  }

  private testSlice(text: string, start: number, end: number, record: number): void {
    let e = end;
    while (e > start) {
      const c = text.charCodeAt(e - 1);
      if (c !== LF && c !== CR) break;
      e--;
    }
    if (this.search.test(text.slice(start, e))) this.found.push(record);
  }
}

/**
 * Counts the UTF-16 code units the WHATWG UTF-8 decoder (TextDecoder, not fatal) produces:
 * one per ASCII byte, one per 2- or 3-byte sequence, two per 4-byte sequence, and one U+FFFD
 * per maximal invalid subpart (the byte that broke a sequence is then read again).
 */
export class Utf8Counter {
  private needed = 0;
  private seen = 0;
  private lower = 0x80;
  private upper = 0xbf;

  /** True when the decoder would be between characters. */
  between(): boolean {
    return this.needed === 0;
  }

  count(buf: Uint8Array, start: number, end: number): number {
    let units = 0;
    let needed = this.needed;
    let seen = this.seen;
    let lower = this.lower;
    let upper = this.upper;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (needed === 0) {
        if (b < 0x80) units++;
        else if (b >= 0xc2 && b <= 0xdf) needed = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          needed = 2;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          needed = 3;
        } else units++;
        continue;
      }
      if (b < lower || b > upper) {
        // The sequence is broken: U+FFFD, and this byte starts over.
        units++;
        needed = 0;
        seen = 0;
        lower = 0x80;
        upper = 0xbf;
        i--;
        continue;
      }
      lower = 0x80;
      upper = 0xbf;
      seen++;
      if (seen === needed) {
        units += needed === 3 ? 2 : 1;
        needed = 0;
        seen = 0;
      }
    }
    this.needed = needed;
    this.seen = seen;
    this.lower = lower;
    this.upper = upper;
    return units;
  }

  /** The input ends: an unfinished sequence is one U+FFFD. */
  flush(): number {
    const units = this.needed === 0 ? 0 : 1;
    this.needed = 0;
    this.seen = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
    return units;
  }
}

/** Plain text as bytes: Boyer-Moore-Horspool with an optional ASCII case fold. */
class ByteSearch {
  readonly length: number;
  private readonly fold: Uint8Array | null;

  private constructor(
    private readonly needle: Uint8Array,
    ignoreCase: boolean,
  ) {
    const m = needle.length;
    this.length = m;
    this.fold = null;
    if (ignoreCase) {
      const fold = new Uint8Array(256);
      for (let c = 0; c < 256; c++) fold[c] = c >= 65 && c <= 90 ? c + 32 : c;
      this.fold = fold;
    }
  }

  /**
   * The byte search for a query, or null when bytes cannot decide it exactly: regexes,
   * case-insensitive text with non-ASCII letters (they fold in UTF-16, not in bytes), and text
   * holding U+FFFD or lone surrogates (which invalid bytes decode to).
   */
  static of(query: SearchQuery): ByteSearch | null {
    if (query.regex) return null;
    const pattern = query.pattern;
    if (/[\uFFFD\uD800-\uDFFF]/.test(pattern)) return null;
    if (query.caseSensitive) return new ByteSearch(new TextEncoder().encode(pattern), false);
    // eslint-disable-next-line no-control-regex -- the test is "only ASCII", control codes included
    if (!/^[\x00-\x7f]*$/.test(pattern)) return null;
    return new ByteSearch(new TextEncoder().encode(pattern.toLowerCase()), true);
  }

  /**
   * The needle byte to look for first (its position in the needle and its one or two byte
   * values), chosen on the first haystack: the one rarest there. The engine's own byte search
   * (`indexOf`) runs at memory speed; the rest of the needle is compared only where it lands.
   */
  private anchor: { at: number; a: number; b: number } | null = null;

  private chooseAnchor(
    hay: Uint8Array,
    from: number,
    to: number,
  ): { at: number; a: number; b: number } {
    const counts = new Uint32Array(256);
    const end = Math.min(to, from + 65536);
    for (let i = from; i < end; i++) counts[hay[i]!]!++;
    let best = { at: 0, a: this.needle[0]!, b: this.needle[0]!, n: Infinity };
    for (let j = 0; j < this.length; j++) {
      const a = this.needle[j]!;
      // Folded needles are lower case: the upper-case letter is found too.
      const b = this.fold !== null && a >= 97 && a <= 122 ? a - 32 : a;
      const n = counts[a]! + (b === a ? 0 : counts[b]!);
      if (n < best.n) best = { at: j, a, b, n };
    }
    return { at: best.at, a: best.a, b: best.b };
  }

  /**
   * Where each anchor byte occurs next in the haystack of the current scan, and from where that was searched:
   * a byte absent from a chunk is looked for once per chunk, not once per call (calls come
   * record by record, and `indexOf` reads to the end of the haystack).
   */
  private readonly found = [-1, -1];
  private readonly searchedFrom = [Infinity, Infinity];

  /** A new haystack (or the same buffer refilled): forget where the anchors were. */
  startScan(): void {
    this.searchedFrom[0] = this.searchedFrom[1] = Infinity;
  }

  private next(hay: Uint8Array, slot: 0 | 1, byte: number, from: number): number {
    const found = this.found[slot]!;
    if (this.searchedFrom[slot]! <= from && (found < 0 || found >= from)) return found;
    const at = hay.indexOf(byte, from);
    this.found[slot] = at;
    this.searchedFrom[slot] = from;
    return at;
  }

  /** First position in `[from, to)` where the needle starts and ends within it, or -1. */
  indexIn(hay: Uint8Array, from: number, to: number): number {
    const m = this.length;
    if (m === 0 || from + m > to) return -1;
    this.anchor ??= this.chooseAnchor(hay, from, to);
    const { at, a, b } = this.anchor;
    const needle = this.needle;
    const fold = this.fold;
    let nextA = this.next(hay, 0, a, from + at);
    let nextB = b === a ? -1 : this.next(hay, 1, b, from + at);
    for (;;) {
      let p: number;
      if (nextA < 0 && nextB < 0) return -1;
      if (nextB < 0 || (nextA >= 0 && nextA < nextB)) p = nextA;
      else p = nextB;
      const start = p - at;
      if (start + m > to) return -1;
      let j = 0;
      if (fold === null) while (j < m && hay[start + j] === needle[j]) j++;
      else while (j < m && fold[hay[start + j]!] === needle[j]) j++;
      if (j === m) return start;
      if (p === nextA) nextA = this.next(hay, 0, a, p + 1);
      else nextB = this.next(hay, 1, b, p + 1);
    }
  }
}

/**
 * Runs a search over chunks (an async or sync iterable of `{ bytes, offset }` from
 * `run.byteStart`), checking `isCancelled` between chunks and reporting progress at most every
 * `progressMs`. Returns the matches, or null when cancelled.
 */
export async function runSearch(
  run: SearchRun,
  chunks:
    | AsyncIterable<{ bytes: Uint8Array; offset: number }>
    | Iterable<{ bytes: Uint8Array; offset: number }>,
  options: {
    readonly isCancelled?: () => boolean;
    readonly onProgress?: (progress: SearchProgress) => void;
    readonly progressMs?: number;
  } = {},
): Promise<Uint32Array | null> {
  let reported = 0;
  for await (const { bytes, offset } of chunks) {
    if (options.isCancelled?.() === true) return null;
    run.push(bytes, offset);
    const now = Date.now();
    if (options.onProgress !== undefined && now - reported >= (options.progressMs ?? 100)) {
      reported = now;
      options.onProgress(run.progress());
    }
    if (run.done) break;
  }
  if (options.isCancelled?.() === true) return null;
  options.onProgress?.(run.progress());
  return run.matches().slice();
}

/** Matches as a bitset over records, for "is this row a match?" and next/previous. */
export function matchBits(matches: Uint32Array, records: number): Uint32Array {
  const bits = new Uint32Array((records + 31) >>> 5);
  for (const r of matches) if (r < records) setBit(bits, r);
  return bits;
}

/**
 * The row of the next (`direction` 1) or previous (-1) match after `fromRow`, wrapping around
 * the ends when `wrap` (back to `fromRow` itself at most); -1 when no row matches. `rows` gives
 * each row's record (the view's order and filters); null means every record in file order.
 * `fromRow` -1 (no current row) finds the first match going forward and the last going back.
 */
export function nextMatchRow(
  bits: Uint32Array,
  rows: Uint32Array | null,
  total: number,
  fromRow: number,
  direction: 1 | -1,
  wrap = true,
): number {
  const isMatch = (row: number): boolean => {
    const record = rows === null ? row : rows[row]!;
    return ((bits[record >>> 5]! >>> (record & 31)) & 1) === 1;
  };
  const start = fromRow >= 0 && fromRow < total ? fromRow : direction === 1 ? -1 : total;
  for (let row = start + direction; row >= 0 && row < total; row += direction)
    if (isMatch(row)) return row;
  if (!wrap || start < 0 || start >= total) return -1;
  if (direction === 1) {
    for (let row = 0; row <= start; row++) if (isMatch(row)) return row;
  } else {
    for (let row = total - 1; row >= start; row--) if (isMatch(row)) return row;
  }
  return -1;
}
