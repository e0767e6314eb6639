/**
 * Splits a W3C entry into its values: the boundaries, and how each is written. Two tokenizers
 * that must agree exactly (a property test compares them): `tokenize`, in JavaScript, which runs
 * everywhere and splits any entry, and {@link SimdTokenizer}, the same rules in WebAssembly with
 * SIMD (w3c-values.wat), which the index path uses where WebAssembly runs: the split was two
 * fifths of ELFF ingest, and reading 32 bytes at a time, with no branch per byte, takes it to
 * under two fifths of the JavaScript's time.
 */
import { WordView, quoteFrom, separatorFrom } from '../text/words';
import { WASM_HEX } from './w3c-values.wasm';
import type { WindowCopy } from './types';
import type { WindowExports } from './wasm-window';
import { WasmWindow, compiledOnce, instantiate } from './wasm-window';

const SPACE = 32;
const QUOTE = 34;

/** How a value is written (bits). */
export const Kind = {
  Plain: 0,
  /** Written in double quotes; the range excludes them. */
  Quoted: 1,
  /** Quoted and holding `""`: the range must be un-doubled to give the value. */
  Escaped: 2,
  /** Quoted with no closing quote: the value runs to the end of the record. */
  Unclosed: 4,
} as const;

/** Boundaries of one entry's values; positions are kept only below the tokenizer's `limit`. */
export class Values {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  kinds = new Uint8Array(64);
  count = 0;
  unclosed = false;
  /** Kind of the quoted value {@link closingQuote} last closed. */
  quotedKind = 0;
  /** Four-byte views of the buffer being tokenized. */
  readonly words = new WordView();

  grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const kinds = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    kinds.set(this.kinds);
    this.starts = starts;
    this.ends = ends;
    this.kinds = kinds;
  }
}

/**
 * The closing quote of the quoted value opened at `open`: the first `"` followed by a separator
 * or the end, `""` being an escaped quote. Returns its position (`end` when there is none) and
 * leaves the value's {@link Kind} in `v.quotedKind`.
 */
function closingQuote(
  buf: Uint8Array,
  words: DataView,
  open: number,
  end: number,
  v: Values,
): number {
  let kind: number = Kind.Quoted;
  let j = open + 1;
  for (;;) {
    const q = quoteFrom(buf, words, j, end);
    if (q >= end) {
      v.quotedKind = kind | Kind.Unclosed;
      return end;
    }
    const next = q + 1 < end ? buf[q + 1]! : SPACE;
    if (next <= SPACE) {
      v.quotedKind = kind;
      return q;
    }
    if (next === QUOTE) {
      kind = Kind.Escaped;
      j = q + 2;
    } else j = q + 1;
  }
}

/**
 * Splits [start, end) into values separated by runs of spaces, tabs (or any byte below 0x21). A
 * value starting with `"` is quoted: it ends at a `"` followed by a separator or the end, `""`
 * inside is a quote, and any other `"` is kept as written (ProxySG does not document its escaping:
 * UNVERIFIED). Positions of values at index >= `limit` are not stored, only counted, so the index
 * path does not pay for values it never reads.
 */
export function tokenize(
  buf: Uint8Array,
  start: number,
  end: number,
  limit: number,
  v: Values,
): void {
  let starts = v.starts;
  let ends = v.ends;
  let kinds = v.kinds;
  const words = v.words.words(buf);
  // Word reads past the buffer would throw where byte reads give undefined: stay inside it.
  if (end > buf.length) end = buf.length;
  let n = 0;
  let i = start;
  v.unclosed = false;
  if (limit <= 0) {
    v.count = countValues(buf, words, i, end, v);
    return;
  }
  // The hot loop of ELFF ingest. Any byte up to 0x20 separates values (W3C entries contain no
  // control characters).
  while (i < end) {
    const c = buf[i]!;
    if (c <= SPACE) {
      i++;
      continue;
    }
    if (n === starts.length) {
      v.grow();
      starts = v.starts;
      ends = v.ends;
      kinds = v.kinds;
    }
    if (c === QUOTE) {
      const close = closingQuote(buf, words, i, end, v);
      const kind = v.quotedKind;
      if ((kind & Kind.Unclosed) !== 0) v.unclosed = true;
      starts[n] = i + 1;
      ends[n] = close;
      kinds[n] = kind;
      // Past the quote and the separator (or the end) after it.
      i = close + 2;
    } else {
      starts[n] = i;
      i = separatorFrom(buf, words, i + 1, end);
      ends[n] = i;
      kinds[n] = Kind.Plain;
      // Past the separator (or the end): usually the next value starts right after it.
      i++;
    }
    n++;
    if (n === limit) {
      v.count = n + countValues(buf, words, i, end, v);
      return;
    }
  }
  v.count = n;
}

/**
 * The values after the last one the index reads are only counted (a mismatch must still be
 * seen): the same rules as {@link tokenize}, without storing anything.
 */
function countValues(buf: Uint8Array, words: DataView, i: number, end: number, v: Values): number {
  let n = 0;
  while (i < end) {
    const c = buf[i]!;
    if (c <= SPACE) {
      i++;
      continue;
    }
    if (c === QUOTE) {
      const close = closingQuote(buf, words, i, end, v);
      if ((v.quotedKind & Kind.Unclosed) !== 0) v.unclosed = true;
      i = close + 2;
    } else i = separatorFrom(buf, words, i + 1, end) + 1;
    n++;
  }
  return n;
}

