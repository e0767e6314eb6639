/**
 * One file's view in its worker: which records the rows show (the filter set, the mode, the
 * group selection and the time window) and in which order, plus the matches of the last find.
 * Everything is derived from the columnar index with typed arrays and cached until the view or
 * the record count changes, so paging, jumping and counting never touch the file.
 */
import type { FileViewCounts, GroupKeySpec, RowOrder, ViewQuery } from '../../shared/api';
import type { MatchableRecord } from '../../shared/filters/match';
import type { WorkerView } from '../../shared/protocol';
import type { FileId } from '../../shared/ids';
import type { LogIndex } from '../../shared/index/log-index';
import { timeOrder } from '../../shared/index/order';
import { FilterEngine, type FilterOutcome } from '../../shared/query/filter-engine';
import { GroupEngine, type GroupOptions, type Grouping } from '../../shared/query/groups';
import { timeWindow } from '../../shared/query/timeline';

export const EVERYTHING: WorkerView = {
  filters: null,
  mode: 'all',
  groups: null,
  window: null,
  off: false,
};

/** Reads one record's matchable values (for text, regex and field conditions, and field groups). */
export type MatchReader = (record: number) => MatchableRecord;

interface Derived {
  /** Records of the index when derived. */
  readonly count: number;
  readonly outcome: FilterOutcome | null;
  /** Records the filters let through (or hide, in hidden mode) before groups and window; null: all. */
  readonly filtered: Uint32Array | null;
  /** The rows in file order; null: every record. */
  readonly rows: Uint32Array | null;
  /** The rows in time order (null: the same as file order); undefined until asked for. */
  byTime: Uint32Array | null | undefined;
  /** Row (in file order or time order) of each record, -1 when not shown; built on demand. */
  timeRowOf: Int32Array | null;
}

