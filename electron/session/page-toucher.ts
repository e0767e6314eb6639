/**
 * Faults in the pages of a worker's fresh index columns from this thread, ahead of the worker's
 * writes. A first write to a fresh page costs the writing thread a page fault (about 15 µs on the
 * virtual machines we measure: more than indexing the hundred-odd records whose columns fit on
 * the page), and the worker is the bottleneck of a load while this thread mostly waits on reads.
 * Pages are faulted in by an atomic "or 0": a write access, so the page is mapped writable, which
 * never changes a value the worker has already written.
 */

/** Each round moves every buffer on by this fraction of its length: columns fill in step. */
const ROUNDS = 512;
const PAGE_BYTES = 4096;
/** Yield to other work (IPC, reads) at least this often. */
const SLICE_MS = 8;

interface Pending {
  readonly words: Int32Array<SharedArrayBuffer>;
  /** Words per round, a whole number of pages. */
  readonly step: number;
  next: number;
  readonly wanted: () => boolean;
}

export class PageToucher {
  private readonly pending: Pending[] = [];
  private scheduled: ReturnType<typeof setImmediate> | null = null;

  /** Fault the first `bytes` of `buffer` in, in the background, for as long as `wanted()` holds. */
  add(buffer: SharedArrayBuffer, bytes: number, wanted: () => boolean): void {
    const words = new Int32Array(buffer, 0, Math.min(bytes, buffer.byteLength) >>> 2);
    const pageWords = PAGE_BYTES / 4;
    const step = Math.max(pageWords, Math.ceil(words.length / ROUNDS / pageWords) * pageWords);
    this.pending.push({ words, step, next: 0, wanted });
    this.schedule();
  }

  /** Stop and let go of every buffer (the session is closing). */
  clear(): void {
    this.pending.length = 0;
    if (this.scheduled !== null) clearImmediate(this.scheduled);
    this.scheduled = null;
  }

  /** Buffers not yet faulted in completely (for tests). */
  get backlog(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.scheduled === null && this.pending.length > 0)
      this.scheduled = setImmediate(() => this.run());
  }

  private run(): void {
    this.scheduled = null;
    const until = performance.now() + SLICE_MS;
    const pageWords = PAGE_BYTES / 4;
    while (this.pending.length > 0 && performance.now() < until) {
      for (let i = this.pending.length - 1; i >= 0; i--) {
        const p = this.pending[i]!;
        const end = Math.min(p.words.length, p.next + p.step);
        if (p.wanted()) for (let w = p.next; w < end; w += pageWords) Atomics.or(p.words, w, 0);
        p.next = end;
        if (end >= p.words.length || !p.wanted()) this.pending.splice(i, 1);
      }
    }
    this.schedule();
  }
}
