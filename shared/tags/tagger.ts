/**
 * Applies the tag catalogue. The atoms of every tag are numbered; a record's tags follow from
 * which atoms hold for it. At ingest, atoms on indexed columns are decided once per dictionary id
 * and cached, and atoms on fields are decided on the field's bytes, which the format hands over
 * only for the fields some tag looks at (so a format pays nothing for fields no tag needs). On
 * display, the same atoms are decided on the parsed record's strings. Both roads use one
 * definition of each op, so they agree.
 */
import type { DictColumn, MessageKind, ParsedRecord } from '../record';
import type { TagAtom, TagDefinition, TagOp } from './catalog';
import { MAX_TAGS, TAGS } from './catalog';
import { WordView, sameBytes, wordsOf } from '../text/words';

const encoder = new TextEncoder();

/** What the tagger reads from the index for the record being finished (the index's own methods). */
export interface ColumnSource {
  idReader(column: DictColumn): { idAt(record: number): number };
  valueOf(column: DictColumn, record: number): string | null;
}

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function bytesAt(buf: Uint8Array, at: number, needle: Uint8Array, ignoreCase: boolean): boolean {
  for (let i = 0; i < needle.length; i++) {
    const c = buf[at + i]!;
    if ((ignoreCase ? lowerAscii(c) : c) !== needle[i]) return false;
  }
  return true;
}

/**
 * Aho-Corasick over bytes: finds whether any of several needles occurs in a range with one dense
 * table step per byte (user agents are long and the monitor list is long; trying each needle at
 * each position cost more than parsing the whole record).
 */
class Automaton {
  /** next[state * 256 + byte] = the state after reading `byte`. */
  private readonly next: Int32Array;
  /** States are numbered so that every accepting state is at or above this one. */
  private readonly firstAccepting: number;
  private readonly start: number;
  private readonly fold: Uint8Array;

  constructor(needles: readonly Uint8Array[], ignoreCase: boolean) {
    this.fold = new Uint8Array(256);
    for (let c = 0; c < 256; c++) this.fold[c] = ignoreCase ? lowerAscii(c) : c;
    // The trie, with "no edge" as -1.
    const edges: number[][] = [[]];
    const accepting: boolean[] = [false];
    for (const needle of needles) {
      let state = 0;
      for (const byte of needle) {
        let target = edges[state]![byte];
        if (target === undefined) {
          target = edges.length;
          edges.push([]);
          accepting.push(false);
          edges[state]![byte] = target;
        }
        state = target;
      }
      accepting[state] = true;
    }
    const states = edges.length;
    const next = new Int32Array(states * 256);
    const accepts = new Uint8Array(states);
    const fail = new Int32Array(states);
    // Breadth first: each state's transitions follow its failure state's where the trie has none.
    const queue: number[] = [];
    for (let byte = 0; byte < 256; byte++) {
      const target = edges[0]![byte];
      if (target === undefined) next[byte] = 0;
      else {
        next[byte] = target;
        fail[target] = 0;
        queue.push(target);
      }
    }
    accepts[0] = accepting[0] ? 1 : 0;
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      accepts[state] = accepting[state] || accepts[fail[state]!] === 1 ? 1 : 0;
      for (let byte = 0; byte < 256; byte++) {
        const target = edges[state]![byte];
        if (target === undefined) next[state * 256 + byte] = next[fail[state]! * 256 + byte]!;
        else {
          next[state * 256 + byte] = target;
          fail[target] = next[fail[state]! * 256 + byte]!;
          queue.push(target);
        }
      }
    }
    // Renumber: accepting states last, so "has a needle ended here?" is one comparison.
    const order = [...Array(states).keys()].sort((x, y) => accepts[x]! - accepts[y]! || x - y);
    const renamed = new Int32Array(states);
    order.forEach((old, fresh) => (renamed[old] = fresh));
    this.next = new Int32Array(states * 256);
    for (let old = 0; old < states; old++)
      for (let byte = 0; byte < 256; byte++)
        this.next[renamed[old]! * 256 + byte] = renamed[next[old * 256 + byte]!]!;
    const firstAcceptingOld = order.findIndex((old) => accepts[old] === 1);
    this.firstAccepting = firstAcceptingOld < 0 ? states : firstAcceptingOld;
    this.start = renamed[0]!;
  }

  search(buf: Uint8Array, start: number, end: number): boolean {
    const next = this.next;
    const fold = this.fold;
    const firstAccepting = this.firstAccepting;
    let state = this.start;
    for (let i = start; i < end; i++) {
      state = next[(state << 8) | fold[buf[i]!]!]!;
      if (state >= firstAccepting) return true;
    }
    return false;
  }
}

