/**
 * Interns the values of one column (addresses, hosts, codes) so the index stores a small id per
 * record instead of a string. Values usually arrive as UTF-8 byte ranges of the buffer being
 * indexed, and are found again without making a string: decimal integers and dotted-quad IPv4
 * addresses are kept as numbers in their own hash tables, everything else as bytes in a pool. A
 * value's string is made only when someone asks for it. Whichever way a value arrives (bytes,
 * text, number), it gets the same id. Id 0 means "no value".
 *
 * Cost per distinct value: about 25 bytes plus its bytes, with no JS object per value; and two
 * caches of values' bytes (4 to 16 bytes, 17 to 32) that grow with the dictionary to at most
 * 512 KiB each.
 */
import type { DictId } from '../ids';
import { WordView, sameBytes, wordsOf } from '../text/words';
import { parseIpv4Bytes } from './ip-bytes';

const EMPTY = 0;
const KIND_BYTES = 0;
const KIND_INT = 1;
const KIND_IPV4 = 2;
/** Integers below this are found by value in one step: a status column interns one per record. */
const SMALL_INTS = 1024;
/** Slots of the cache of short values' bytes (see ShortValues): it grows with the dictionary. */
const SHORT_SLOTS_MIN = 256;
const SHORT_SLOTS_MAX = 16384;
/** Slots of the cache of 17-to-32-byte values (64 bytes each, see LongValues). */
const LONG_SLOTS_MAX = 8192;
const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * A hash of every byte of a value, four at a time (the last word overlaps the one before it when
 * the length is not a multiple of four). Hosts and names are 10 to 60 bytes: a byte at a time
 * cost a third of ELFF's dictionary time.
 */
function hashBytes(buf: Uint8Array, words: DataView, start: number, end: number): number {
  const length = end - start;
  let h = Math.imul(length, 0x9e3779b1);
  if (length < 4) {
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x85ebca6b);
  } else {
    for (let i = start; i < end - 4; i += 4)
      h = Math.imul(h ^ words.getInt32(i, true), 0x85ebca6b) ^ (h >>> 15);
    h = Math.imul(h ^ words.getInt32(end - 4, true), 0xc2b2ae35);
  }
  return (h ^ (h >>> 16)) >>> 0;
}

function hashNumber(n: number): number {
  return Math.imul(n ^ (n >>> 16), 0x45d9f3b) >>> 0;
}

/** The value of canonical decimal digits (no sign, no leading zero, below 2^32), or -1. */
function canonicalUint(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length > 10 || (buf[start] === 48 && length > 1)) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value < 4294967296 ? value : -1;
}

