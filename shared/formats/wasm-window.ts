/**
 * WebAssembly modules that read a window of the file's bytes in their own memory (the W3C value
 * split, the Apache field scan): compiling one from the bytes a generated module carries, and
 * copying each window the framer announces into the module's memory, after its first 4096 bytes
 * (the module's own) and followed by 32 zero bytes, so that a module may load 32 bytes at any
 * position before the window's end. A module's positions are window positions: memory address
 * minus {@link WINDOW_AT}.
 */

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

/** One instance's memory and the window it holds. */
export class WasmWindow {
  /** The window in the memory, or null when none is (not loaded yet, or no memory for it). */
  private window: Uint8Array | null = null;

  /** `viewMemory` makes the caller's views of the memory: at first, and after every growth. */
  constructor(
    private readonly exports: WindowExports,
    private readonly viewMemory: (buffer: ArrayBuffer) => void,
  ) {
    viewMemory(exports.memory.buffer);
  }

  /**
   * Copies `window` into the memory, growing it if need be. False when the memory cannot grow
   * (the caller then works on the window in JavaScript): nothing is held.
   */
  load(window: Uint8Array): boolean {
    const memory = this.exports.memory;
    const needed = WINDOW_AT + window.length + SLACK;
    this.window = null;
    if (memory.buffer.byteLength < needed) {
      try {
        memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
      } catch {
        return false;
      }
      // Growing detaches the old buffer and every view of it.
      this.viewMemory(memory.buffer);
    }
    const bytes = new Uint8Array(memory.buffer);
    bytes.set(window, WINDOW_AT);
    bytes.fill(0, WINDOW_AT + window.length, needed);
    this.window = window;
    return true;
  }

  /** The window last loaded, if it is `buf`: records of `buf` can be read in the memory. */
  holds(buf: Uint8Array): boolean {
    return buf === this.window;
  }

  /** The window the memory holds (throws when none is: call after a successful load). */
  get bytes(): Uint8Array {
    if (this.window === null) throw new Error('no window is loaded');
    return this.window;
  }
}