/** A needle for {@link SkipSearch}: its bytes (lower-cased when the case is ignored) and atoms. */
interface Phrase {
  readonly bytes: Uint8Array;
  readonly ignoreCase: boolean;
  readonly atoms: AtomSet;
}

/**
 * Several needles at once with Wu and Manber's skip on byte pairs: a window as long as the
 * shortest needle slides along the value, and the pair of bytes at its end tells how far it may
 * jump. A pair that occurs in no needle's window-long prefix moves it by the window less one, so
 * on URLs and request lines most bytes are never looked at. (Single bytes, Horspool's set skip,
 * moved it only a few bytes: most letters occur somewhere in the phrases.) One search serves
 * every `contains` atom of a field: it answers with the atoms of the needles it found.
 */
class SkipSearch {
  /** The shortest needle's length: the window. */
  private readonly window: number;
  /** How far the window may move when its last two bytes (folded) are (a, b): at [a << 8 | b]. */
  private readonly shift: Uint8Array;
  private readonly fold: Uint8Array;
  /** Every atom some needle stands for: the search ends once it has found them all. */
  private readonly all: AtomSet;

  constructor(private readonly phrases: readonly Phrase[]) {
    // Any window up to the shortest needle is correct; past 256 a shift would not fit a byte.
    const m = Math.min(256, ...phrases.map((p) => p.bytes.length));
    this.window = m;
    // Pairs are read folded when some needle ignores case. A case-sensitive needle's pairs are
    // entered folded too, which only ever shortens a shift: still correct.
    const fold = phrases.some((p) => p.ignoreCase);
    this.fold = new Uint8Array(256);
    for (let c = 0; c < 256; c++) this.fold[c] = fold ? lowerAscii(c) : c;
    // A pair ending at place j of a needle's prefix lets the window move m - 1 - j and no more;
    // 0 means a needle may end here: compare.
    this.shift = new Uint8Array(65536).fill(m - 1);
    for (const { bytes } of phrases)
      for (let j = 1; j < m; j++) {
        const pair = (this.fold[bytes[j - 1]!]! << 8) | this.fold[bytes[j]!]!;
        this.shift[pair] = Math.min(this.shift[pair]!, m - 1 - j);
      }
    this.all = phrases.reduce((all, p) => union(all, p.atoms), 0);
  }

  /** Worth using: a window long enough to skip by. */
  static suits(needles: readonly Uint8Array[]): boolean {
    return needles.length > 0 && needles.every((n) => n.length >= 6);
  }

  /** The atoms of the needles found in [start, end). */
  search(buf: Uint8Array, start: number, end: number): AtomSet {
    const { window, shift, fold, phrases, all } = this;
    let found: AtomSet = 0;
    for (let p = start + window - 1; p < end;) {
      const step = shift[(fold[buf[p - 1]!]! << 8) | fold[buf[p]!]!]!;
      if (step > 0) {
        p += step;
        continue;
      }
      const at = p - window + 1;
      for (let k = 0; k < phrases.length; k++) {
        const phrase = phrases[k]!;
        if (
          !contains(found, phrase.atoms) &&
          at + phrase.bytes.length <= end &&
          bytesAt(buf, at, phrase.bytes, phrase.ignoreCase)
        ) {
          found = union(found, phrase.atoms);
          if (found === all) return found;
        }
      }
      p++;
    }
    return found;
  }
}

