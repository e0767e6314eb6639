/**
 * The filter engine: a filter set applied to one file's columnar index, with the exact semantics
 * of the reference matcher (`filters/match.ts`, which the tests compare it with).
 *
 * - Conditions on indexed columns (source address, certificate host, host, code, source, level)
 *   are decided once per dictionary id, into a byte table per condition; a record then costs one
 *   table lookup per condition. Tags are a mask test on the record's tag bits.
 * - Conditions that need the record's text (`text`, `regex`, `field`) are decided only for records
 *   that pass the rule's column conditions, through a callback that reads the record. The
 *   callback is called once per record for all rules together, in increasing record order, so
 *   the worker can read the file sequentially.
 * - Each rule's matches are a bitset cached by the rule's conditions, so switching a rule on or
 *   off, changing its action or moving it only recombines cached bitsets. New records (a file
 *   still loading) extend the bitsets and the selection without recomputing the old ones.
 *
 * Combination: a record is hidden when an enabled `hide` or `trust` rule matches it. An enabled
 * `block` rule marks the records it matches and hides nothing; a record that a hiding rule also
 * matches stays hidden (it shows, marked, in the "only hidden" view), so a rule's "hides N rows"
 * never depends on block rules.
 */
import type { MatchableRecord } from '../filters/match';
import type { FieldCondition, FilterRule, FilterSet, RuleConditions } from '../filters/model';
import { CONDITION_KEYS } from '../filters/model';
import type { Dictionary } from '../index/dictionary';
import type { LogIndex } from '../index/log-index';
import { parseIpAddress } from '../net/address';
import { hostPatternMatches, parseHostPattern, type HostPattern } from '../net/host-pattern';
import { mappedIpv4Part, otherFormOf, parseIpSpec, rangeContains, type IpSpec } from '../net/range';
import type { DictColumn } from '../record';
import { TAG_CATALOGUE } from '../tags/default';
import type { TagCatalogue } from '../tags/tagger';
import {
  appendRecords,
  clearBits,
  countBits,
  ensureBits,
  hasBit,
  popcount,
  rangeMask,
  RecordList,
  wordsFor,
} from './bits';

/**
 * Reads one record for the conditions that need its text. Called in increasing record order
 * within one evaluation. The worker builds it from the record's bytes (re-parsed) and its tag ids.
 */
export type RecordReader = (record: number) => MatchableRecord;

/** What the selection holds: the records the filters let through, or the ones they hide. */
export type FilterMode = 'visible' | 'hidden';

export interface RuleCount {
  readonly id: string;
  /** Records the rule's conditions hold for, whether the rule is enabled or not. */
  readonly matches: number;
  /** Records this rule hides now: `matches` of an enabled hide/trust rule, else 0. */
  readonly hidden: number;
  /** Records hidden by this rule and by no other enabled rule (what switching it off brings back). */
  readonly hiddenOnly: number;
  /** Visible records this rule marks: enabled block rules only, else 0. */
  readonly marked: number;
}

export interface FilterOutcome {
  /** Records covered: `[0, records)` of the index. Less than the index holds when not complete. */
  readonly records: number;
  readonly visible: number;
  readonly hidden: number;
  /** Visible records marked by at least one enabled block rule. */
  readonly marked: number;
  /** One entry per rule of the set, in the set's order. */
  readonly rules: readonly RuleCount[];
  readonly mode: FilterMode;
  /** The visible records (or, in `hidden` mode, the hidden ones), in file order. */
  readonly selection: Uint32Array;
  /**
   * Hidden records as a bitset over `[0, records)` (bit r of word r >>> 5), for filtering another
   * order (time order) and for the hidden counts of groups. Do not modify.
   */
  readonly hiddenBits: Uint32Array;
  /** False when `shouldStop` cut the evaluation short; run again to continue where it stopped. */
  readonly complete: boolean;
  isHidden(record: number): boolean;
  /** Ids of the enabled block rules that match the record, in set order (empty: not marked). */
  markingRules(record: number): string[];
}

export interface FilterRunOptions {
  readonly mode?: FilterMode;
  /** Needed when a rule has `text`, `regex` or `field` conditions. */
  readonly readRecord?: RecordReader;
  /**
   * Checked between batches of records read through `readRecord`; returning true stops the run
   * and gives an incomplete outcome. Work done so far is kept.
   */
  readonly shouldStop?: () => boolean;
}

