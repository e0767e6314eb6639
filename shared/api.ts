/**
 * The one API the UI uses. The Session (electron/session) implements {@link SessionApi} in
 * plain Node; Electron IPC (electron/ipc.ts + preload) and the test bridge (electron/bridge) are
 * two thin adapters over it, so end-to-end tests exercise the real Session. The renderer sees
 * {@link LogSieveApi}: the same methods, except that it names files by handing over what the user
 * dropped or picked, never by path.
 */
import type { CommandId } from './commands/commands';
import type { LinkedFinding } from './findings/links';
import type { FormatId, FormatInfo, FormatOptions, TextEncoding } from './formats/types';
import type { FileId, RecordIndex, RowIndex } from './ids';
import type { CommonColumn } from './record';
import type { Result, UserError } from './result';
import type { RecentListId } from './settings/recent';
import type { Settings, SettingsChange } from './settings/settings';

export type FileState = 'loading' | 'ready' | 'cancelled' | 'error';

export interface FileSummary {
  readonly id: FileId;
  /**
   * Grows with every change of this file's summary. Summaries reach the UI by two roads (call
   * replies and events) that may cross; the higher revision is the newer one.
   */
  readonly revision: number;
  /** File name as the user knows it (no directory). */
  readonly name: string;
  /** Where the user opened it from, for display; null when the file came from the browser (bridge). */
  readonly location: string | null;
  readonly size: number;
  readonly modifiedMs: number;
  readonly state: FileState;
  /** Format in use (null: not text and no binary format claims it, or not yet detected). */
  readonly format: FormatId | null;
  /** What detection chose; differs from `format` when the user overrode it. */
  readonly detectedFormat: FormatId | null;
  readonly formatOverridden: boolean;
  readonly encoding: TextEncoding | null;
  readonly options: FormatOptions;
  readonly bytesRead: number;
  readonly records: number;
  readonly parsed: number;
  readonly flagged: number;
  /** UTC ms of the earliest and latest record, null when no record has a time. */
  readonly firstTime: number | null;
  readonly lastTime: number | null;
  /** Bytes the worker's index holds for this file. */
  readonly indexBytes: number;
  /** Common columns with at least one value, in display order. */
  readonly columns: readonly CommonColumn[];
  /** Problems with the file as a whole (binary data, permission denied, truncated, chunks skipped). */
  readonly errors: readonly UserError[];
  /** Records per signature tag id (tags with no record are left out). */
  readonly tags: Readonly<Record<string, number>>;
}

export interface LoadProgress {
  readonly fileId: FileId;
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly records: number;
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
  /** Estimated ms until loading ends, null until there is a rate to go by. */
  readonly etaMs: number | null;
}

export type SessionEvent =
  | { readonly type: 'file-added'; readonly file: FileSummary }
  | { readonly type: 'file-changed'; readonly file: FileSummary }
  | { readonly type: 'file-removed'; readonly fileId: FileId }
  | { readonly type: 'progress'; readonly progress: LoadProgress };

/** What one rule of the filter set does to the open files (all files together). */
export interface RuleCounts {
  readonly id: string;
  /** Records the rule's conditions match (also for a disabled rule: what it would do). */
  readonly matches: number;
  /** Records the rule hides now (0 when disabled, for block rules, or with the filters off). */
  readonly hidden: number;
  /** Records hidden by this rule and by no other. */
  readonly hiddenOnly: number;
  /** Shown records an enabled block rule marks. */
  readonly marked: number;
}

/** What the rows show: `visible` (the filters apply), `hidden` (only what they hide), `all` (off). */
export type FilterMode = 'visible' | 'hidden' | 'all';

/** Keys of the common columns, tags and named fields that rows can be grouped by. */
export type GroupBy =
  'src-ip' | 'cert-host' | 'host' | 'code' | 'tag' | 'source' | 'level' | `field:${string}`;

/** A grouping: the key and its roll-up (IPv4 by /24 or /16, IPv6 by /48 or /64, hosts by domain). */
export interface GroupKeySpec {
  readonly by: GroupBy;
  readonly ipv4Prefix?: 16 | 24;
  readonly ipv6Prefix?: 48 | 64;
  readonly registeredDomain?: boolean;
}

