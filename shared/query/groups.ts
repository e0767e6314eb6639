/**
 * Group-by over a selection of one file's records: counts, first and last time, optionally the
 * rows the filters hide from each group and a sparkline per top group. Indexed columns are
 * counted per dictionary id in a typed array (one increment per record, no string), and named
 * only for the groups that are shown; roll-ups (IPv4 /24 or /16, IPv6 /48 or /64, registered
 * domain) map ids to groups once per distinct id. Named fields are read through the record
 * callback once per record and kept per field name as an id column of their own.
 */
import { getDomain } from 'tldts';
import type { Dictionary } from '../index/dictionary';
import type { LogIndex } from '../index/log-index';
import { parseIpAddress } from '../net/address';
import { formatCidr, maskedCidr, otherFormOf } from '../net/range';
import type { DictColumn } from '../record';
import { TAG_CATALOGUE } from '../tags/default';
import type { TagCatalogue } from '../tags/tagger';
import { RecordList, setBit } from './bits';
import type { RecordReader } from './filter-engine';

/** What to group by; the CLI's `--by` values. */
export type GroupField =
  'src-ip' | 'cert-host' | 'host' | 'code' | 'tag' | 'source' | 'level' | `field:${string}`;

export const GROUP_FIELDS = [
  'src-ip',
  'cert-host',
  'host',
  'code',
  'tag',
  'source',
  'level',
] as const satisfies readonly GroupField[];

export function isGroupField(text: string): text is GroupField {
  return (
    (GROUP_FIELDS as readonly string[]).includes(text) ||
    (text.startsWith('field:') && text.length > 6)
  );
}

export interface GroupSpec {
  readonly by: GroupField;
  /**
   * `src-ip`: group IPv4 addresses (and their `::ffff:` forms, which filters treat as the same
   * address) by network, keyed `a.b.c.0/24`.
   */
  readonly ipv4Prefix?: 16 | 24;
  /** `src-ip`: group IPv6 addresses by network, keyed like `2001:db8::/48`. */
  readonly ipv6Prefix?: 48 | 64;
  /**
   * `host`, `cert-host`: group names by registered domain (`a.b.example.co.uk` →
   * `example.co.uk`, by the ICANN section of the public-suffix list). Names without one
   * (addresses, `localhost`) stay as written.
   */
  readonly registeredDomain?: boolean;
}

export interface SparklineOptions {
  /** Sparklines for this many groups, from the top. */
  readonly groups: number;
  /** Buckets per sparkline. */
  readonly buckets: number;
  /** Time range in UTC ms, `[from, to)`; records outside it are not counted. */
  readonly from: number;
  readonly to: number;
}

export interface GroupOptions {
  /** At most this many groups, from the top (the rest are only counted in `totalGroups`). */
  readonly limit?: number;
  /**
   * The filter outcome's hidden records (`FilterOutcome.hiddenBits` over `[0, records)`): each
   * group then says how many rows the filters hide from it, and groups whose rows are all hidden
   * are listed too (with count 0).
   */
  readonly hidden?: { readonly bits: Uint32Array; readonly records: number };
  readonly sparkline?: SparklineOptions;
  /** Needed for `field:NAME`: reads records whose field value is not cached yet (in file order). */
  readonly readRecord?: RecordReader;
}

export interface Group {
  /** The value, the network or domain it rolls up to, or null for records without a value (no tag). */
  readonly key: string | null;
  /** Records of the selection in this group. */
  readonly count: number;
  /** Earliest and latest time of those records, UTC ms; null when none has a time. */
  readonly first: number | null;
  readonly last: number | null;
  /** With `hidden`: records of the whole file in this group that the filters hide. */
  readonly hidden?: number;
  /** With `sparkline`, for the top groups: counts per time bucket. */
  readonly sparkline?: Uint32Array;
}