function ipv4Text(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * The ids of recently interned values of 4 to 16 bytes (addresses, hosts, numbers), found by
 * their bytes alone: four word reads and five comparisons, where parsing an address and probing
 * its table take several times as long (an address's digits are a mispredicted branch each). A
 * slot holds the words at offsets 0, 4, 8 and length-4, capped at length-4: for those lengths
 * they cover every byte, so equal words and length mean equal bytes. Ids never change, so a slot
 * is never stale: a value missed here takes the first of its place's two slots, and the value
 * that was there moves to the second.
 */
class ShortValues {
  /** Per slot, one cache line's half: length (0: free), the four words, the id, two unused. */
  private readonly table: Int32Array;
  private readonly mask: number;
  private at = 0;
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;

  constructor(readonly slots: number) {
    this.table = new Int32Array(slots * 8);
    this.mask = slots - 1;
  }

  /** The id of the value, or 0 when it is not here; remembers where it would go (for `keep`). */
  find(view: DataView, start: number, length: number): number {
    const last = length - 4;
    const w0 = view.getInt32(start, true);
    const w1 = view.getInt32(start + Math.min(4, last), true);
    const w2 = view.getInt32(start + Math.min(8, last), true);
    const w3 = view.getInt32(start + last, true);
    const h = Math.imul(
      w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2 ^ w3, 0x85ebca6b),
      0xc2b2ae35,
    );
    // Two slots per place, side by side in one cache line: a value that collides with another
    // keeps its own slot, where one slot per place lost a fifth of the lookups to collisions.
    const at = ((h ^ (h >>> 15) ^ length) & this.mask & ~1) * 8;
    this.at = at;
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
    const table = this.table;
    for (let slot = at; slot <= at + 8; slot += 8)
      if (
        table[slot] === length &&
        table[slot + 1] === w0 &&
        table[slot + 2] === w1 &&
        table[slot + 3] === w2 &&
        table[slot + 4] === w3
      )
        return table[slot + 5]!;
    return EMPTY;
  }

  /** The value last looked for has `id`: it goes first, and the first moves to the second slot. */
  keep(length: number, id: number): void {
    const table = this.table;
    const at = this.at;
    table.copyWithin(at + 8, at, at + 6);
    table[at] = length;
    table[at + 1] = this.w0;
    table[at + 2] = this.w1;
    table[at + 3] = this.w2;
    table[at + 4] = this.w3;
    table[at + 5] = id;
  }

  memoryBytes(): number {
    return this.table.byteLength;
  }
}

/**
 * The same for values of 17 to 32 bytes (host and certificate names): a slot is one cache line
 * holding the length, eight words that cover every byte (offsets 0, 4, … 24, each capped at
 * length-4, and length-4) and the id, where the hash table's road reads four arrays and the
 * pool. A value missed here takes its place's slot.
 */
class LongValues {
  private readonly table: Int32Array;
  private readonly mask: number;
  private at = 0;

  constructor(readonly slots: number) {
    this.table = new Int32Array(slots * 16);
    this.mask = slots - 1;
  }

  /** The id of the value, or 0 when it is not here; remembers its slot (for `keep`). */
  find(view: DataView, start: number, length: number): number {
    const last = start + length - 4;
    const w0 = view.getInt32(start, true);
    const w1 = view.getInt32(start + 4, true);
    const w2 = view.getInt32(start + 8, true);
    const w3 = view.getInt32(start + 12, true);
    const w4 = view.getInt32(Math.min(start + 16, last), true);
    const w5 = view.getInt32(Math.min(start + 20, last), true);
    const w6 = view.getInt32(Math.min(start + 24, last), true);
    const w7 = view.getInt32(last, true);
    let h = Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1), 0x85ebca6b) ^ length;
    h = Math.imul(h ^ w2 ^ Math.imul(w3, 0x9e3779b1), 0xc2b2ae35);
    h = Math.imul(h ^ w4 ^ Math.imul(w5, 0x9e3779b1), 0x85ebca6b);
    h = Math.imul(h ^ w6 ^ Math.imul(w7, 0x9e3779b1), 0xc2b2ae35);
    const at = ((h ^ (h >>> 15)) & this.mask) * 16;
    this.at = at;
    const t = this.table;
    if (
      t[at] === length &&
      t[at + 1] === w0 &&
      t[at + 2] === w1 &&
      t[at + 3] === w2 &&
      t[at + 4] === w3 &&
      t[at + 5] === w4 &&
      t[at + 6] === w5 &&
      t[at + 7] === w6 &&
      t[at + 8] === w7
    )
      return t[at + 9]!;
    return EMPTY;
  }

  /**
   * The value last looked for has `id`: it takes the slot `find` looked in. The words are read as
   * `find` reads them, written out in both: a shared helper cost ELFF ingest 5-10 %, and a test
   * fails when the two disagree.
   */
  keep(view: DataView, start: number, length: number, id: number): void {
    const last = start + length - 4;
    const t = this.table;
    const at = this.at;
    t[at] = length;
    t[at + 1] = view.getInt32(start, true);
    t[at + 2] = view.getInt32(start + 4, true);
    t[at + 3] = view.getInt32(start + 8, true);
    t[at + 4] = view.getInt32(start + 12, true);
    t[at + 5] = view.getInt32(Math.min(start + 16, last), true);
    t[at + 6] = view.getInt32(Math.min(start + 20, last), true);
    t[at + 7] = view.getInt32(Math.min(start + 24, last), true);
    t[at + 8] = view.getInt32(last, true);
    t[at + 9] = id;
  }

  memoryBytes(): number {
    return this.table.byteLength;
  }
}