/**
 * Which records every file's rows come through. One view for the whole session: the filter set
 * applies to every open file, the time window and the group selection too.
 */
export interface ViewSettings {
  /** The filter set in force (validated by the Session); null: no rules. */
  readonly filters: unknown;
  readonly mode: FilterMode;
  /** Only records whose group (under `spec`) is one of `keys` (null key: no value). */
  readonly groups: {
    readonly spec: GroupKeySpec;
    readonly keys: readonly (string | null)[];
  } | null;
  /** Only records with a time in `[from, to)`, UTC ms. */
  readonly window: { readonly from: number; readonly to: number } | null;
  /** Files switched off in the view (their rows are not shown, their counts not added). */
  readonly hiddenFiles?: readonly FileId[];
}

/** The view's effect on one file. */
export interface FileViewCounts {
  readonly fileId: FileId;
  readonly total: number;
  /** Records the filters let through (all of them with the filters off). */
  readonly visible: number;
  readonly hidden: number;
  /** Rows the view shows now (after the mode, the group selection and the time window). */
  readonly rows: number;
}

/** The filter set's effect on the open files, all files together. */
export interface FilterSummary {
  /** Grows with every `setView`; rows pages carry it so a grid can drop pages of an older view. */
  readonly version: number;
  readonly total: number;
  readonly visible: number;
  readonly hidden: number;
  readonly marked: number;
  /** Rows shown now, all files together. */
  readonly rows: number;
  readonly rules: readonly RuleCounts[];
  readonly files: readonly FileViewCounts[];
  /** False while a file is still loading (counts grow). */
  readonly complete: boolean;
  /** Time the filter engine took, ms (slowest file). */
  readonly elapsedMs: number;
}

export interface GroupsRequest extends GroupKeySpec {
  /** At most this many groups (default 500). */
  readonly limit?: number;
  /** Buckets of each group's sparkline over the files' time range (0: none; default 40). */
  readonly sparkline?: number;
  /** Only these files (default: every file the view shows). */
  readonly fileIds?: readonly FileId[];
}

export interface GroupRow {
  readonly key: string | null;
  /** Rows of the view in this group (filters and time window applied, group selection not). */
  readonly count: number;
  /** Share of the view's rows, 0–1. */
  readonly share: number;
  readonly first: number | null;
  readonly last: number | null;
  /** Records of this group the filters hide. */
  readonly hidden: number;
  /** Counts per bucket over [`sparklineFrom`, `sparklineTo`). */
  readonly sparkline: readonly number[];
}

export interface GroupsResult extends GroupKeySpec {
  readonly version: number;
  readonly total: number;
  readonly visible: number;
  readonly hidden: number;
  /** Groups found before `limit`. */
  readonly totalGroups: number;
  readonly groups: readonly GroupRow[];
  readonly sparklineFrom: number | null;
  readonly sparklineTo: number | null;
  readonly elapsedMs: number;
}

export interface TimelineRequest {
  /** Range `[from, to)`, UTC ms; default the files' whole time range. */
  readonly from?: number;
  readonly to?: number;
  readonly stackBy?: 'level' | 'tag' | null;
}

export interface TimelineSeriesData {
  readonly kind: 'value' | 'other' | 'none';
  readonly key: string | null;
  readonly counts: readonly number[];
  readonly total: number;
}

export interface TimelineResult {
  readonly version: number;
  /** Start of the first bucket, UTC ms. */
  readonly start: number;
  readonly bucketMs: number;
  readonly from: number;
  readonly to: number;
  readonly totals: readonly number[];
  readonly series: readonly TimelineSeriesData[];
  readonly untimed: number;
  /** No record of the view has a time. */
  readonly empty: boolean;
}

export interface FindRequest {
  readonly fileId: FileId;
  readonly pattern: string;
  readonly regex: boolean;
  readonly caseSensitive: boolean;
}

export interface FindResult {
  /** Records that match, in the whole file. */
  readonly matches: number;
  /** Of those, rows the view shows now. */
  readonly inView: number;
  /** False when cancelled (the counts are of what was searched). */
  readonly complete: boolean;
  readonly elapsedMs: number;
  readonly bytesScanned: number;
}

