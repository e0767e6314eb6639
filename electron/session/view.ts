/**
 * The session's view across files: checking what the renderer asks for, the view each worker
 * gets, and merging the workers' answers (counts, groups, timelines) into one.
 */
import type {
  FileViewCounts,
  FilterSummary,
  GroupKeySpec,
  GroupRow,
  GroupsRequest,
  RuleCounts,
  TimelineSeriesData,
  ViewSettings,
} from '../../shared/api';
import type { FilterSet } from '../../shared/filters/model';
import { validateFilterSet } from '../../shared/filters/persist';
import type { FileId } from '../../shared/ids';
import type { ViewCounts, WorkerGroup, WorkerTimeline, WorkerView } from '../../shared/protocol';
import { isGroupField } from '../../shared/query/groups';
import { userError } from '../../shared/result';
import { SessionError } from './errors';

/** The view in force, checked. */
export interface CheckedView {
  readonly filters: FilterSet | null;
  readonly mode: WorkerView['mode'];
  readonly groups: WorkerView['groups'];
  readonly window: WorkerView['window'];
  readonly hiddenFiles: ReadonlySet<FileId>;
}

export const NO_VIEW: CheckedView = {
  filters: null,
  mode: 'all',
  groups: null,
  window: null,
  hiddenFiles: new Set(),
};

const MAX_GROUP_KEYS = 100_000;

function bad(code: string, message: string): never {
  throw new SessionError(userError(code, message));
}

export function checkedGroupSpec(value: unknown): GroupKeySpec {
  if (typeof value !== 'object' || value === null) bad('view.bad-group', 'A grouping is needed.');
  const spec = value as Record<string, unknown>;
  const by = spec['by'];
  if (typeof by !== 'string' || !isGroupField(by))
    bad(
      'view.bad-group',
      `Cannot group by "${String(by)}": use src-ip, cert-host, host, code, tag, source, level or field:NAME.`,
    );
  const ipv4 = spec['ipv4Prefix'];
  const ipv6 = spec['ipv6Prefix'];
  const domain = spec['registeredDomain'];
  if (ipv4 !== undefined && ipv4 !== 16 && ipv4 !== 24)
    bad('view.bad-group', 'IPv4 addresses roll up by /16 or /24.');
  if (ipv6 !== undefined && ipv6 !== 48 && ipv6 !== 64)
    bad('view.bad-group', 'IPv6 addresses roll up by /48 or /64.');
  if (domain !== undefined && typeof domain !== 'boolean')
    bad('view.bad-group', 'registeredDomain is true or false.');
  return {
    by,
    ...(ipv4 === undefined ? {} : { ipv4Prefix: ipv4 }),
    ...(ipv6 === undefined ? {} : { ipv6Prefix: ipv6 }),
    ...(domain === undefined ? {} : { registeredDomain: domain }),
  };
}

/** Checks a view the renderer sent; a bad filter set is refused with every problem it has. */
export function checkedView(value: unknown): CheckedView {
  if (typeof value !== 'object' || value === null) bad('view.bad', 'A view is needed.');
  const view = value as Partial<Record<keyof ViewSettings, unknown>>;
  let filters: FilterSet | null = null;
  if (view.filters !== null && view.filters !== undefined) {
    const checked = validateFilterSet(view.filters);
    if (!checked.ok) bad('view.bad-filters', checked.error.map((e) => e.message).join(' '));
    filters = checked.value;
  }
  const mode = view.mode;
  if (mode !== 'visible' && mode !== 'hidden' && mode !== 'all')
    bad('view.bad-mode', 'The mode is visible, hidden or all.');
  let groups: CheckedView['groups'] = null;
  if (view.groups !== null && view.groups !== undefined) {
    const g = view.groups as { spec?: unknown; keys?: unknown };
    const keys = g.keys;
    if (
      !Array.isArray(keys) ||
      keys.length > MAX_GROUP_KEYS ||
      !keys.every((k) => k === null || typeof k === 'string')
    )
      bad('view.bad-group', `Select at most ${MAX_GROUP_KEYS} groups, each a text or null.`);
    groups = { spec: checkedGroupSpec(g.spec), keys: keys as (string | null)[] };
  }
  let window: CheckedView['window'] = null;
  if (view.window !== null && view.window !== undefined) {
    const w = view.window as { from?: unknown; to?: unknown };
    if (
      typeof w.from !== 'number' ||
      typeof w.to !== 'number' ||
      !Number.isFinite(w.from) ||
      !Number.isFinite(w.to) ||
      w.from >= w.to
    )
      bad('view.bad-window', 'A time window needs a start before its end.');
    window = { from: w.from, to: w.to };
  }
  const hidden = view.hiddenFiles ?? [];
  if (!Array.isArray(hidden) || !hidden.every((id) => typeof id === 'number'))
    bad('view.bad-files', 'hiddenFiles is a list of file ids.');
  return { filters, mode, groups, window, hiddenFiles: new Set(hidden as FileId[]) };
}

export function workerView(view: CheckedView, fileId: FileId): WorkerView {
  return {
    filters: view.filters,
    mode: view.mode,
    groups: view.groups,
    window: view.window,
    off: view.hiddenFiles.has(fileId),
  };
}