/** Open-addressing slots: slot → id (0 = empty). The dictionary probes them inline (no closures on the hot path). */
class IdTable {
  slots = new Int32Array(64);
  mask = 63;
  used = 0;

  /** Puts `id` at the first free slot from `hash`, growing first if the table is half full. */
  insert(hash: number, id: number, hashOf: (id: number) => number): void {
    if ((this.used + 1) * 2 > this.slots.length) {
      const old = this.slots;
      this.slots = new Int32Array(old.length * 2);
      this.mask = this.slots.length - 1;
      for (const existing of old) if (existing !== EMPTY) this.place(hashOf(existing), existing);
    }
    this.place(hash, id);
    this.used++;
  }

  private place(hash: number, id: number): void {
    let slot = hash & this.mask;
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    this.slots[slot] = id;
  }
}

export class Dictionary {
  private count = 0;
  private kinds = new Uint8Array(64);
  /** Per id: the number (ints, IPv4) or the hash of the bytes (byte keys). */
  private keys = new Uint32Array(64);
  private starts = new Uint32Array(64);
  private lengths = new Uint32Array(64);
  private pool = new Uint8Array(1024);
  private poolWords = wordsOf(this.pool);
  private poolUsed = 0;
  private readonly bytesTable = new IdTable();
  private readonly intTable = new IdTable();
  private readonly ipTable = new IdTable();
  /** Ids of the integers below SMALL_INTS (HTTP statuses, event ids) by value, 0 until known. */
  private smallInts: Int32Array | null = null;
  /** Made when a value of 4 to 16 bytes first arrives as bytes. */
  private shortValues: ShortValues | null = null;
  /** Made when a value of 17 to 32 bytes first arrives as bytes. */
  private longValues: LongValues | null = null;
  private readonly view = new WordView();
  /** Strings made so far, by id (only values someone asked for). */
  private readonly strings = new Map<number, string>();
  private readonly scratch = { buf: new Uint8Array(256) };

  /** Number of distinct values (ids run from 1 to size). */
  get size(): number {
    return this.count;
  }

  value(id: number): string | null {
    if (id === EMPTY || id > this.count) return null;
    const known = this.strings.get(id);
    if (known !== undefined) return known;
    const text = this.valueOnce(id)!;
    // Grid pages and groupings ask for the same values again and again; keep them, within reason.
    if (this.strings.size > 200_000) this.strings.clear();
    this.strings.set(id, text);
    return text;
  }

  /**
   * The value's text without keeping it. For scans that visit every id once (a filter deciding
   * each id, a grouping naming its groups): keeping those strings would evict the ones the grid
   * asks for again and again.
   */
  valueOnce(id: number): string | null {
    if (id === EMPTY || id > this.count) return null;
    const known = this.strings.get(id);
    if (known !== undefined) return known;
    const kind = this.kinds[id];
    return kind === KIND_INT
      ? String(this.keys[id])
      : kind === KIND_IPV4
        ? ipv4Text(this.keys[id]!)
        : decoder.decode(this.pool.subarray(this.starts[id], this.starts[id]! + this.lengths[id]!));
  }

  /**
   * The IPv4 address an id holds, as an unsigned 32-bit number, or -1 when its value is not a
   * dotted quad (IPv6, a name, a number). Address tests over every id then need no string.
   */
  ipv4Of(id: number): number {
    return id !== EMPTY && id <= this.count && this.kinds[id] === KIND_IPV4 ? this.keys[id]! : -1;
  }

  /** Every value, index = id (index 0 is an unused placeholder). Makes a string per value. */
  allValues(): readonly string[] {
    const values = [''];
    for (let id = 1; id <= this.count; id++) values.push(this.value(id)!);
    return values;
  }