export interface Grouping {
  readonly spec: GroupSpec;
  /** Records grouped (the selection's length). */
  readonly records: number;
  /** Groups found, before `limit`. */
  readonly totalGroups: number;
  /** By count, descending, then key (null last). */
  readonly groups: readonly Group[];
  /**
   * The records of the grouped selection whose group is one of `keys`, in the selection's order
   * (selecting groups filters the view to them). Keys of no group select nothing.
   */
  select(keys: readonly (string | null)[]): Uint32Array;
}

type IdArray = Uint8Array | Uint16Array | Uint32Array;

const UNREAD = 0xffffffff;
/** Tag slots: one per tag bit, and one for records without a tag. */
const TAG_SLOTS = 33;
const NO_TAG = 32;

/** A named field's values, read through the record callback once per record and interned. */
class FieldColumn {
  ids = new Uint32Array(0).fill(UNREAD);
  /** Index = id; id 0 is "the record has no such field". */
  readonly values: string[] = [''];
  private readonly byValue = new Map<string, number>();

  constructor(readonly name: string) {}

  /**
   * Reads the field of every record of the selection (null: all) and of the `also` bitset (the
   * hidden records, for hidden counts) not read yet, in increasing record order.
   */
  fill(
    selection: Uint32Array | null,
    also: { readonly bits: Uint32Array; readonly records: number } | undefined,
    records: number,
    read: RecordReader | undefined,
  ): void {
    if (this.ids.length < records) {
      const grown = new Uint32Array(Math.max(records, this.ids.length * 2)).fill(UNREAD);
      grown.set(this.ids);
      this.ids = grown;
    }
    const ids = this.ids;
    const visit = (record: number): void => {
      if (ids[record] !== UNREAD) return;
      if (read === undefined) throw new Error(`grouping by field:${this.name} needs readRecord`);
      const fields = read(record).fields;
      const value = Object.prototype.hasOwnProperty.call(fields, this.name)
        ? fields[this.name]
        : undefined;
      ids[record] = value === undefined ? 0 : this.intern(value);
    };
    if (selection === null) {
      for (let r = 0; r < records; r++) visit(r);
      return;
    }
    if (also === undefined) {
      for (const r of selection) visit(r);
      return;
    }
    // Both, merged into one bitset so that records are still read in increasing order.
    const wanted = new Uint32Array((records + 31) >>> 5);
    wanted.set(also.bits.subarray(0, Math.min(wanted.length, (also.records + 31) >>> 5)));
    for (const r of selection) setBit(wanted, r);
    forEachSetBit(wanted, records, visit);
  }

  idOf(value: string): number {
    return this.byValue.get(value) ?? 0;
  }

  private intern(value: string): number {
    let id = this.byValue.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.byValue.set(value, id);
    }
    return id;
  }
}

/** Per-record ids and what each id is called: a dictionary column or a field column. */
interface KeyedColumn {
  readonly ids: IdArray | null;
  /** Ids run from 0 (no value) to size − 1. */
  readonly size: number;
  keyOf(id: number): string | null;
  /** The id of a value (0: unknown), to select groups without naming every id. */
  idOf(key: string): number;
  /** Roll-up of a value, or null when the value is its own group. */
  readonly rollUp: ((id: number) => string | null) | null;
}

const DICT_COLUMN_OF: Partial<Record<GroupField, DictColumn>> = {
  'src-ip': 'srcIp',
  'cert-host': 'certHost',
  host: 'host',
  code: 'code',
  source: 'source',
  level: 'level',
};

/** Groups one file's records; keeps field columns between calls. */
export class GroupEngine {
  private readonly fields = new Map<string, FieldColumn>();

  constructor(
    private readonly index: LogIndex,
    private readonly catalogue: TagCatalogue = TAG_CATALOGUE,
  ) {}

  /**
   * Groups `selection` (record indexes in increasing order, e.g. a filter outcome's visible
   * records; null: every record) by `spec`.
   */
  group(selection: Uint32Array | null, spec: GroupSpec, options: GroupOptions = {}): Grouping {
    if (spec.by === 'tag') return this.groupByTag(selection, spec, options);
    return this.groupByColumn(selection, spec, options, this.keyedColumn(selection, spec, options));
  }

