/**
 * Interns the values of one column (addresses, hosts, codes) so the index stores a small id per
 * record instead of a string. Values usually arrive as UTF-8 byte ranges of the buffer being
 * indexed; a hash table over the bytes finds known values without making a string, and a string
 * is made only the first time a value is seen. Id 0 means "no value".
 */
import type { DictId } from '../ids';

const EMPTY = 0;
const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

function fnv1a(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= buf[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Dictionary {
  /** values[id] is the string of id; values[0] is unused. */
  private readonly values: string[] = [''];
  private readonly byString = new Map<string, number>();
  private readonly byNumber = new Map<number, number>();
  // Byte-keyed open-addressing table: slot -> key number + 1 (0 = empty). Keys are kept apart from
  // ids because two byte strings can decode to one value (invalid UTF-8 becomes U+FFFD).
  private table = new Int32Array(1024);
  private keyId = new Uint32Array(64);
  private hashes = new Uint32Array(64);
  private keyStart = new Uint32Array(64);
  private keyLength = new Uint32Array(64);
  private pool = new Uint8Array(4096);
  private poolUsed = 0;
  private keys = 0;

  /** Number of distinct values (ids run from 1 to size). */
  get size(): number {
    return this.values.length - 1;
  }

  value(id: number): string | null {
    return id === EMPTY ? null : (this.values[id] ?? null);
  }

  /** All values, index = id (index 0 is an unused placeholder). */
  allValues(): readonly string[] {
    return this.values;
  }

  internBytes(buf: Uint8Array, start: number, end: number): DictId {
    if (end <= start) return EMPTY as DictId;
    const length = end - start;
    const hash = fnv1a(buf, start, end);
    const mask = this.table.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === EMPTY) break;
      const key = entry - 1;
      if (
        this.hashes[key] === hash &&
        this.keyLength[key] === length &&
        this.sameBytes(key, buf, start, length)
      )
        return this.keyId[key]! as DictId;
      slot = (slot + 1) & mask;
    }
    const text = decoder.decode(buf.subarray(start, end));
    let id = this.byString.get(text);
    if (id === undefined) id = this.add(text);
    this.storeBytes(id, hash, buf, start, length, slot);
    return id as DictId;
  }

  internText(text: string): DictId {
    if (text.length === 0) return EMPTY as DictId;
    const known = this.byString.get(text);
    if (known !== undefined) return known as DictId;
    const id = this.add(text);
    // Make the byte path find it too, so both paths always agree on ids.
    const bytes = encoder.encode(text);
    const hash = fnv1a(bytes, 0, bytes.length);
    const mask = this.table.length - 1;
    let slot = hash & mask;
    while (this.table[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.storeBytes(id, hash, bytes, 0, bytes.length, slot);
    return id as DictId;
  }

  /** Integer values (HTTP status, event id) keyed by number; shares ids with the text forms. */
  internNumber(value: number): DictId {
    const known = this.byNumber.get(value);
    if (known !== undefined) return known as DictId;
    const id = this.internText(String(value));
    this.byNumber.set(value, id);
    return id;
  }

  /** Id of a value if it is known, else 0 (for queries: "which id is 172.16.1.5?"). */
  lookup(text: string): DictId {
    return (this.byString.get(text) ?? EMPTY) as DictId;
  }

  /** Bytes held by this dictionary's own structures (an estimate of the JS strings included). */
  memoryBytes(): number {
    let strings = 0;
    for (const v of this.values) strings += 16 + v.length * 2;
    return (
      this.table.byteLength +
      this.keyId.byteLength +
      this.hashes.byteLength +
      this.keyStart.byteLength +
      this.keyLength.byteLength +
      this.pool.byteLength +
      strings +
      (this.byString.size + this.byNumber.size) * 40
    );
  }

  private add(text: string): number {
    const id = this.values.length;
    this.values.push(text);
    this.byString.set(text, id);
    return id;
  }

  private sameBytes(key: number, buf: Uint8Array, start: number, length: number): boolean {
    const pool = this.pool;
    const at = this.keyStart[key]!;
    for (let i = 0; i < length; i++) if (pool[at + i] !== buf[start + i]) return false;
    return true;
  }

  private storeBytes(
    id: number,
    hash: number,
    buf: Uint8Array,
    start: number,
    length: number,
    slot: number,
  ): void {
    const key = this.keys;
    if (key >= this.hashes.length) {
      const capacity = this.hashes.length * 2;
      this.keyId = grow(this.keyId, capacity);
      this.hashes = grow(this.hashes, capacity);
      this.keyStart = grow(this.keyStart, capacity);
      this.keyLength = grow(this.keyLength, capacity);
    }
    if (this.poolUsed + length > this.pool.length) {
      const next = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + length));
      next.set(this.pool.subarray(0, this.poolUsed));
      this.pool = next;
    }
    this.pool.set(buf.subarray(start, start + length), this.poolUsed);
    this.keyId[key] = id;
    this.hashes[key] = hash;
    this.keyStart[key] = this.poolUsed;
    this.keyLength[key] = length;
    this.poolUsed += length;
    this.table[slot] = key + 1;
    this.keys++;
    if (this.keys * 2 > this.table.length) this.rehash();
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (const entry of this.table) {
      if (entry === EMPTY) continue;
      let slot = this.hashes[entry - 1]! & mask;
      while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
      table[slot] = entry;
    }
    this.table = table;
  }
}

function grow(array: Uint32Array, capacity: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(capacity);
  next.set(array);
  return next;
}