/** How many bitsets of rules that left the set are kept (undo, toggling an edit back). */
const SPARE_RULE_CACHE = 16;
/** Records read through the callback between two `shouldStop` checks. */
const STOP_CHECK_RECORDS = 512;

// ---- conditions on indexed columns ----------------------------------------------------------------

type DecideRange = (dictionary: Dictionary, from: number, to: number, table: Uint8Array) => void;

/** One `when` key on one indexed column, decided per dictionary id as the dictionary grows. */
class ColumnCondition {
  /** 1 where the id's value satisfies the key; id 0 (no value) never does. */
  private table = new Uint8Array(64);
  /** Ids `[1, decidedTo)` are decided. */
  private decidedTo = 1;

  constructor(
    readonly column: DictColumn,
    private readonly decideRange: DecideRange,
  ) {}

  /** The table, decided for every id the dictionary has now. */
  refresh(dictionary: Dictionary): Uint8Array {
    const end = dictionary.size + 1;
    if (end > this.decidedTo) {
      if (end > this.table.length) {
        const grown = new Uint8Array(Math.max(end, this.table.length * 2));
        grown.set(this.table);
        this.table = grown;
      }
      this.decideRange(dictionary, this.decidedTo, end, this.table);
      this.decidedTo = end;
    }
    return this.table;
  }
}

/** `code`, `source`, `level`: exact values. A value has one id, so a lookup per value suffices. */
function exactValues(values: readonly string[]): DecideRange {
  return (dictionary, from, to, table) => {
    for (const value of values) {
      const id = dictionary.lookup(value);
      if (id >= from && id < to) table[id] = 1;
    }
  };
}

/**
 * `srcIp`: addresses, CIDRs and ranges, with an IPv4 address and its `::ffff:` form being one
 * address, exactly as `ruleMatches` decides. Dotted quads (nearly every id) are tested as numbers
 * against IPv4 ranges, which include the IPv4 part of IPv6 ranges over `::ffff:0:0/96`; any other
 * value goes through the same parse and range test as the reference.
 */
function addressRanges(specs: readonly string[]): DecideRange {
  const ranges: IpSpec[] = [];
  for (const text of specs) {
    const spec = parseIpSpec(text);
    if (spec.ok) ranges.push(spec.value);
  }
  const v4: number[] = [];
  for (const range of ranges) {
    const part = range.family === 4 ? range : mappedIpv4Part(range);
    if (part !== null) v4.push(Number(part.first), Number(part.last));
  }
  return (dictionary, from, to, table) => {
    for (let id = from; id < to; id++) {
      const ip = dictionary.ipv4Of(id);
      let match = false;
      if (ip >= 0) {
        for (let i = 0; i < v4.length && !match; i += 2) match = v4[i]! <= ip && ip <= v4[i + 1]!;
      } else {
        const address = parseIpAddress(dictionary.valueOnce(id) ?? '');
        if (address.ok) {
          const other = otherFormOf(address.value);
          match = ranges.some(
            (range) =>
              rangeContains(range, address.value) ||
              (other !== null && rangeContains(range, other)),
          );
        }
      }
      table[id] = match ? 1 : 0;
    }
  };
}

/** `certHost`, `host`: host patterns, compared with the value of each id once. */
function hostPatterns(patterns: readonly string[]): DecideRange {
  const parsed: HostPattern[] = [];
  for (const text of patterns) {
    const pattern = parseHostPattern(text);
    if (pattern.ok) parsed.push(pattern.value);
  }
  return (dictionary, from, to, table) => {
    for (let id = from; id < to; id++) {
      const value = dictionary.valueOnce(id);
      table[id] =
        value !== null && parsed.some((pattern) => hostPatternMatches(pattern, value)) ? 1 : 0;
    }
  };
}

// ---- conditions on the record's text ---------------------------------------------------------------

type TextTest = (record: MatchableRecord) => boolean;

/**
 * `text`, `regex` and `field`, ANDed like every key and each ORing its values, as `ruleMatches`
 * does; regexes are compiled once (without `g` or `y`, `test` keeps no state).
 */