// ---- SIMD ---------------------------------------------------------------------------------------

/** Values whose positions a SIMD pass keeps; an entry needing more goes to `tokenize`. */
export const SIMD_MAX_VALUES = 256;
/** Where w3c-values.wat keeps things in its memory. */
const STARTS_AT = 0;
const ENDS_AT = 1024;
const KINDS_AT = 2048;
/** Where a line's split leaves the line's LF (-1: none) and its entry's end (see the .wat). */
const LINE_AT = 3072;
/**
 * Where it leaves the client's address and whether the value was one (see `clientIpv4`), then
 * the status and whether it was a number (see `statusNumber`).
 */
const READ_AT = 3080;

interface TokenizerExports extends WindowExports {
  tokenize(start: number, end: number, line: number, ip: number, status: number): number;
}

const tokenizerModule = compiledOnce(WASM_HEX);

/**
 * The WebAssembly tokenizer for one file's index path. The framer announces each window of bytes
 * ({@link load}), which is copied into the module's memory once; entries of that window are then
 * split there, and their values read through {@link values}, whose arrays view that memory.
 */
export class SimdTokenizer {
  /** The last entry's values. Their positions are the window's, like `tokenize`'s. */
  readonly values = new Values();
  /**
   * The number of the value that holds the client's address in the entries to come (-1: none
   * known). The split reads that value as an IPv4 address while it has its bytes at hand.
   */
  clientAt = -1;
  /** The same for the status, read as a decimal number. */
  statusAt = -1;
  /** The count and flag of the line the line search last split. */
  private lineCount = 0;
  private lineUnclosed = false;
  /** The `clientAt` and `statusAt` of the last split. */
  private splitClientAt = -1;
  private splitStatusAt = -1;
  /** What the split read: the address and 1 if it was one, the status and 1 if it was one. */
  private read = new Int32Array(4);
  private readonly memory: WasmWindow;

  private constructor(private readonly wasm: TokenizerExports) {
    this.memory = new WasmWindow(
      wasm,
      LINE_AT,
      (from, end) => {
        const packed = this.split(from, end, 1);
        this.lineCount = packed >>> 1;
        this.lineUnclosed = (packed & 1) !== 0;
      },
      (buffer) => {
        this.values.starts = new Int32Array(buffer, STARTS_AT, SIMD_MAX_VALUES);
        this.values.ends = new Int32Array(buffer, ENDS_AT, SIMD_MAX_VALUES);
        this.values.kinds = new Uint8Array(buffer, KINDS_AT, SIMD_MAX_VALUES);
        this.read = new Int32Array(buffer, READ_AT, 4);
      },
    );
  }

  /** A tokenizer, or null where WebAssembly cannot run it (the caller uses `tokenize`). */
  static create(): SimdTokenizer | null {
    const wasm = instantiate(tokenizerModule()) as TokenizerExports | null;
    return wasm === null ? null : new SimdTokenizer(wasm);
  }

  /**
   * Entries will come from `window` until the next call; its bytes do not change meanwhile.
   * Returns its copy, for the framer to read, with the search for its line ends: that search
   * splits each line as it finds its end, so that finding line ends costs no pass of its own.
   * Undefined when the memory has no room for the window: its entries go to `tokenize`, line
   * ends to the host.
   */
  load(window: Uint8Array): WindowCopy | undefined {
    return this.memory.load(window);
  }

  /** Whether entries of `buf` can be split here: it is the copy of the window last loaded. */
  holds(buf: Uint8Array): boolean {
    return this.memory.holds(buf);
  }

  /**
   * As `tokenize(window, start, end, limit, …)` for any `limit` up to {@link SIMD_MAX_VALUES}:
   * the values' positions are stored up to that many. The entry the line search last split is
   * not split again.
   */
  tokenize(start: number, end: number): Values {
    const v = this.values;
    if (this.memory.isLastLine(start, end)) {
      v.count = this.lineCount;
      v.unclosed = this.lineUnclosed;
      return v;
    }
    const window = this.memory.bytes;
    if (end > window.length) end = window.length;
    this.memory.forgetLine();
    const packed = this.split(start, end, 0);
    v.count = packed >>> 1;
    v.unclosed = (packed & 1) !== 0;
    return v;
  }

  /**
   * The address the last entry split holds as its value number `slot`, as `parseIpv4Bytes` reads
   * that value's bytes; -1 when the value is not an unquoted dotted quad, or the split was not
   * asked to read that value.
   */
  clientIpv4(slot: number): number {
    const read = this.read;
    return slot === this.splitClientAt && read[1] !== 0 ? read[0]! >>> 0 : -1;
  }

  /**
   * The status the last entry split holds as its value number `slot`, when it is a plain number
   * as `isPlainNumber` reads one (1 to 9 digits, no leading zero); -1 otherwise, or when the
   * split was not asked to read that value.
   */
  statusNumber(slot: number): number {
    const read = this.read;
    return slot === this.splitStatusAt && read[3] !== 0 ? read[2]! : -1;
  }

  private split(start: number, end: number, line: number): number {
    this.splitClientAt = this.clientAt;
    this.splitStatusAt = this.statusAt;
    return this.wasm.tokenize(start, end, line, this.clientAt, this.statusAt);
  }
}