/** Record order in a view: as in the file, or by time (records without a time last). */
export type RowOrder = 'file' | 'time';

export interface ViewQuery {
  readonly fileId: FileId;
  readonly order: RowOrder;
  readonly descending: boolean;
}

/** One row of the grid: the indexed columns plus the start of the record's text. */
export interface RowData {
  readonly row: RowIndex;
  readonly record: RecordIndex;
  readonly line: number;
  readonly offset: number;
  readonly time: number | null;
  readonly srcIp: string | null;
  readonly level: string | null;
  readonly code: string | null;
  readonly source: string | null;
  readonly host: string | null;
  readonly certHost: string | null;
  /** The message, cut to {@link ROW_TEXT_LIMIT} characters. */
  readonly message: string;
  /** The record as written, cut to {@link ROW_TEXT_LIMIT} characters. */
  readonly raw: string;
  /** Ids of the record's flags (see RECORD_FLAGS). */
  readonly flags: readonly string[];
  /** Ids of the record's signature tags (see shared/tags/catalog.ts). */
  readonly tags: readonly string[];
}

export const ROW_TEXT_LIMIT = 2000;
/** Most rows one `rows` call returns. */
export const MAX_PAGE_ROWS = 1000;

export interface RowsPage {
  /** Rows in the view now (grows while the file loads). */
  readonly total: number;
  readonly rows: readonly RowData[];
  /** False while the file is still loading. */
  readonly complete: boolean;
  /** The view (`FilterSummary.version`) the rows belong to. */
  readonly version: number;
}

export interface FlagDetail {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly problem: boolean;
}

export interface TagDetail {
  readonly id: string;
  readonly title: string;
  readonly explanation: string;
}

export interface RecordDetail {
  readonly fileId: FileId;
  readonly fileName: string;
  readonly format: FormatId;
  readonly record: RecordIndex;
  readonly line: number;
  readonly lastLine: number;
  readonly offset: number;
  /** Bytes in the file (0 for binary formats, whose records are not contiguous text). */
  readonly length: number;
  readonly time: number | null;
  readonly srcIp: string | null;
  readonly level: string | null;
  readonly code: string | null;
  readonly source: string | null;
  readonly host: string | null;
  readonly certHost: string | null;
  readonly message: string | null;
  /** The whole record as text (up to {@link DETAIL_TEXT_LIMIT} bytes). */
  readonly raw: string;
  readonly truncated: boolean;
  readonly invalidUtf8: boolean;
  readonly fields: readonly (readonly [string, string])[];
  readonly flags: readonly FlagDetail[];
  readonly tags: readonly TagDetail[];
  readonly notes: readonly string[];
}

export const DETAIL_TEXT_LIMIT = 16 * 1024 * 1024;

/** What the Session does, with serialisable arguments only. */
export interface SessionApi {
  /** Open files or folders by path. Only the main process and the bridge call this. */
  openPaths(paths: readonly string[]): Promise<readonly FileSummary[]>;
  listFiles(): Promise<readonly FileSummary[]>;
  listFormats(): Promise<readonly FormatInfo[]>;
  closeFile(fileId: FileId): Promise<void>;
  cancelLoad(fileId: FileId): Promise<void>;
  /** Re-read the file with another format (null: detect again) or other options. */
  setFormat(fileId: FileId, format: FormatId | null, options?: FormatOptions): Promise<FileSummary>;
  rows(query: ViewQuery, start: number, end: number): Promise<RowsPage>;
  record(fileId: FileId, record: RecordIndex): Promise<RecordDetail>;
  /** Row of the record that holds 1-based `line`, or null when the line is past the end. */
  locateLine(query: ViewQuery, line: number): Promise<RowIndex | null>;
  /** Set which records the rows show (filters, mode, group selection, time window). */
  setView(view: ViewSettings): Promise<FilterSummary>;
  /** The current view's counts again (e.g. while files load). */
  viewSummary(): Promise<FilterSummary>;
  /** Group the view's rows of every shown file. */
  groups(request: GroupsRequest): Promise<GroupsResult>;
  /** The histogram of the view's rows over time, all shown files merged by time. */
  timeline(request: TimelineRequest): Promise<TimelineResult>;
  /** Search one file's raw records; the matches stay with the file until the next find. */
  find(request: FindRequest): Promise<FindResult>;
  /** Stop a running find (its promise resolves with what was found). */
  cancelFind(fileId: FileId): Promise<void>;
  /** The next (or previous) row at or after (before) `from` that holds a match; null: none. */
  findNext(query: ViewQuery, from: number, backwards: boolean): Promise<RowIndex | null>;
  /** Row of a record in the view, or null when the view does not show it. */
  rowOfRecord(query: ViewQuery, record: RecordIndex): Promise<RowIndex | null>;
  /** First row at or after a time (for a click on the timeline), or null. */
  rowAtTime(query: ViewQuery, time: number): Promise<RowIndex | null>;
  /**
   * The file's behaviour findings (periodic, recurring bursts, dominant sources, certificate
   * hosts), most records first; each lists in `links` the findings of the other open files that
   * line up with it (shared/findings/links.ts).
   */
  findings(fileId: FileId): Promise<readonly LinkedFinding[]>;
}