function compileTextTest(when: RuleConditions): TextTest | null {
  const tests: TextTest[] = [];
  const texts = when.text;
  if (texts !== undefined)
    tests.push((r) => r.message !== null && texts.some((text) => r.message!.includes(text)));
  if (when.regex !== undefined) {
    const regexes = when.regex.map((source) => new RegExp(source, 'u'));
    tests.push((r) => r.message !== null && regexes.some((regex) => regex.test(r.message!)));
  }
  if (when.field !== undefined) {
    const fields = when.field.map(compileField);
    tests.push((r) => fields.some((test) => test(r.fields)));
  }
  if (tests.length === 0) return null;
  if (tests.length === 1) return tests[0]!;
  return (r) => tests.every((test) => test(r));
}

function compileField(
  condition: FieldCondition,
): (fields: Readonly<Record<string, string>>) => boolean {
  const { name, op, value: wanted } = condition;
  const regex = op === 'regex' ? new RegExp(wanted, 'u') : null;
  return (fields) => {
    if (!Object.prototype.hasOwnProperty.call(fields, name)) return false;
    const value = fields[name];
    if (value === undefined) return false;
    switch (op) {
      case 'equals':
        return value === wanted;
      case 'contains':
        return value.includes(wanted);
      case 'regex':
        return regex!.test(value);
    }
  };
}

// ---- one rule's matches ------------------------------------------------------------------------------

/** A rule's conditions, compiled, and the bitset of the records they hold for. */
class RuleMatches {
  bits = new Uint32Array(0);
  /** Records `[0, columnsTo)` have their column and tag conditions applied to `bits`. */
  columnsTo = 0;
  /** Records `[0, decidedTo)` are fully decided; past it, set bits are candidates for the text test. */
  decidedTo = 0;
  private countedTo = 0;
  private counted = 0;

  constructor(
    readonly columns: readonly ColumnCondition[],
    /** null: no `tag` key; 0: a `tag` key whose tags the catalogue does not know (matches nothing). */
    readonly tagMask: number | null,
    readonly text: TextTest | null,
  ) {}

  /** Set bits in `[0, records)`, counted incrementally as the file grows. */
  matches(records: number): number {
    const whole = records & ~31;
    if (whole < this.countedTo) return countBits(this.bits, 0, records);
    this.counted += countBits(this.bits, this.countedTo, whole);
    this.countedTo = whole;
    return this.counted + countBits(this.bits, whole, records);
  }
}

function compileRule(when: RuleConditions, catalogue: TagCatalogue): RuleMatches {
  const columns: ColumnCondition[] = [];
  if (when.srcIp !== undefined)
    columns.push(new ColumnCondition('srcIp', addressRanges(when.srcIp)));
  if (when.certHost !== undefined)
    columns.push(new ColumnCondition('certHost', hostPatterns(when.certHost)));
  if (when.host !== undefined) columns.push(new ColumnCondition('host', hostPatterns(when.host)));
  if (when.code !== undefined) columns.push(new ColumnCondition('code', exactValues(when.code)));
  if (when.source !== undefined)
    columns.push(new ColumnCondition('source', exactValues(when.source)));
  if (when.level !== undefined) columns.push(new ColumnCondition('level', exactValues(when.level)));
  let tagMask: number | null = null;
  if (when.tag !== undefined) {
    tagMask = 0;
    for (const id of when.tag) {
      const bit = catalogue.bitOf(id);
      if (bit >= 0) tagMask |= 1 << bit;
    }
  }
  return new RuleMatches(columns, tagMask, compileTextTest(when));
}

/** The cache key of a rule's conditions: the same `when` gives the same matches. */
export function conditionsKey(when: RuleConditions): string {
  const parts: unknown[] = [];
  for (const key of CONDITION_KEYS) {
    const values = when[key];
    if (values === undefined) continue;
    parts.push(
      key,
      key === 'field'
        ? (values as readonly FieldCondition[]).map((f) => [f.name, f.op, f.value])
        : values,
    );
  }
  return JSON.stringify(parts);
}

// ---- combining rules ----------------------------------------------------------------------------------