/** One atom, ready for bytes (values as UTF-8, lower-cased for the -ci ops) and for strings. */
class CompiledAtom {
  private readonly needles: readonly Uint8Array[];
  readonly ignoreCase: boolean;
  private readonly op: TagOp;
  private readonly values: readonly string[];
  /** For `contains`: every needle at once, one table step per byte of the field... */
  private readonly automaton: Automaton | null;
  /** ...or, when every needle is long enough, skipping most bytes. */
  private readonly skip: SkipSearch | null;
  /** The test reads every byte of the value (worth remembering the answer for long values). */
  readonly scans: boolean;
  /** For `equals` and `equals-ci`: the values (as bytes, lower-cased for -ci) that match. */
  readonly exactValues: readonly Uint8Array[] | null;

  constructor(atom: TagAtom) {
    this.op = atom.op;
    this.ignoreCase = atom.op === 'equals-ci' || atom.op === 'contains-ci';
    this.values = this.ignoreCase ? atom.values.map((v) => v.toLowerCase()) : atom.values;
    this.needles = this.values.map((v) => encoder.encode(v));
    this.scans = atom.op === 'contains' || atom.op === 'contains-ci';
    this.exactValues = atom.op === 'equals' || atom.op === 'equals-ci' ? this.needles : null;
    // Alone, the atom's needles all stand for "this atom holds": any non-empty set will do.
    const phrases = this.phrases(1);
    this.skip = phrases === null ? null : new SkipSearch(phrases);
    this.automaton =
      this.scans && phrases === null ? new Automaton(this.needles, this.ignoreCase) : null;
  }

  /** Needles that can skip (see {@link SkipSearch.suits}), each standing for `atoms`. */
  phrases(atoms: AtomSet): Phrase[] | null {
    if (!this.scans || !SkipSearch.suits(this.needles)) return null;
    return this.needles.map((bytes) => ({ bytes, ignoreCase: this.ignoreCase, atoms }));
  }

  testBytes(buf: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    const needles = this.needles;
    switch (this.op) {
      case 'present':
        return !(
          length === 0 ||
          (length === 1 && buf[start] === 45) ||
          (length === 4 && bytesAt(buf, start, NONE, true))
        );
      case 'equals':
      case 'equals-ci':
        for (const needle of needles)
          if (needle.length === length && bytesAt(buf, start, needle, this.ignoreCase)) return true;
        return false;
      case 'prefix':
        for (const needle of needles)
          if (needle.length <= length && bytesAt(buf, start, needle, false)) return true;
        return false;
      case 'contains':
      case 'contains-ci':
        return this.skip !== null
          ? this.skip.search(buf, start, end) !== 0
          : this.automaton!.search(buf, start, end);
    }
  }

  testText(value: string | null | undefined): boolean {
    if (value === null || value === undefined) return false;
    const v = this.ignoreCase ? value.toLowerCase() : value;
    switch (this.op) {
      case 'present':
        return !(v === '' || v === '-' || v.toLowerCase() === 'none');
      case 'equals':
      case 'equals-ci':
        return this.values.includes(v);
      case 'prefix':
        return this.values.some((x) => v.startsWith(x));
      case 'contains':
      case 'contains-ci':
        return this.values.some((x) => v.includes(x));
    }
  }
}

const NONE = encoder.encode('none');

/**
 * A set of atoms is a 31-bit integer, bit n for atom n: plain bit operations on the per-record
 * path, nothing allocated. The catalogue must keep to 31 distinct atoms; past that, compiling it
 * fails loudly rather than mis-tagging. It has 31 now: a new atom needs a wider set first.
 */
const MAX_ATOMS = 31;
type AtomSet = number;

function atomBit(n: number): AtomSet {
  return 1 << n;
}

function contains(a: AtomSet, b: AtomSet): boolean {
  return (a & b) === b;
}