/** Method names of {@link SessionApi}, from which IPC channels are derived (never typed twice). */
export const SESSION_METHODS = [
  'openPaths',
  'listFiles',
  'listFormats',
  'closeFile',
  'cancelLoad',
  'setFormat',
  'rows',
  'record',
  'locateLine',
  'setView',
  'viewSummary',
  'groups',
  'timeline',
  'find',
  'cancelFind',
  'findNext',
  'rowOfRecord',
  'rowAtTime',
  'findings',
] as const satisfies readonly (keyof SessionApi)[];
// Compile-time check that the list is complete.
type MissingMethod = Exclude<keyof SessionApi, (typeof SESSION_METHODS)[number]>;
export const SESSION_METHODS_COMPLETE: [MissingMethod] extends [never] ? true : never = true;

/** Methods the renderer may call directly; `openPaths` is not one (files come from the user). */
export type RendererMethods = Omit<SessionApi, 'openPaths'>;
export const RENDERER_METHODS = SESSION_METHODS.filter(
  (m): m is Exclude<(typeof SESSION_METHODS)[number], 'openPaths'> => m !== 'openPaths',
);

/** The settings as they are now, and what went wrong reading or saving them. */
export interface SettingsSnapshot {
  /** Grows with every change; replies and events may cross, and the higher revision is newer. */
  readonly revision: number;
  readonly settings: Settings;
  /** Problems to tell the user about (a bad settings file, a failed save); empty when all is well. */
  readonly problems: readonly UserError[];
  /** True when changes are not saved (the file was written by a newer LogSieve). */
  readonly readOnly: boolean;
}

/** What the About box shows. */
export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly host: 'electron' | 'bridge';
  /** `process.platform` of the process that serves the UI. */
  readonly platform: string;
  /** Versions of the runtime parts (`electron`, `chrome`, `node`), as far as they apply. */
  readonly versions: Readonly<Record<string, string>>;
}

/**
 * Events of the app around the Session: the settings changed; a native menu item chose a command
 * the window carries out; something the main process did on its own (a recent file from the
 * native menu) went wrong and the user should be told.
 */
export type AppEvent =
  | { readonly type: 'settings-changed'; readonly snapshot: SettingsSnapshot }
  | { readonly type: 'command'; readonly command: CommandId }
  | { readonly type: 'notice'; readonly error: UserError }
  /** Files the app opened for the user (any door: the window, command line, a second launch). */
  | { readonly type: 'opened'; readonly fileIds: readonly FileId[] }
  /** A filter set the user reopened from File ▸ Open Recent (desktop): its text, for the window to load. */
  | { readonly type: 'filter-set-opened'; readonly file: TextFile; readonly text: string };

/** The `type`s of {@link AppEvent}, to tell them from Session events on a shared connection. */
export const APP_EVENT_TYPES: readonly AppEvent['type'][] = [
  'settings-changed',
  'command',
  'notice',
  'filter-set-opened',
];