  internBytes(buf: Uint8Array, start: number, end: number): DictId {
    const length = end - start;
    if (length <= 0) return EMPTY as DictId;
    if (length > 16 && length <= 32) return this.internLongBytes(buf, start, end);
    if (length < 4 || length > 16) return this.internAnyBytes(buf, start, end);
    let short = (this.shortValues ??= new ShortValues(SHORT_SLOTS_MIN));
    const known = short.find(this.view.words(buf), start, length);
    if (known !== EMPTY) return known as DictId;
    const id = this.internAnyBytes(buf, start, end);
    if (this.count * 4 > short.slots && short.slots < SHORT_SLOTS_MAX) {
      // Room for the values seen so far: the old slots are dropped (they are only a cache).
      short = this.shortValues = new ShortValues(short.slots * 4);
      short.find(this.view.words(buf), start, length);
    }
    short.keep(length, id);
    return id;
  }

  private internLongBytes(buf: Uint8Array, start: number, end: number): DictId {
    const length = end - start;
    let long = (this.longValues ??= new LongValues(SHORT_SLOTS_MIN));
    const view = this.view.words(buf);
    const known = long.find(view, start, length);
    if (known !== EMPTY) return known as DictId;
    const id = this.internAnyBytes(buf, start, end);
    if (this.count * 4 > long.slots && long.slots < LONG_SLOTS_MAX) {
      long = this.longValues = new LongValues(Math.min(long.slots * 4, LONG_SLOTS_MAX));
      long.find(view, start, length);
    }
    long.keep(view, start, length, id);
    return id;
  }

  private internAnyBytes(buf: Uint8Array, start: number, end: number): DictId {
    const first = buf[start]!;
    if (first >= 48 && first <= 57) {
      const n = canonicalUint(buf, start, end);
      if (n >= 0) return this.internInt(n);
      const ip = parseIpv4Bytes(buf, start, end);
      if (ip >= 0) return this.internIpv4(ip);
    }
    const words = this.view.words(buf);
    const hash = hashBytes(buf, words, start, end);
    const length = end - start;
    const id = this.findBytes(hash, buf, words, start, length);
    if (id !== EMPTY) return id as DictId;
    const added = this.add(KIND_BYTES, hash);
    this.storeBytes(added, buf, start, length);
    this.bytesTable.insert(hash, added, (i) => this.keys[i]!);
    return added as DictId;
  }

  /** The id here of the value `id` has in `other`: the same as interning the value's own bytes. */
  internValueOf(other: Dictionary, id: number): DictId {
    if (id === EMPTY || id > other.count) return EMPTY as DictId;
    const kind = other.kinds[id];
    if (kind === KIND_INT) return this.internInt(other.keys[id]!);
    if (kind === KIND_IPV4) return this.internIpv4(other.keys[id]!);
    const start = other.starts[id]!;
    return this.internBytes(other.pool, start, start + other.lengths[id]!);
  }

  internText(text: string): DictId {
    if (text.length === 0) return EMPTY as DictId;
    const bytes = this.encode(text);
    return this.internBytes(bytes, 0, bytes.length);
  }

  /** Integer values (HTTP status, event id); the same id as their decimal text. */
  internNumber(value: number): DictId {
    if (Number.isInteger(value) && value >= 0 && value < 4294967296) return this.internInt(value);
    return this.internText(String(value));
  }

  /** An IPv4 address as a number; the same id as its dotted-quad text. */
  internIpv4(value: number): DictId {
    const hash = hashNumber(value);
    const id = this.findNumber(this.ipTable, hash, value);
    if (id !== EMPTY) return id as DictId;
    const added = this.add(KIND_IPV4, value);
    this.ipTable.insert(hash, added, (i) => hashNumber(this.keys[i]!));
    return added as DictId;
  }