function union(a: AtomSet, b: AtomSet): AtomSet {
  return a | b;
}

interface CompiledTag {
  readonly bit: number;
  /** Each clause as the set of atoms that must all hold. */
  readonly clauses: readonly AtomSet[];
}

/** The catalogue compiled once: atoms numbered, tags as masks over them. */
export class TagCatalogue {
  readonly atoms: CompiledAtom[] = [];
  readonly targets: string[] = [];
  private readonly tags: CompiledTag[] = [];
  /** Atom numbers by the field they test (fields given as bytes at ingest). */
  readonly fieldAtoms = new Map<string, number[]>();
  /** Atom numbers by indexed column. */
  readonly columnAtoms = new Map<DictColumn, number[]>();
  /** Atoms on `message`, decided from the message field a format reports. */
  readonly messageAtoms: number[] = [];

  constructor(readonly definitions: readonly TagDefinition[] = TAGS) {
    if (definitions.length > MAX_TAGS)
      throw new Error(`at most ${MAX_TAGS} tags fit the index's tag column`);
    const numbered = new Map<string, number>();
    definitions.forEach((tag, bit) => {
      const clauses = tag.when.map((clause) => {
        let mask: AtomSet = 0;
        for (const atom of clause) {
          const key = JSON.stringify(atom);
          let n = numbered.get(key);
          if (n === undefined) {
            n = this.atoms.length;
            if (n >= MAX_ATOMS)
              throw new Error(`the tag catalogue uses more than ${MAX_ATOMS} distinct atoms`);
            numbered.set(key, n);
            this.atoms.push(new CompiledAtom(atom));
            this.targets.push(atom.on);
            if (atom.on.startsWith('field:')) push(this.fieldAtoms, atom.on.slice(6), n);
            else if (atom.on === 'message') this.messageAtoms.push(n);
            else push(this.columnAtoms, atom.on as DictColumn, n);
          }
          mask = union(mask, atomBit(n));
        }
        return mask;
      });
      this.tags.push({ bit, clauses });
    });
  }

  /** Tag mask from the set of atoms that hold. */
  tagsFrom(atoms: AtomSet): number {
    let mask = 0;
    for (const tag of this.tags)
      if (tag.clauses.some((c) => contains(atoms, c))) mask |= 1 << tag.bit;
    return mask >>> 0;
  }

  /**
   * Field names a format should report at ingest (message included when a tag reads it and the
   * format's message is text, see {@link MessageKind}), always in the same order: a name's place
   * in it is its number for `fieldByNumber`.
   */
  wantedFields(messageKind: MessageKind = 'text'): ReadonlySet<string> {
    const names = new Set(this.fieldAtoms.keys());
    if (this.messageAtoms.length > 0 && messageKind === 'text') names.add('message');
    return names;
  }

  /** Tags of a parsed record (the display road), of a format whose message is `messageKind`. */
  tagsOfRecord(record: ParsedRecord, messageKind: MessageKind = 'text'): number {
    let atoms: AtomSet = 0;
    this.atoms.forEach((atom, n) => {
      const target = this.targets[n]!;
      if (target === 'message' && messageKind !== 'text') return;
      const value = target.startsWith('field:')
        ? record.fields[target.slice(6)]
        : record[target as DictColumn | 'message'];
      if (atom.testText(value)) atoms = union(atoms, atomBit(n));
    });
    return this.tagsFrom(atoms);
  }

  ids(mask: number): string[] {
    return this.definitions.filter((_, bit) => (mask & (1 << bit)) !== 0).map((t) => t.id);
  }