  private keyedColumn(
    selection: Uint32Array | null,
    spec: GroupSpec,
    options: GroupOptions,
  ): KeyedColumn {
    const records = this.index.count;
    if (spec.by.startsWith('field:')) {
      const name = spec.by.slice(6);
      let column = this.fields.get(name);
      if (column === undefined) {
        column = new FieldColumn(name);
        this.fields.set(name, column);
      }
      column.fill(selection, options.hidden, records, options.readRecord);
      const values = column.values;
      const known = column;
      return {
        ids: column.ids,
        size: values.length,
        keyOf: (id) => (id === 0 ? null : values[id]!),
        idOf: (key) => known.idOf(key),
        rollUp: null,
      };
    }
    const dictColumn = DICT_COLUMN_OF[spec.by];
    if (dictColumn === undefined) throw new Error(`cannot group by ${spec.by}`);
    const dictionary = this.index.dictionary(dictColumn);
    return {
      ids: this.index.idColumn(dictColumn),
      size: dictionary.size + 1,
      keyOf: (id) => dictionary.valueOnce(id),
      idOf: (key) => dictionary.lookup(key),
      rollUp: rollUpOf(spec, dictionary),
    };
  }

  private groupByColumn(
    selection: Uint32Array | null,
    spec: GroupSpec,
    options: GroupOptions,
    column: KeyedColumn,
  ): Grouping {
    const times = this.index.timeColumn();
    const records = this.index.count;
    const size = column.size;
    const ids = column.ids;
    const count = selection === null ? records : selection.length;
    const counts = new Uint32Array(size);
    const first = new Float64Array(size).fill(Infinity);
    const last = new Float64Array(size).fill(-Infinity);
    // The hot loop: one id, one increment and two comparisons per record (NaN compares false).
    if (ids === null) {
      counts[0] = count;
      for (let i = 0; i < count; i++) {
        const t = times[selection === null ? i : selection[i]!]!;
        if (t < first[0]!) first[0] = t;
        if (t > last[0]!) last[0] = t;
      }
    } else if (selection === null) {
      for (let r = 0; r < records; r++) {
        const id = ids[r]!;
        counts[id]!++;
        const t = times[r]!;
        if (t < first[id]!) first[id] = t;
        if (t > last[id]!) last[id] = t;
      }
    } else {
      for (let i = 0; i < count; i++) {
        const r = selection[i]!;
        const id = ids[r]!;
        counts[id]!++;
        const t = times[r]!;
        if (t < first[id]!) first[id] = t;
        if (t > last[id]!) last[id] = t;
      }
    }
    let hiddenCounts: Uint32Array | null = null;
    if (options.hidden !== undefined) {
      hiddenCounts = new Uint32Array(size);
      const target = hiddenCounts;
      forEachSetBit(options.hidden.bits, options.hidden.records, (r) => {
        target[ids === null ? 0 : ids[r]!]!++;
      });
    }

    // Slots: one per id, or one per roll-up key.
    let slotOf: Int32Array | null = null;
    let slotCounts = counts;
    let slotFirst = first;
    let slotLast = last;
    let slotHidden = hiddenCounts;
    let slotKeys: (string | null)[] | null = null;
    if (column.rollUp !== null) {
      slotOf = new Int32Array(size).fill(-1);
      const byKey = new Map<string | null, number>();
      slotKeys = [];
      const sums: number[] = [];
      const hiddenSums: number[] = [];
      const firsts: number[] = [];
      const lasts: number[] = [];
      for (let id = 0; id < size; id++) {
        if (counts[id] === 0 && (hiddenCounts === null || hiddenCounts[id] === 0)) continue;
        const key = id === 0 ? null : (column.rollUp(id) ?? column.keyOf(id));
        let slot = byKey.get(key);
        if (slot === undefined) {
          slot = slotKeys.length;
          byKey.set(key, slot);
          slotKeys.push(key);
          sums.push(0);
          hiddenSums.push(0);
          firsts.push(Infinity);
          lasts.push(-Infinity);
        }
        slotOf[id] = slot;
        sums[slot]! += counts[id]!;
        if (hiddenCounts !== null) hiddenSums[slot]! += hiddenCounts[id]!;
        firsts[slot] = Math.min(firsts[slot]!, first[id]!);
        lasts[slot] = Math.max(lasts[slot]!, last[id]!);
      }
      slotCounts = Uint32Array.from(sums);
      slotHidden = hiddenCounts === null ? null : Uint32Array.from(hiddenSums);
      slotFirst = Float64Array.from(firsts);
      slotLast = Float64Array.from(lasts);
    }
    const keys = slotKeys;
    const keyOfSlot = (slot: number): string | null =>
      keys !== null ? keys[slot]! : slot === 0 ? null : column.keyOf(slot);

    const candidates: number[] = [];
    for (let slot = 0; slot < slotCounts.length; slot++)
      if (slotCounts[slot] !== 0 || (slotHidden !== null && slotHidden[slot] !== 0))
        candidates.push(slot);
    const top = topSlots(candidates, slotCounts, keyOfSlot, options.limit);
    const groups = top.map(({ slot, key }): Group => ({
      key,
      count: slotCounts[slot]!,
      first: finite(slotFirst[slot]!),
      last: finite(slotLast[slot]!),
      ...(slotHidden === null ? {} : { hidden: slotHidden[slot]! }),
    }));
    const slotOfId = slotOf;
    const idToSlot = (id: number): number => (slotOfId === null ? id : slotOfId[id]!);
    const withSparklines =
      options.sparkline === undefined
        ? groups
        : this.addSparklines(groups, top, options.sparkline, selection, (record) =>
            idToSlot(ids === null ? 0 : ids[record]!),
          );
    return {
      spec,
      records: count,
      totalGroups: candidates.length,
      groups: withSparklines,
      select: (wanted) => {
        const chosenIds = new Uint8Array(size);
        if (keys === null) {
          for (const key of wanted) chosenIds[key === null ? 0 : column.idOf(key)] = 1;
          // A key that is not a value maps to id 0; only null selects records without one.
          if (!wanted.includes(null)) chosenIds[0] = 0;
        } else {
          const wantedKeys = new Set(wanted);
          for (let id = 0; id < size; id++) {
            const slot = idToSlot(id);
            if (slot >= 0 && wantedKeys.has(keys[slot]!)) chosenIds[id] = 1;
          }
        }
        return selectWhere(selection, records, (r) => chosenIds[ids === null ? 0 : ids[r]!] === 1);
      },
    };
  }