/** Adds up the files' counts; rules in the filter set's order. */
export function mergeCounts(
  view: CheckedView,
  version: number,
  files: readonly { readonly fileId: FileId; readonly counts: ViewCounts }[],
  complete: boolean,
): FilterSummary {
  const rules = new Map<
    string,
    { matches: number; hidden: number; hiddenOnly: number; marked: number }
  >();
  for (const rule of view.filters?.rules ?? [])
    rules.set(rule.id, { matches: 0, hidden: 0, hiddenOnly: 0, marked: 0 });
  let total = 0;
  let visible = 0;
  let hidden = 0;
  let marked = 0;
  let rows = 0;
  let elapsedMs = 0;
  const perFile: FileViewCounts[] = [];
  for (const { fileId, counts } of files) {
    const off = view.hiddenFiles.has(fileId);
    perFile.push({
      fileId,
      total: counts.total,
      visible: counts.visible,
      hidden: counts.hidden,
      rows: counts.rows,
    });
    elapsedMs = Math.max(elapsedMs, counts.elapsedMs);
    if (off) continue;
    total += counts.total;
    visible += counts.visible;
    hidden += counts.hidden;
    marked += counts.marked;
    rows += counts.rows;
    for (const r of counts.rules) {
      const sum = rules.get(r.id);
      if (sum === undefined) continue;
      sum.matches += r.matches;
      sum.hidden += r.hidden;
      sum.hiddenOnly += r.hiddenOnly;
      sum.marked += r.marked;
    }
  }
  const ruleCounts: RuleCounts[] = [...rules].map(([id, c]) => ({ id, ...c }));
  return {
    version,
    total,
    visible,
    hidden,
    marked,
    rows,
    rules: ruleCounts,
    files: perFile,
    complete,
    elapsedMs,
  };
}

export const DEFAULT_GROUP_LIMIT = 500;
export const MAX_GROUP_LIMIT = 100_000;
export const DEFAULT_SPARKLINE = 40;

export function checkedGroupsRequest(value: unknown): {
  spec: GroupKeySpec;
  limit: number;
  sparkline: number;
  fileIds: readonly FileId[] | null;
} {
  const spec = checkedGroupSpec(value);
  const r = value as GroupsRequest;
  const limit = r.limit ?? DEFAULT_GROUP_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_GROUP_LIMIT)
    bad('groups.bad-limit', `The limit is a whole number from 1 to ${MAX_GROUP_LIMIT}.`);
  const sparkline = r.sparkline ?? DEFAULT_SPARKLINE;
  if (!Number.isInteger(sparkline) || sparkline < 0 || sparkline > 500)
    bad('groups.bad-sparkline', 'A sparkline has 0 to 500 buckets.');
  const fileIds = r.fileIds ?? null;
  if (
    fileIds !== null &&
    (!Array.isArray(fileIds) || !fileIds.every((id) => typeof id === 'number'))
  )
    bad('groups.bad-files', 'fileIds is a list of file ids.');
  return { spec, limit, sparkline, fileIds: fileIds as readonly FileId[] | null };
}

/** Merges the files' groups by key; sorted by count descending, then key (null last). */
export function mergeGroups(
  perFile: readonly (readonly WorkerGroup[])[],
  grouped: number,
  limit: number,
): { groups: GroupRow[]; totalGroups: number } {
  const byKey = new Map<
    string | null,
    { row: Omit<GroupRow, 'share' | 'sparkline'>; spark: number[] | null }
  >();
  for (const groups of perFile)
    for (const g of groups) {
      const seen = byKey.get(g.key);
      if (seen === undefined) {
        byKey.set(g.key, {
          row: { key: g.key, count: g.count, first: g.first, last: g.last, hidden: g.hidden },
          spark: g.sparkline === null ? null : Array.from(g.sparkline),
        });
        continue;
      }
      const row = seen.row;
      seen.row = {
        key: row.key,
        count: row.count + g.count,
        hidden: row.hidden + g.hidden,
        first: minTime(row.first, g.first),
        last: maxTime(row.last, g.last),
      };
      if (g.sparkline !== null) {
        seen.spark ??= new Array<number>(g.sparkline.length).fill(0);
        for (let i = 0; i < g.sparkline.length; i++) seen.spark[i]! += g.sparkline[i]!;
      }
    }
  const all = [...byKey.values()];
  all.sort((a, b) => b.row.count - a.row.count || compareKeys(a.row.key, b.row.key));
  return {
    totalGroups: all.length,
    groups: all.slice(0, limit).map(({ row, spark }) => ({
      ...row,
      share: grouped === 0 ? 0 : row.count / grouped,
      sparkline: spark ?? [],
    })),
  };
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function minTime(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function maxTime(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/** Adds up the files' histograms (same range and buckets); series largest first, then other, none. */
export function mergeTimelines(
  timelines: readonly WorkerTimeline[],
  buckets: number,
): { totals: number[]; series: TimelineSeriesData[]; untimed: number } {
  const totals = new Array<number>(buckets).fill(0);
  const series = new Map<
    string,
    { kind: TimelineSeriesData['kind']; key: string | null; counts: number[] }
  >();
  let untimed = 0;
  for (const t of timelines) {
    untimed += t.untimed;
    for (let i = 0; i < buckets; i++) totals[i]! += t.totals[i] ?? 0;
    for (const s of t.series) {
      const id = `${s.kind}:${s.key ?? ''}`;
      let sum = series.get(id);
      if (sum === undefined) {
        sum = { kind: s.kind, key: s.key, counts: new Array<number>(buckets).fill(0) };
        series.set(id, sum);
      }
      for (let i = 0; i < buckets; i++) sum.counts[i]! += s.counts[i] ?? 0;
    }
  }
  const rank = (kind: TimelineSeriesData['kind']): number =>
    kind === 'value' ? 0 : kind === 'other' ? 1 : 2;
  const list: TimelineSeriesData[] = [...series.values()].map((s) => ({
    ...s,
    total: s.counts.reduce((a, b) => a + b, 0),
  }));
  list.sort((a, b) => rank(a.kind) - rank(b.kind) || b.total - a.total);
  return { totals, series: list, untimed };
}