/**
 * What the app keeps for the user between runs, the same in the desktop app and the bridge
 * (electron/desktop/app-state.ts implements it over the settings file in the user-data folder).
 */
export interface AppApi {
  getSettings(): Promise<SettingsSnapshot>;
  /** Applies a change (each value checked) and saves it; resolves to the new snapshot. */
  changeSettings(change: SettingsChange): Promise<SettingsSnapshot>;
  /**
   * Opens a file of the recent-files list again. Only paths on that list are accepted: the
   * renderer cannot name other paths. A file that is gone is taken off the list.
   */
  openRecentFile(path: string): Promise<readonly FileSummary[]>;
  clearRecent(list: RecentListId): Promise<SettingsSnapshot>;
  appInfo(): Promise<AppInfo>;
}

/** Method names of {@link AppApi}, from which IPC channels are derived. */
export const APP_METHODS = [
  'getSettings',
  'changeSettings',
  'openRecentFile',
  'clearRecent',
  'appInfo',
] as const satisfies readonly (keyof AppApi)[];
type MissingAppMethod = Exclude<keyof AppApi, (typeof APP_METHODS)[number]>;
export const APP_METHODS_COMPLETE: [MissingAppMethod] extends [never] ? true : never = true;

/**
 * Across a process boundary a call resolves to a Result: errors the user caused arrive as data
 * with their code and hint (Electron's IPC and structured cloning keep only an Error's message).
 */
export type Transported<Api> = {
  [K in keyof Api]: Api[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => Promise<Result<R>>
    : Api[K];
};

/** What the user dropped or picked: a browser File, as far as shared code needs to know. */
export interface PickedFile {
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
}

/** Kinds of text files the UI saves and opens (each has its own dialog filters and extension). */
export type TextFileKind = 'filter-set' | 'configuration';

export interface SaveTextRequest {
  readonly kind: TextFileKind;
  /** File name offered in the Save dialog (or used for the browser's download). */
  readonly suggestedName: string;
  readonly text: string;
  /**
   * Save over the file this handle stands for (from an earlier open or save) without asking.
   * Handles are opaque: the renderer never sees a path.
   */
  readonly handle?: string;
}

export interface TextFile {
  /** The file's name as the user knows it (no directory). */
  readonly name: string;
  /** Stands for the file in later saves; null where the host cannot save over it (browser downloads). */
  readonly handle: string | null;
}

/** What the renderer can ask for besides the Session's own methods. */
export interface HostMethods {
  /** Open what the user dropped or chose with a file input. */
  openPicked(files: readonly PickedFile[]): Promise<readonly FileSummary[]>;
  /** Show the platform's Open dialog (desktop only; the bridge uses a file input). */
  showOpenDialog(): Promise<readonly FileSummary[]>;
  /** Put text on the clipboard (the page itself is denied clipboard access). */
  copyText(text: string): Promise<void>;
  /** Save text: atomically, through a Save dialog unless a handle says where; null when cancelled. */
  saveText(request: SaveTextRequest): Promise<TextFile | null>;
  /** Open a text file through the platform's Open dialog (desktop only); null when cancelled. */
  openText(kind: TextFileKind): Promise<(TextFile & { readonly text: string }) | null>;
}

/** `window.logsieve`: the whole surface the renderer has (the preload or the bridge client provides it). */
export type LogSieveApi = Transported<RendererMethods & AppApi & HostMethods> & {
  /** Where the UI runs: the desktop app, or a browser through the local bridge. */
  readonly host: 'electron' | 'bridge';
  /** Session events; returns the function that unsubscribes. */
  onEvent(listener: (event: SessionEvent) => void): () => void;
  /** App events (settings, native menu commands); returns the function that unsubscribes. */
  onAppEvent(listener: (event: AppEvent) => void): () => void;
};

/** The IPC channel of a method: derived from the method name, never typed by hand. */
export function channelOf(method: string): string {
  return `logsieve:${method}`;
}
export const EVENT_CHANNEL = 'logsieve:event';
export const APP_EVENT_CHANNEL = 'logsieve:app-event';

/** Most characters `copyText` takes (a whole record, with room to spare). */
export const MAX_COPY_TEXT = 32 * 1024 * 1024;