interface PlacedRule {
  readonly rule: FilterRule;
  readonly matches: RuleMatches;
}

/**
 * One arrangement of rules (which are on, their actions and order) and mode, combined over the
 * records decided so far. Sums are kept for whole words; the last, partial word is recomputed
 * when the file grows, so nothing before it is combined twice.
 */
class Combination {
  records = 0;
  private wholeWords = 0;
  private hiddenBits = new Uint32Array(0);
  private readonly selection = new RecordList();
  private selectionAtWhole = 0;
  private readonly hiding: number[] = [];
  private readonly blocking: number[] = [];
  /** Per rule of the set: hidden, hiddenOnly, marked, over the whole words. */
  private readonly wholeSums: Float64Array;
  private wholeHidden = 0;
  private wholeMarked = 0;
  private outcome: FilterOutcome | null = null;

  constructor(
    readonly key: string,
    private readonly placed: readonly PlacedRule[],
    readonly mode: FilterMode,
  ) {
    placed.forEach(({ rule }, i) => {
      if (!rule.enabled) return;
      if (rule.action === 'block') this.blocking.push(i);
      else this.hiding.push(i);
    });
    this.wholeSums = new Float64Array(placed.length * 3);
  }

  /** Combines records up to `records` (all rules are decided that far) and returns the outcome. */
  extend(records: number, complete: boolean): FilterOutcome {
    if (records === this.records && this.outcome !== null && this.outcome.complete === complete)
      return this.outcome;
    const placed = this.placed;
    const hiding = this.hiding;
    const blocking = this.blocking;
    const hidingBits = hiding.map((i) => placed[i]!.matches.bits);
    const blockingBits = blocking.map((i) => placed[i]!.matches.bits);
    const sums = this.wholeSums.slice();
    let hidden = this.wholeHidden;
    let marked = this.wholeMarked;
    this.hiddenBits = ensureBits(this.hiddenBits, records);
    const hiddenBits = this.hiddenBits;
    this.selection.truncate(this.selectionAtWhole);
    const from = this.wholeWords << 5;
    const lastWord = wordsFor(records) - 1;
    for (let w = this.wholeWords; w <= lastWord; w++) {
      const mask = rangeMask(w, 0, records);
      let acc = 0;
      let twice = 0;
      for (const bits of hidingBits) {
        const x = bits[w]! & mask;
        twice |= acc & x;
        acc |= x;
      }
      hiddenBits[w] = acc;
      if (acc !== 0) {
        hidden += popcount(acc);
        for (let h = 0; h < hiding.length; h++) {
          const x = hidingBits[h]![w]! & mask;
          if (x === 0) continue;
          const at = hiding[h]! * 3;
          sums[at] = sums[at]! + popcount(x);
          sums[at + 1] = sums[at + 1]! + popcount(x & ~twice);
        }
      }
      if (blocking.length > 0) {
        let any = 0;
        for (let b = 0; b < blocking.length; b++) {
          const y = blockingBits[b]![w]! & mask & ~acc;
          if (y === 0) continue;
          const slot = blocking[b]! * 3 + 2;
          sums[slot] = sums[slot]! + popcount(y);
          any |= y;
        }
        if (any !== 0) marked += popcount(any);
      }
      if (mask === 0xffffffff) {
        // A whole word: its sums are final.
        this.wholeWords = w + 1;
        this.wholeSums.set(sums);
        this.wholeHidden = hidden;
        this.wholeMarked = marked;
      }
    }
    appendRecords(hiddenBits, this.mode === 'visible' ? 0 : 1, from, records, this.selection);
    // The selection up to the last whole word is final; the records after it are redone next time.
    const wholeEnd = this.wholeWords << 5;
    const view = this.selection.view();
    let at = this.selectionAtWhole;
    while (at < view.length && view[at]! < wholeEnd) at++;
    this.selectionAtWhole = at;
    this.records = records;
    const rules: RuleCount[] = placed.map(({ rule, matches }, i) => ({
      id: rule.id,
      matches: matches.matches(records),
      hidden: sums[i * 3]!,
      hiddenOnly: sums[i * 3 + 1]!,
      marked: sums[i * 3 + 2]!,
    }));
    const blockingRules = blocking.map((i) => placed[i]!);
    this.outcome = {
      records,
      visible: records - hidden,
      hidden,
      marked,
      rules,
      mode: this.mode,
      selection: this.selection.view(),
      hiddenBits,
      complete,
      isHidden: (record) => record < records && hasBit(hiddenBits, record),
      markingRules: (record) =>
        record < records
          ? blockingRules.filter((p) => hasBit(p.matches.bits, record)).map((p) => p.rule.id)
          : [],
    };
    return this.outcome;
  }
}