  bitOf(id: string): number {
    return this.definitions.findIndex((t) => t.id === id);
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Shorter values are decided directly: the automaton is as cheap as looking them up. */
const MEMO_MIN_LENGTH = 24;
const MEMO_SLOTS = 4096;
const MEMO_MAX_BYTES = 512;

/**
 * The atoms of field values seen before, found by a hash of a sample of their bytes and
 * confirmed by comparing every byte, so a hit is exact. Comparing bytes is several times cheaper
 * than a table step per byte. Values that do not fit stay undecided here and are tested directly.
 * The remembered values sit in one pool read through one view, and their lengths in a typed
 * array: a view per value cost a `byteLength` load and a polymorphic read per comparison.
 */
class FieldMemo {
  private readonly hashes = new Int32Array(MEMO_SLOTS);
  /** Per slot: the value's length, or -1 when the slot is free. */
  private readonly lengths = new Int32Array(MEMO_SLOTS).fill(-1);
  private readonly starts = new Int32Array(MEMO_SLOTS);
  private readonly atoms = new Float64Array(MEMO_SLOTS);
  private pool = new Uint8Array(16 * 1024);
  private poolView = wordsOf(this.pool);
  private poolUsed = 0;
  private used = 0;
  /**
   * Per length: the slot of the value of that length found or added last, or -1. A field's long
   * values are mostly a handful of user agents of different lengths, so the value last seen with
   * a length is usually the one: comparing it first skips the hash and the probe, which in
   * whole ingest (windows streaming through the caches) cost more than the comparison.
   */
  private readonly lastOfLength = new Int32Array(MEMO_MAX_BYTES + 1).fill(-1);
  /** A view of the buffer last searched (formats hand over one window of bytes for many records). */
  private readonly window = new WordView();

  /** Nine words spread over the value (values are at least MEMO_MIN_LENGTH bytes) and its length. */
  private static hash(words: DataView, start: number, end: number): number {
    const length = end - start;
    let h = Math.imul(length, 0x9e3779b1);
    const step = (length - 4) >>> 3;
    for (let k = 0, i = start; k < 8; k++, i += step)
      h = Math.imul(h ^ words.getInt32(i, true), 0x85ebca6b) ^ (h >>> 13);
    h = Math.imul(h ^ words.getInt32(end - 4, true), 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /** The value's atoms, or -1 when it was not seen. */
  find(buf: Uint8Array, start: number, end: number): number {
    const view = this.window.words(buf);
    const length = end - start;
    const pool = this.poolView;
    const last = length <= MEMO_MAX_BYTES ? this.lastOfLength[length]! : -1;
    if (last >= 0 && sameBytes(this.pool, pool, this.starts[last]!, buf, view, start, length))
      return this.atoms[last]!;
    const h = FieldMemo.hash(view, start, end);
    const lengths = this.lengths;
    for (let probe = 0; probe < 8; probe++) {
      const slot = (h + probe) & (MEMO_SLOTS - 1);
      const known = lengths[slot]!;
      if (known < 0) return -1;
      if (this.hashes[slot] !== h || known !== length) continue;
      // Every byte is compared, so a hit is exact.
      if (sameBytes(this.pool, pool, this.starts[slot]!, buf, view, start, length)) {
        if (length <= MEMO_MAX_BYTES) this.lastOfLength[length] = slot;
        return this.atoms[slot]!;
      }
    }
    return -1;
  }

  add(buf: Uint8Array, start: number, end: number, atoms: number): void {
    const length = end - start;
    if (length > MEMO_MAX_BYTES || this.used >= MEMO_SLOTS / 2) return;
    const h = FieldMemo.hash(this.window.words(buf), start, end);
    for (let probe = 0; probe < 8; probe++) {
      const slot = (h + probe) & (MEMO_SLOTS - 1);
      if (this.lengths[slot]! >= 0) continue;
      if (this.poolUsed + length > this.pool.length) {
        const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + length));
        grown.set(this.pool.subarray(0, this.poolUsed));
        this.pool = grown;
        this.poolView = wordsOf(grown);
      }
      this.pool.set(buf.subarray(start, end), this.poolUsed);
      this.starts[slot] = this.poolUsed;
      this.poolUsed += length;
      this.lengths[slot] = length;
      this.hashes[slot] = h;
      this.atoms[slot] = atoms;
      this.lastOfLength[length] = slot;
      this.used++;
      return;
    }
  }
}

/** One value an exact test looks for, and the atoms that hold when a field equals it. */
interface ExactValue {
  readonly bytes: Uint8Array;
  readonly ignoreCase: boolean;
  atoms: AtomSet;
}

/**
 * Everything the catalogue asks of one field, compiled once: the atoms that read it, and the
 * cheapest way to decide them. Most fields (method, URI, bytes, exception ids) are only ever
 * compared for equality: their values are bucketed by length, so most field values are decided
 * by their length alone and the rest by one comparison per candidate. Fields read by a
 * `contains` test remember the answers for long values.
 */
class FieldTest {
  private readonly tests: readonly CompiledAtom[];
  private readonly bits: readonly AtomSet[];
  /** When every test is an exact comparison: the values to compare with, by byte length. */
  private readonly exact: (readonly ExactValue[] | undefined)[] | null;
  private readonly memo: FieldMemo | null;
  /** When every test is a `contains` whose needles skip: one search decides them all. */
  private readonly phrases: SkipSearch | null;
  /** The atoms of each one-byte value, NaN until decided. */
  private readonly oneByte = new Float64Array(256).fill(NaN);

  constructor(catalogue: TagCatalogue, atoms: readonly number[], remember: boolean) {
    this.tests = atoms.map((n) => catalogue.atoms[n]!);
    this.bits = atoms.map(atomBit);
    this.exact = this.tests.every((t) => t.exactValues !== null) ? this.exactTable() : null;
    this.memo = remember && this.tests.some((t) => t.scans) ? new FieldMemo() : null;
    const phrases = this.tests.map((t, i) => t.phrases(this.bits[i]!));
    this.phrases =
      phrases.length > 0 && phrases.every((p) => p !== null)
        ? new SkipSearch(phrases.flat())
        : null;
  }

  private exactTable(): ExactValue[][] {
    const table: ExactValue[][] = [];
    this.tests.forEach((test, i) => {
      for (const bytes of test.exactValues!) {
        const bucket = (table[bytes.length] ??= []);
        const same = bucket.find(
          (v) => v.ignoreCase === test.ignoreCase && bytesAt(bytes, 0, v.bytes, false),
        );
        if (same) same.atoms = union(same.atoms, this.bits[i]!);
        else bucket.push({ bytes, ignoreCase: test.ignoreCase, atoms: this.bits[i]! });
      }
    });
    return table;
  }

  decide(buf: Uint8Array, start: number, end: number): AtomSet {
    const length = end - start;
    if (this.exact !== null) {
      const bucket = this.exact[length];
      if (bucket === undefined) return 0;
      let atoms = 0;
      for (let i = 0; i < bucket.length; i++) {
        const value = bucket[i]!;
        if (bytesAt(buf, start, value.bytes, value.ignoreCase)) atoms = union(atoms, value.atoms);
      }
      return atoms;
    }
    if (length === 1) {
      // "-" is most values of most W3C fields: one-byte values are decided once each.
      const c = buf[start]!;
      let atoms = this.oneByte[c]!;
      if (Number.isNaN(atoms)) {
        atoms = this.test(buf, start, end);
        this.oneByte[c] = atoms;
      }
      return atoms;
    }
    const memo = this.memo;
    if (memo === null || length < MEMO_MIN_LENGTH) return this.test(buf, start, end);
    let atoms = memo.find(buf, start, end);
    if (atoms < 0) {
      atoms = this.test(buf, start, end);
      memo.add(buf, start, end, atoms);
    }
    return atoms;
  }

  private test(buf: Uint8Array, start: number, end: number): AtomSet {
    if (this.phrases !== null) return this.phrases.search(buf, start, end);
    let atoms = 0;
    const tests = this.tests;
    for (let i = 0; i < tests.length; i++)
      if (tests[i]!.testBytes(buf, start, end)) atoms = union(atoms, this.bits[i]!);
    return atoms;
  }
}

/**
 * The ingest road, one per file: collects the atoms that hold for the record being indexed (from
 * field bytes as the format reports them, and from the record's column ids, cached per id) and
 * turns them into the record's tag mask when the record ends.
 */
export class RecordTagger {
  private atoms: AtomSet = 0;
  /** Per column: the atom set decided for each dictionary id (NaN: not decided yet). */
  private readonly columns: {
    column: DictColumn;
    atoms: readonly number[];
    cache: Float64Array<ArrayBuffer>;
  }[] = [];
  /** The source `finish` last read, and its readers of the columns above, in their order. */
  private source: ColumnSource | null = null;
  private readers: { idAt(record: number): number }[] = [];
  private readonly tagCache = new Map<AtomSet, number>();
  /** Per field name: its compiled test, or null when no tag reads the field. */
  private readonly fields = new Map<string, FieldTest | null>();
  /** The tests of the fields by number: their place in the numbering the formats were given. */
  private readonly numbered: readonly (FieldTest | null)[];
  /** The atoms of the last record's tags, and its mask: neighbours usually share them. */
  private lastAtoms = -1;
  private lastMask = 0;

  /** `numbering`: the wanted fields the formats were given, whose order numbers them. */
  constructor(
    readonly catalogue: TagCatalogue,
    numbering: Iterable<string> = catalogue.wantedFields(),
  ) {
    for (const [column, atoms] of catalogue.columnAtoms)
      this.columns.push({ column, atoms, cache: new Float64Array(64).fill(NaN) });
    this.numbered = [...numbering].map((name) => this.testOf(name));
  }

  field(name: string, buf: Uint8Array, start: number, end: number): void {
    const test = this.testOf(name);
    if (test !== null) this.atoms = union(this.atoms, test.decide(buf, start, end));
  }

  fieldByNumber(n: number, buf: Uint8Array, start: number, end: number): void {
    const test = this.numbered[n];
    if (test !== null && test !== undefined)
      this.atoms = union(this.atoms, test.decide(buf, start, end));
  }

  private testOf(name: string): FieldTest | null {
    let test = this.fields.get(name);
    if (test === undefined) {
      const atoms =
        name === 'message' ? this.catalogue.messageAtoms : this.catalogue.fieldAtoms.get(name);
      // The message is too varied to remember; user agents repeat by the million.
      test = atoms === undefined ? null : new FieldTest(this.catalogue, atoms, name !== 'message');
      this.fields.set(name, test);
    }
    return test;
  }

  /** The record at `record` is complete: its tag mask. Resets for the next record. */
  finish(index: ColumnSource, record: number): number {
    let atoms = this.atoms;
    this.atoms = 0;
    if (index !== this.source) {
      this.source = index;
      this.readers = this.columns.map((entry) => index.idReader(entry.column));
    }
    const columns = this.columns;
    for (let k = 0; k < columns.length; k++) {
      const entry = columns[k]!;
      const id = this.readers[k]!.idAt(record);
      if (id === 0) continue;
      if (id >= entry.cache.length) {
        const grown = new Float64Array(Math.max(id + 1, entry.cache.length * 2)).fill(NaN);
        grown.set(entry.cache);
        entry.cache = grown;
      }
      let bits = entry.cache[id]!;
      if (Number.isNaN(bits)) {
        bits = 0;
        const value = index.valueOf(entry.column, record);
        for (const n of entry.atoms)
          if (this.catalogue.atoms[n]!.testText(value)) bits = union(bits, atomBit(n));
        entry.cache[id] = bits;
      }
      atoms = union(atoms, bits);
    }
    if (atoms === 0) return 0;
    if (atoms === this.lastAtoms) return this.lastMask;
    let mask = this.tagCache.get(atoms);
    if (mask === undefined) {
      mask = this.catalogue.tagsFrom(atoms);
      this.tagCache.set(atoms, mask);
    }
    this.lastAtoms = atoms;
    this.lastMask = mask;
    return mask;
  }
}