  /** Id of a value if it is known, else 0 (for queries: "which id is 172.16.1.5?"). */
  lookup(text: string): DictId {
    if (text.length === 0) return EMPTY as DictId;
    const bytes = this.encode(text);
    const end = bytes.length;
    const first = bytes[0]!;
    if (first >= 48 && first <= 57) {
      const n = canonicalUint(bytes, 0, end);
      if (n >= 0) return this.findNumber(this.intTable, hashNumber(n), n) as DictId;
      const ip = parseIpv4Bytes(bytes, 0, end);
      if (ip >= 0) return this.findNumber(this.ipTable, hashNumber(ip), ip) as DictId;
    }
    const words = this.view.words(bytes);
    return this.findBytes(hashBytes(bytes, words, 0, end), bytes, words, 0, end) as DictId;
  }

  /** Bytes held by this dictionary's structures. */
  memoryBytes(): number {
    let strings = 0;
    for (const s of this.strings.values()) strings += 24 + s.length * 2;
    return (
      this.kinds.byteLength +
      this.keys.byteLength +
      this.starts.byteLength +
      this.lengths.byteLength +
      this.pool.byteLength +
      this.bytesTable.slots.byteLength +
      this.intTable.slots.byteLength +
      this.ipTable.slots.byteLength +
      (this.smallInts?.byteLength ?? 0) +
      (this.shortValues?.memoryBytes() ?? 0) +
      (this.longValues?.memoryBytes() ?? 0) +
      strings
    );
  }

  private internInt(value: number): DictId {
    const small = this.smallInts;
    if (small !== null && value < SMALL_INTS) {
      const known = small[value]!;
      if (known !== EMPTY) return known as DictId;
    }
    const hash = hashNumber(value);
    let id = this.findNumber(this.intTable, hash, value);
    if (id === EMPTY) {
      id = this.add(KIND_INT, value);
      this.intTable.insert(hash, id, (i) => hashNumber(this.keys[i]!));
    }
    if (value < SMALL_INTS) (this.smallInts ??= new Int32Array(SMALL_INTS))[value] = id;
    return id as DictId;
  }

  private findNumber(table: IdTable, hash: number, value: number): number {
    const slots = table.slots;
    const mask = table.mask;
    const keys = this.keys;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot]!;
      if (id === EMPTY || keys[id] === value) return id;
    }
  }

  private findBytes(
    hash: number,
    buf: Uint8Array,
    words: DataView,
    start: number,
    length: number,
  ): number {
    const slots = this.bytesTable.slots;
    const mask = this.bytesTable.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot]!;
      if (id === EMPTY || this.sameBytes(id, hash, buf, words, start, length)) return id;
    }
  }

  private add(kind: number, key: number): number {
    const id = ++this.count;
    if (id >= this.kinds.length) {
      const capacity = this.kinds.length * 2;
      const kinds = new Uint8Array(capacity);
      kinds.set(this.kinds);
      this.kinds = kinds;
      this.keys = grow(this.keys, capacity);
      this.starts = grow(this.starts, capacity);
      this.lengths = grow(this.lengths, capacity);
    }
    this.kinds[id] = kind;
    this.keys[id] = key;
    return id;
  }

  private sameBytes(
    id: number,
    hash: number,
    buf: Uint8Array,
    words: DataView,
    start: number,
    length: number,
  ): boolean {
    if (this.keys[id] !== hash || this.lengths[id] !== length) return false;
    return sameBytes(this.pool, this.poolWords, this.starts[id]!, buf, words, start, length);
  }

  private storeBytes(id: number, buf: Uint8Array, start: number, length: number): void {
    if (this.poolUsed + length > this.pool.length) {
      const next = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + length));
      next.set(this.pool.subarray(0, this.poolUsed));
      this.pool = next;
      this.poolWords = wordsOf(next);
    }
    this.pool.set(buf.subarray(start, start + length), this.poolUsed);
    this.starts[id] = this.poolUsed;
    this.lengths[id] = length;
    this.poolUsed += length;
  }

  private encode(text: string): Uint8Array {
    if (text.length * 3 > this.scratch.buf.length)
      this.scratch.buf = new Uint8Array(text.length * 3);
    const { written } = encoder.encodeInto(text, this.scratch.buf);
    return this.scratch.buf.subarray(0, written);
  }
}

function grow(array: Uint32Array, capacity: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(capacity);
  next.set(array);
  return next;
}