  private groupByTag(
    selection: Uint32Array | null,
    spec: GroupSpec,
    options: GroupOptions,
  ): Grouping {
    const times = this.index.timeColumn();
    const tags = this.index.tagColumn();
    const records = this.index.count;
    const count = selection === null ? records : selection.length;
    const counts = new Uint32Array(TAG_SLOTS);
    const first = new Float64Array(TAG_SLOTS).fill(Infinity);
    const last = new Float64Array(TAG_SLOTS).fill(-Infinity);
    // A record with several tags counts in each of them; one without any, in the null group.
    for (let i = 0; i < count; i++) {
      const r = selection === null ? i : selection[i]!;
      const t = times[r]!;
      let mask = tags === null ? 0 : tags[r]!;
      if (mask === 0) {
        counts[NO_TAG]!++;
        if (t < first[NO_TAG]!) first[NO_TAG] = t;
        if (t > last[NO_TAG]!) last[NO_TAG] = t;
      }
      while (mask !== 0) {
        const low = mask & -mask;
        mask ^= low;
        const slot = 31 - Math.clz32(low);
        counts[slot]!++;
        if (t < first[slot]!) first[slot] = t;
        if (t > last[slot]!) last[slot] = t;
      }
    }
    let hidden: Uint32Array | null = null;
    if (options.hidden !== undefined) {
      const target = new Uint32Array(TAG_SLOTS);
      forEachSetBit(options.hidden.bits, options.hidden.records, (r) => {
        let mask = tags === null ? 0 : tags[r]!;
        if (mask === 0) target[NO_TAG]!++;
        while (mask !== 0) {
          const low = mask & -mask;
          mask ^= low;
          target[31 - Math.clz32(low)]!++;
        }
      });
      hidden = target;
    }
    const definitions = this.catalogue.definitions;
    const keyOfSlot = (slot: number): string | null =>
      slot === NO_TAG ? null : (definitions[slot]?.id ?? `tag-${slot}`);
    const candidates: number[] = [];
    for (let slot = 0; slot < TAG_SLOTS; slot++)
      if (counts[slot] !== 0 || (hidden !== null && hidden[slot] !== 0)) candidates.push(slot);
    const top = topSlots(candidates, counts, keyOfSlot, options.limit);
    const groups = top.map(({ slot, key }): Group => ({
      key,
      count: counts[slot]!,
      first: finite(first[slot]!),
      last: finite(last[slot]!),
      ...(hidden === null ? {} : { hidden: hidden[slot]! }),
    }));
    const withSparklines =
      options.sparkline === undefined
        ? groups
        : this.addSparklines(groups, top, options.sparkline, selection, null);
    return {
      spec,
      records: count,
      totalGroups: candidates.length,
      groups: withSparklines,
      select: (wanted) => {
        let mask = 0;
        let none = false;
        for (const key of wanted) {
          if (key === null) none = true;
          else {
            const bit = this.catalogue.bitOf(key);
            if (bit >= 0) mask |= 1 << bit;
          }
        }
        return selectWhere(selection, records, (r) => {
          const m = tags === null ? 0 : tags[r]!;
          return m === 0 ? none : (m & mask) !== 0;
        });
      },
    };
  }