// ---- the engine -----------------------------------------------------------------------------------------

/** Applies filter sets to one file's index; keeps each rule's matches between runs. */
export class FilterEngine {
  private readonly cache = new Map<string, RuleMatches>();
  private combination: Combination | null = null;

  constructor(
    private readonly index: LogIndex,
    private readonly catalogue: TagCatalogue = TAG_CATALOGUE,
  ) {}

  /**
   * The outcome of `set` over the records the index holds now. Rules seen before (same
   * conditions) reuse their matches; records added since the last run are decided and appended.
   * The set must be valid (`validateFilterSet`).
   */
  run(set: FilterSet, options: FilterRunOptions = {}): FilterOutcome {
    const mode = options.mode ?? 'visible';
    const records = this.index.count;
    const placed: PlacedRule[] = set.rules.map((rule) => ({
      rule,
      matches: this.matchesFor(rule.when),
    }));
    this.forgetUnused(placed);
    for (const { matches } of placed) this.applyColumns(matches, records);
    const reading = [...new Set(placed.map((p) => p.matches))].filter((m) => m.decidedTo < records);
    let complete = true;
    if (reading.length > 0) {
      if (options.readRecord === undefined)
        throw new Error('filter rules with text, regex or field conditions need readRecord');
      complete = this.applyText(reading, records, options.readRecord, options.shouldStop);
    }
    let decided = records;
    for (const { matches } of placed) decided = Math.min(decided, matches.decidedTo);
    const key = `${mode}\n${placed
      .map(({ rule }) => `${rule.id}\t${rule.enabled}\t${rule.action}\t${conditionsKey(rule.when)}`)
      .join('\n')}`;
    if (this.combination === null || this.combination.key !== key)
      this.combination = new Combination(key, placed, mode);
    // Rule bitsets only grow, so a combination made for fewer records is extended, never redone.
    if (this.combination.records > decided) this.combination = new Combination(key, placed, mode);
    return this.combination.extend(decided, complete);
  }

  private matchesFor(when: RuleConditions): RuleMatches {
    const key = conditionsKey(when);
    let matches = this.cache.get(key);
    if (matches === undefined) matches = compileRule(when, this.catalogue);
    // Re-inserting keeps the map in order of last use, oldest first.
    this.cache.delete(key);
    this.cache.set(key, matches);
    return matches;
  }

  private forgetUnused(placed: readonly PlacedRule[]): void {
    const inUse = new Set(placed.map((p) => p.matches));
    let spare = this.cache.size - inUse.size;
    for (const [key, matches] of this.cache) {
      if (spare <= SPARE_RULE_CACHE) break;
      if (inUse.has(matches)) continue;
      this.cache.delete(key);
      spare--;
    }
  }

  /** Sets the bits of records `[columnsTo, records)` that pass the column and tag conditions. */
  private applyColumns(matches: RuleMatches, records: number): void {
    const from = matches.columnsTo;
    if (from >= records) return;
    matches.bits = ensureBits(matches.bits, records);
    const bits = matches.bits;
    clearBits(bits, from, records);
    let filled = false;
    let empty = false;
    for (const condition of matches.columns) {
      const ids = this.index.idColumn(condition.column);
      if (ids === null) {
        // No record has a value in this column: nothing can match.
        empty = true;
        break;
      }
      const table = condition.refresh(this.index.dictionary(condition.column));
      if (filled) keepByTable(bits, ids, table, from, records);
      else fillByTable(bits, ids, table, from, records);
      filled = true;
    }
    if (!empty && matches.tagMask !== null) {
      const tags = this.index.tagColumn();
      if (tags === null || matches.tagMask === 0) empty = true;
      else if (filled) keepByTags(bits, tags, matches.tagMask, from, records);
      else fillByTags(bits, tags, matches.tagMask, from, records);
      filled = true;
    }
    if (empty) clearBits(bits, from, records);
    else if (!filled) fillAll(bits, from, records);
    matches.columnsTo = records;
    if (matches.text === null || empty) matches.decidedTo = records;
  }

