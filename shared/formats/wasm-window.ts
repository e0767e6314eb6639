/**
 * WebAssembly modules that read a window of the file's bytes in their own memory (the W3C value
 * split, the Apache field scan): compiling one from the bytes a generated module carries, and
 * copying each window the framer announces into the module's memory, after its first 4096 bytes
 * (the module's own) and followed by 32 zero bytes, so that a module may load 32 bytes at any
 * position before the window's end. A module's positions are window positions: memory address
 * minus {@link WINDOW_AT}.
 *
 * Such a module also finds line ends for the framer: scanning a line in line mode, it stops at
 * the line's LF and leaves the LF and the record's end in its memory, so the framer's search for
 * line ends and the scan of the record are one call, and the record is not scanned again. The
 * framer then reads the records from the copy in the memory too: the module has just read each
 * line there, so the line is in the cache (in a worker's profile of an ELFF load, the first read
 * of each line of the host's window was half of the framer's own time).
 */
import type { ByteSearch, WindowCopy } from './types';

const LF = 10;

/** Where the window starts in a module's memory. */
export const WINDOW_AT = 4096;
/** Zeros after the window: a 32-byte load at its last byte stays inside the memory. */
const SLACK = 32;
const PAGE_BYTES = 65536;

/** The part of the WebAssembly API used here (shared/ is compiled without DOM or Node types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
}

/** What every windowed module exports. */
export interface WindowExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
}

/**
 * The module whose bytes `hex` holds, compiled on first use and then kept: null where WebAssembly
 * (or its SIMD) is missing, or compiling is forbidden (a page whose Content-Security-Policy says
 * so). Callers fall back to their JavaScript.
 */
export function compiledOnce(hex: string): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
      const bytes = new Uint8Array(hex.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
      try {
        compiled = api === undefined ? null : new api.Module(bytes);
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/**
 * The exports of a fresh instance of `module` (from {@link compiledOnce}), or null where there is
 * none. The caller states their shape: it knows its module.
 */
export function instantiate(module: object | null): WindowExports | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (module === null || api === undefined) return null;
  return new api.Instance(module).exports as WindowExports;
}

/** One instance's memory, the window it holds, and the line its module scanned last. */
export class WasmWindow {
  /** The window's copy in the memory, or null when none is (not loaded yet, or no memory for it). */
  private window: Uint8Array | null = null;
  /** The LF (-1: none) and record end the module left for the line it scanned last. */
  private line = new Int32Array(2);
  /** That line's start (-1: none, or its results are gone) and its record's end. */
  private lineStart = -1;
  private lineEnd = 0;
  /** The framer's search for line ends in the window: the module scans each line as it goes. */
  private readonly lineSearch: ByteSearch = {
    indexOf: (byte, from) => (byte === LF ? this.lineFrom(from) : this.bytes.indexOf(byte, from)),
  };

  /**
   * `lineAt`: where the module leaves a line's LF and record end. `scanLine(from, end)` has the
   * module scan the line from `from` in line mode, `end` being the window's end, and keeps what
   * else the caller needs of it. `viewMemory` makes the caller's views of the memory: at first,
   * and after every growth.
   */
  constructor(
    private readonly exports: WindowExports,
    private readonly lineAt: number,
    private readonly scanLine: (from: number, end: number) => void,
    private readonly viewMemory: (buffer: ArrayBuffer) => void,
  ) {
    this.view(exports.memory.buffer);
  }

  /**
   * Copies `window` into the memory, growing it if need be, and returns the copy, with the search
   * for its line ends, for the framer to read. Undefined when the memory cannot grow (the caller
   * then works on the window in JavaScript, and line ends are the host's to find): nothing is
   * held. The copy's bytes are the next window's once `load` is called again.
   */
  load(window: Uint8Array): WindowCopy | undefined {
    const memory = this.exports.memory;
    const needed = WINDOW_AT + window.length + SLACK;
    this.window = null;
    this.lineStart = -1;
    if (memory.buffer.byteLength < needed) {
      try {
        memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
      } catch {
        return undefined;
      }
      // Growing detaches the old buffer and every view of it.
      this.view(memory.buffer);
    }
    const bytes = new Uint8Array(memory.buffer);
    bytes.set(window, WINDOW_AT);
    bytes.fill(0, WINDOW_AT + window.length, needed);
    const copy = bytes.subarray(WINDOW_AT, WINDOW_AT + window.length);
    this.window = copy;
    return { bytes: copy, lines: this.lineSearch };
  }

  /** Whether [start, end) is the line the module scanned last: its results are in the memory. */
  isLastLine(start: number, end: number): boolean {
    return start === this.lineStart && end === this.lineEnd;
  }

  /** The module is about to scan something else: the last line's results will be gone. */
  forgetLine(): void {
    this.lineStart = -1;
  }

  /** Whether `buf` is the copy of the window last loaded: its records can be read by the module. */
  holds(buf: Uint8Array): boolean {
    return buf === this.window;
  }

  /** The copy of the window the memory holds (throws when none is: call after a successful load). */
  get bytes(): Uint8Array {
    if (this.window === null) throw new Error('no window is loaded');
    return this.window;
  }

  /** The window's first LF at or after `from` (-1: none), found by the module's scan of the line. */
  private lineFrom(from: number): number {
    this.scanLine(from, this.bytes.length);
    const line = this.line;
    this.lineStart = from;
    this.lineEnd = line[1]!;
    return line[0]!;
  }

  private view(buffer: ArrayBuffer): void {
    this.line = new Int32Array(buffer, this.lineAt, 2);
    this.viewMemory(buffer);
  }
}