  /**
   * Counts per time bucket for the first `options.groups` groups. `slotOfRecord` gives a
   * record's slot; null means tag slots (a record counts for each of its tags).
   */
  private addSparklines(
    groups: Group[],
    top: readonly { slot: number }[],
    options: SparklineOptions,
    selection: Uint32Array | null,
    slotOfRecord: ((record: number) => number) | null,
  ): Group[] {
    const shown = Math.min(options.groups, groups.length);
    const buckets = Math.max(1, Math.floor(options.buckets));
    if (shown <= 0 || !(options.to > options.from)) return groups;
    let maxSlot = 0;
    for (let i = 0; i < shown; i++) maxSlot = Math.max(maxSlot, top[i]!.slot);
    const rankOf = new Int32Array(Math.max(maxSlot + 1, TAG_SLOTS)).fill(-1);
    for (let i = 0; i < shown; i++) rankOf[top[i]!.slot] = i;
    const counts = new Uint32Array(shown * buckets);
    const width = (options.to - options.from) / buckets;
    const tags = this.index.tagColumn();
    const times = this.index.timeColumn();
    const n = selection === null ? this.index.count : selection.length;
    for (let i = 0; i < n; i++) {
      const r = selection === null ? i : selection[i]!;
      const t = times[r]!;
      if (!(t >= options.from && t < options.to)) continue;
      const bucket = Math.min(buckets - 1, Math.floor((t - options.from) / width));
      if (slotOfRecord !== null) {
        const slot = slotOfRecord(r);
        const at = slot >= 0 && slot <= maxSlot ? rankOf[slot]! : -1;
        if (at >= 0) counts[at * buckets + bucket]!++;
        continue;
      }
      let mask = tags === null ? 0 : tags[r]!;
      if (mask === 0 && rankOf[NO_TAG]! >= 0) counts[rankOf[NO_TAG]! * buckets + bucket]!++;
      while (mask !== 0) {
        const low = mask & -mask;
        mask ^= low;
        const at = rankOf[31 - Math.clz32(low)]!;
        if (at >= 0) counts[at * buckets + bucket]!++;
      }
    }
    return groups.map((g, i) =>
      i < shown ? { ...g, sparkline: counts.slice(i * buckets, (i + 1) * buckets) } : g,
    );
  }
}