  /**
   * Decides the text conditions of the candidates of several rules in one pass, reading each
   * record once, in increasing order. Returns false when `shouldStop` stopped it.
   */
  private applyText(
    rules: readonly RuleMatches[],
    records: number,
    read: RecordReader,
    shouldStop: (() => boolean) | undefined,
  ): boolean {
    let from = records;
    for (const m of rules) from = Math.min(from, m.decidedTo);
    const lastWord = wordsFor(records) - 1;
    let sinceCheck = 0;
    for (let w = from >>> 5; w <= lastWord; w++) {
      let candidates = 0;
      for (const m of rules) candidates |= m.bits[w]! & rangeMask(w, m.decidedTo, records);
      const base = w << 5;
      while (candidates !== 0) {
        const low = candidates & -candidates;
        candidates ^= low;
        const bit = 31 - Math.clz32(low);
        const record = read(base + bit);
        for (const m of rules) {
          if ((m.bits[w]! & low) === 0 || base + bit < m.decidedTo) continue;
          if (!m.text!(record)) m.bits[w]! &= ~low;
        }
        sinceCheck++;
      }
      if (sinceCheck >= STOP_CHECK_RECORDS && w < lastWord) {
        sinceCheck = 0;
        if (shouldStop?.() === true) {
          const end = Math.min(records, (w + 1) << 5);
          for (const m of rules) if (m.decidedTo < end) m.decidedTo = end;
          return false;
        }
      }
    }
    for (const m of rules) m.decidedTo = records;
    return true;
  }
}

// ---- column loops (typed arrays only: these run over millions of records) -------------------------

type IdArray = Uint8Array | Uint16Array | Uint32Array;

function fillByTable(
  bits: Uint32Array,
  ids: IdArray,
  table: Uint8Array,
  from: number,
  to: number,
): void {
  for (let w = from >>> 5, last = (to - 1) >>> 5; w <= last; w++) {
    const start = Math.max(from, w << 5);
    const end = Math.min(to, (w + 1) << 5);
    let word = 0;
    for (let r = start; r < end; r++) word |= table[ids[r]!]! << (r & 31);
    bits[w]! |= word;
  }
}

function keepByTable(
  bits: Uint32Array,
  ids: IdArray,
  table: Uint8Array,
  from: number,
  to: number,
): void {
  for (let w = from >>> 5, last = (to - 1) >>> 5; w <= last; w++) {
    let word = bits[w]! & rangeMask(w, from, to);
    const base = w << 5;
    while (word !== 0) {
      const low = word & -word;
      word ^= low;
      if (table[ids[base + 31 - Math.clz32(low)]!] === 0) bits[w]! &= ~low;
    }
  }
}

function fillByTags(bits: Uint32Array, tags: Uint32Array, mask: number, from: number, to: number) {
  for (let w = from >>> 5, last = (to - 1) >>> 5; w <= last; w++) {
    const start = Math.max(from, w << 5);
    const end = Math.min(to, (w + 1) << 5);
    let word = 0;
    for (let r = start; r < end; r++) if ((tags[r]! & mask) !== 0) word |= 1 << (r & 31);
    bits[w]! |= word;
  }
}

function keepByTags(bits: Uint32Array, tags: Uint32Array, mask: number, from: number, to: number) {
  for (let w = from >>> 5, last = (to - 1) >>> 5; w <= last; w++) {
    let word = bits[w]! & rangeMask(w, from, to);
    const base = w << 5;
    while (word !== 0) {
      const low = word & -word;
      word ^= low;
      if ((tags[base + 31 - Math.clz32(low)]! & mask) === 0) bits[w]! &= ~low;
    }
  }
}

function fillAll(bits: Uint32Array, from: number, to: number): void {
  for (let w = from >>> 5, last = (to - 1) >>> 5; w <= last; w++)
    bits[w]! |= rangeMask(w, from, to);
}