function hasBit(bits: Uint32Array, i: number): boolean {
  return ((bits[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
}

function bitsOf(records: Uint32Array, count: number): Uint32Array {
  const bits = new Uint32Array((count + 31) >>> 5);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    bits[r >>> 5]! |= 1 << (r & 31);
  }
  return bits;
}

export class FileView {
  private view: WorkerView = EVERYTHING;
  private readonly engine: FilterEngine;
  private readonly grouper: GroupEngine;
  private derived: Derived | null = null;
  /** The file's time order over every record, for the record count it was computed for. */
  private fullTimeOrder: { count: number; order: Uint32Array | null } | null = null;
  private matchBits: Uint32Array | null = null;
  private matchCount = 0;
  /** Milliseconds the last derivation took (filter engine, groups, window). */
  lastElapsedMs = 0;

  constructor(
    private readonly index: LogIndex,
    private readonly reader: MatchReader,
    private readonly loading: () => boolean,
  ) {
    this.engine = new FilterEngine(index);
    this.grouper = new GroupEngine(index);
  }

  setView(view: WorkerView): void {
    this.view = view;
    this.derived = null;
  }

  /** The rows as they are now; recomputed when the view changed or the file grew. */
  private current(): Derived {
    const count = this.index.count;
    const cached = this.derived;
    if (cached !== null && cached.count === count) return cached;
    const started = performance.now();
    const view = this.view;
    const outcome =
      view.filters === null || view.filters.rules.length === 0
        ? null
        : this.engine.run(view.filters, {
            mode: view.mode === 'hidden' ? 'hidden' : 'visible',
            readRecord: this.reader,
          });
    let filtered: Uint32Array | null = null;
    if (view.mode === 'hidden') filtered = outcome?.selection ?? new Uint32Array(0);
    else if (view.mode === 'visible' && outcome !== null) filtered = outcome.selection;
    let rows = filtered;
    if (view.off) rows = new Uint32Array(0);
    else {
      if (view.groups !== null)
        rows = this.group(rows, view.groups.spec, {}).select(view.groups.keys);
      if (view.window !== null)
        rows = timeWindow(this.index, rows, view.window.from, view.window.to);
    }
    const fresh: Derived = {
      count,
      outcome,
      filtered,
      rows,
      byTime: undefined,
      timeRowOf: null,
    };
    this.derived = fresh;
    this.lastElapsedMs = performance.now() - started;
    return fresh;
  }

  counts(fileId: FileId): FileViewCounts & { readonly marked: number } {
    const d = this.current();
    const total = d.count;
    const visible = d.outcome === null ? total : d.outcome.visible;
    return {
      fileId,
      total,
      visible,
      hidden: total - visible,
      marked: d.outcome?.marked ?? 0,
      rows: d.rows === null ? total : d.rows.length,
    };
  }

  /** Per-rule counts of the filter set in force (empty without one). */
  ruleCounts(): FilterOutcome['rules'] {
    return this.current().outcome?.rules ?? [];
  }

  get rowCount(): number {
    const d = this.current();
    return d.rows === null ? d.count : d.rows.length;
  }

  /** The rows in time order; null when that is file order (logs are nearly always in order). */
  private timeRows(d: Derived): Uint32Array | null {
    if (d.byTime !== undefined) return d.byTime;
    const full = this.timeOrderOfAll();
    if (full === null) d.byTime = null;
    else if (d.rows === null)
      d.byTime = full.length === d.count ? full : extendOrder(full, d.count);
    else {
      const member = bitsOf(d.rows, d.count);
      const out = new Uint32Array(d.rows.length);
      let n = 0;
      for (let i = 0; i < full.length; i++) {
        const r = full[i]!;
        if (hasBit(member, r)) out[n++] = r;
      }
      // Records added since the full order was computed follow in file order.
      for (let i = 0; i < d.rows.length && n < out.length; i++)
        if (d.rows[i]! >= full.length) out[n++] = d.rows[i]!;
      d.byTime = out;
    }
    return d.byTime;
  }

  /**
   * The time order of every record (null: file order). While the file loads, an order computed
   * for fewer records is reused (new records follow in file order) rather than sorting again on
   * every page.
   */
  private timeOrderOfAll(): Uint32Array | null {
    const count = this.index.count;
    const cached = this.fullTimeOrder;
    if (cached !== null && (cached.count === count || this.loading())) return cached.order;
    const order = timeOrder(this.index.timeColumn(), count);
    this.fullTimeOrder = { count, order };
    return order;
  }

  /** Forget orders computed while loading (called when the file is complete). */
  loaded(): void {
    this.fullTimeOrder = null;
    this.derived = null;
  }

  /** The record at `row` of the view, or -1 past the end. */
  recordAt(order: RowOrder, descending: boolean, row: number): number {
    const d = this.current();
    const total = d.rows === null ? d.count : d.rows.length;
    if (row < 0 || row >= total) return -1;
    const position = descending ? total - 1 - row : row;
    const rows = order === 'time' ? (this.timeRows(d) ?? d.rows) : d.rows;
    return rows === null ? position : rows[position]!;
  }

  /** The view row of `record`, or null when the view does not show it. */
  rowOf(query: ViewQuery, record: number): number | null {
    const d = this.current();
    if (record < 0 || record >= d.count) return null;
    const total = d.rows === null ? d.count : d.rows.length;
    let position: number;
    const byTime = query.order === 'time' ? this.timeRows(d) : null;
    if (byTime === null) {
      if (d.rows === null) position = record;
      else {
        position = lowerBound(d.rows, record);
        if (d.rows[position] !== record) return null;
      }
    } else {
      if (d.timeRowOf === null) {
        const rows = byTime;
        const map = new Int32Array(d.count).fill(-1);
        for (let i = 0; i < rows.length; i++) map[rows[i]!] = i;
        d.timeRowOf = map;
      }
      position = d.timeRowOf[record]!;
      if (position < 0) return null;
    }
    return query.descending ? total - 1 - position : position;
  }

  /** The first row at or after `time` in time order, else the first row of the file at or past it. */
  rowAtTime(query: ViewQuery, time: number): number | null {
    const d = this.current();
    const times = this.index.timeColumn();
    const total = d.rows === null ? d.count : d.rows.length;
    if (query.order === 'time') {
      const rows = this.timeRows(d) ?? d.rows;
      const at = (i: number): number => (rows === null ? i : rows[i]!);
      // Time order puts records without a time (NaN) last; binary search the timed prefix.
      let lo = 0;
      let hi = total;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (times[at(mid)]! < time) lo = mid + 1;
        else hi = mid;
      }
      if (lo >= total || !(times[at(lo)]! >= time)) return null;
      return query.descending ? total - 1 - lo : lo;
    }
    for (let position = 0; position < total; position++) {
      const r = d.rows === null ? position : d.rows[position]!;
      if (times[r]! >= time) return query.descending ? total - 1 - position : position;
    }
    return null;
  }

  // ---- groups -----------------------------------------------------------------------------------

  private group(
    selection: Uint32Array | null,
    spec: GroupKeySpec,
    options: GroupOptions,
  ): Grouping {
    return this.grouper.group(
      selection,
      {
        by: spec.by,
        ...(spec.ipv4Prefix === undefined ? {} : { ipv4Prefix: spec.ipv4Prefix }),
        ...(spec.ipv6Prefix === undefined ? {} : { ipv6Prefix: spec.ipv6Prefix }),
        ...(spec.registeredDomain === undefined ? {} : { registeredDomain: spec.registeredDomain }),
      },
      { ...options, readRecord: this.reader },
    );
  }

  /**
   * Groups of the view's rows before the group selection (filters and time window applied), with
   * the records the filters hide per group when filters are in force.
   */
  groups(
    spec: GroupKeySpec,
    limit: number,
    sparkline: { buckets: number; from: number; to: number } | null,
  ): Grouping {
    const d = this.current();
    const view = this.view;
    let selection = view.off ? new Uint32Array(0) : d.filtered;
    if (!view.off && view.window !== null)
      selection = timeWindow(this.index, selection, view.window.from, view.window.to);
    const outcome = d.outcome;
    return this.group(selection, spec, {
      limit,
      ...(outcome === null
        ? {}
        : { hidden: { bits: outcome.hiddenBits, records: outcome.records } }),
      ...(sparkline === null || sparkline.buckets <= 0
        ? {}
        : {
            sparkline: {
              groups: limit,
              buckets: sparkline.buckets,
              from: sparkline.from,
              to: sparkline.to,
            },
          }),
    });
  }

  /** The rows in file order, null: every record (for the timeline). */
  selection(): Uint32Array | null {
    return this.current().rows;
  }

  // ---- find -------------------------------------------------------------------------------------

  setMatches(records: Uint32Array): void {
    this.matchBits = bitsOf(records, this.index.count);
    this.matchCount = records.length;
  }

  get matches(): number {
    return this.matchCount;
  }

  /** Matching records the view shows. */
  matchesInView(): number {
    const bits = this.matchBits;
    if (bits === null) return 0;
    const d = this.current();
    if (d.rows === null) return this.matchCount;
    let n = 0;
    for (let i = 0; i < d.rows.length; i++) if (hasBit(bits, d.rows[i]!)) n++;
    return n;
  }

  /** The nearest row from `from` (inclusive) in the direction that holds a match, or null. */
  findNext(query: ViewQuery, from: number, backwards: boolean): number | null {
    const bits = this.matchBits;
    if (bits === null || this.matchCount === 0) return null;
    const total = this.rowCount;
    const step = backwards ? -1 : 1;
    for (let row = Math.max(-1, Math.min(total, from)); row >= 0 && row < total; row += step) {
      const r = this.recordAt(query.order, query.descending, row);
      if (r >= 0 && hasBit(bits, r)) return row;
    }
    return null;
  }
}

/** `order` (a permutation of fewer records) followed by the records added since, in file order. */
function extendOrder(order: Uint32Array, count: number): Uint32Array {
  const out = new Uint32Array(count);
  out.set(order.subarray(0, Math.min(order.length, count)));
  for (let r = order.length; r < count; r++) out[r] = r;
  return out;
}

function lowerBound(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