function finite(t: number): number | null {
  return Number.isFinite(t) ? t : null;
}

/**
 * The top `limit` slots by count (descending), then key (null last). Keys are made only for
 * slots that can still make the cut: with many distinct values, naming them all would cost more
 * than counting.
 */
function topSlots(
  candidates: readonly number[],
  counts: Uint32Array,
  keyOf: (slot: number) => string | null,
  limit: number | undefined,
): { slot: number; key: string | null }[] {
  let kept = candidates;
  if (limit !== undefined && limit < candidates.length) {
    if (limit <= 0) return [];
    const sorted = Uint32Array.from(candidates, (slot) => counts[slot]!).sort();
    const threshold = sorted[sorted.length - limit]!;
    kept = candidates.filter((slot) => counts[slot]! >= threshold);
  }
  const named = kept.map((slot) => ({ slot, key: keyOf(slot) }));
  named.sort((a, b) => {
    const byCount = counts[b.slot]! - counts[a.slot]!;
    if (byCount !== 0) return byCount;
    if (a.key === b.key) return 0;
    if (a.key === null) return 1;
    if (b.key === null) return -1;
    return a.key < b.key ? -1 : 1;
  });
  return limit === undefined ? named : named.slice(0, limit);
}

function forEachSetBit(bits: Uint32Array, records: number, visit: (record: number) => void): void {
  const words = (records + 31) >>> 5;
  for (let w = 0; w < words; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const low = word & -word;
      word ^= low;
      const r = (w << 5) + 31 - Math.clz32(low);
      if (r < records) visit(r);
    }
  }
}

function selectWhere(
  selection: Uint32Array | null,
  records: number,
  keep: (record: number) => boolean,
): Uint32Array {
  const out = new RecordList();
  const count = selection === null ? records : selection.length;
  for (let i = 0; i < count; i++) {
    const r = selection === null ? i : selection[i]!;
    if (keep(r)) out.push(r);
  }
  return out.view().slice();
}

/** The roll-up of a value for the spec, per id (null: the value is its own group). */
function rollUpOf(spec: GroupSpec, dictionary: Dictionary): ((id: number) => string | null) | null {
  if (spec.by === 'src-ip' && (spec.ipv4Prefix !== undefined || spec.ipv6Prefix !== undefined)) {
    const v4 = spec.ipv4Prefix;
    const v6 = spec.ipv6Prefix;
    return (id) => {
      const ip = dictionary.ipv4Of(id);
      if (ip >= 0) return v4 === undefined ? null : ipv4Network(ip, v4);
      const address = parseIpAddress(dictionary.valueOnce(id) ?? '');
      if (!address.ok) return null;
      // ::ffff:a.b.c.d is the IPv4 address a.b.c.d (as filters decide), so it joins its network.
      const other = otherFormOf(address.value);
      if (address.value.family === 6 && other !== null)
        return v4 === undefined ? null : ipv4Network(Number(other.value), v4);
      if (address.value.family === 6 && v6 !== undefined)
        return formatCidr(maskedCidr(address.value, v6));
      return null;
    };
  }
  if ((spec.by === 'host' || spec.by === 'cert-host') && spec.registeredDomain === true) {
    return (id) => {
      const value = dictionary.valueOnce(id);
      return value === null ? null : getDomain(value);
    };
  }
  return null;
}

function ipv4Network(ip: number, prefix: 16 | 24): string {
  const network = prefix === 24 ? ip - (ip % 256) : ip - (ip % 65536);
  return `${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.0/${prefix}`;
}
