/**
 * Record bitsets: bit `r` of word `r >>> 5` stands for record `r`. One bit per record keeps a
 * rule's matches at 625 KB for 5 M records, and lets rules be combined 32 records at a time.
 */

/** Words needed for `records` bits. */
export function wordsFor(records: number): number {
  return (records + 31) >>> 5;
}

/** A bitset with room for at least `records` bits, keeping the bits of `bits` (grown by doubling). */
export function ensureBits(
  bits: Uint32Array<ArrayBuffer>,
  records: number,
): Uint32Array<ArrayBuffer> {
  const words = wordsFor(records);
  if (words <= bits.length) return bits;
  const next = new Uint32Array(Math.max(words, bits.length * 2, 32));
  next.set(bits);
  return next;
}

export function hasBit(bits: Uint32Array, record: number): boolean {
  return ((bits[record >>> 5]! >>> (record & 31)) & 1) === 1;
}

export function setBit(bits: Uint32Array, record: number): void {
  bits[record >>> 5]! |= 1 << (record & 31);
}

/** Number of set bits of a 32-bit word (SWAR: no table, no loop). */
export function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Mask of the bits of word `word` that stand for records in `[from, to)`. */
export function rangeMask(word: number, from: number, to: number): number {
  const base = word << 5;
  const lo = from > base ? from - base : 0;
  const hi = to < base + 32 ? to - base : 32;
  if (hi <= lo) return 0;
  const upper = hi === 32 ? 0xffffffff : (1 << hi) - 1;
  return (upper & ~((1 << lo) - 1)) >>> 0;
}

/** Set bits in `[from, to)`. */
export function countBits(bits: Uint32Array, from: number, to: number): number {
  if (to <= from) return 0;
  const first = from >>> 5;
  const last = (to - 1) >>> 5;
  let n = 0;
  for (let w = first; w <= last; w++) {
    const word = w === first || w === last ? bits[w]! & rangeMask(w, from, to) : bits[w]!;
    if (word !== 0) n += popcount(word);
  }
  return n;
}

/** Clears the bits in `[from, to)`. */
export function clearBits(bits: Uint32Array, from: number, to: number): void {
  if (to <= from) return;
  const first = from >>> 5;
  const last = (to - 1) >>> 5;
  for (let w = first; w <= last; w++)
    bits[w] = w === first || w === last ? bits[w]! & ~rangeMask(w, from, to) : 0;
}

/**
 * A list of record indexes that grows by doubling (a selection built while a file loads). `view`
 * is the filled part, without a copy.
 */
export class RecordList {
  private items: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.items = new Uint32Array(Math.max(16, capacity));
  }

  push(record: number): void {
    if (this.length === this.items.length) this.grow(this.length + 1);
    this.items[this.length++] = record;
  }

  /** Makes room for `more` pushes, so hot loops can write through {@link raw} without checks. */
  reserve(more: number): Uint32Array {
    if (this.length + more > this.items.length) this.grow(this.length + more);
    return this.items;
  }

  /** The backing array (valid until the next push or reserve); items past `length` are garbage. */
  raw(): Uint32Array {
    return this.items;
  }

  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  view(): Uint32Array {
    return this.items.subarray(0, this.length);
  }

  private grow(needed: number): void {
    const next = new Uint32Array(Math.max(needed, this.items.length * 2));
    next.set(this.items.subarray(0, this.length));
    this.items = next;
  }
}

/**
 * Appends to `out` the records in `[from, to)` whose bit in `bits` equals `want` (1: set bits,
 * 0: clear bits), in increasing order. Whole words of wanted records are written without
 * looking at single bits.
 */
export function appendRecords(
  bits: Uint32Array,
  want: 0 | 1,
  from: number,
  to: number,
  out: RecordList,
): void {
  if (to <= from) return;
  const first = from >>> 5;
  const last = (to - 1) >>> 5;
  const items = out.reserve(to - from);
  let n = out.length;
  for (let w = first; w <= last; w++) {
    const mask = rangeMask(w, from, to);
    let word = (want === 1 ? bits[w]! : ~bits[w]!) & mask;
    if (word === 0) continue;
    const base = w << 5;
    if (word === -1) {
      for (let i = 0; i < 32; i++) items[n++] = base + i;
      continue;
    }
    while (word !== 0) {
      const low = word & -word;
      items[n++] = base + 31 - Math.clz32(low);
      word ^= low;
    }
  }
  out.length = n;
}
