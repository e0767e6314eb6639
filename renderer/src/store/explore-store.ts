/**
 * The working surface around the grid: which records the rows show (the filter set in force, the
 * master switch, "show only hidden", the selected groups, the time window, files switched off),
 * the counts the Session reports for that view, the group table, the timeline and the find bar.
 *
 * Every change of the view is one `setView` call; its reply carries a `version` that the grid
 * compares with the pages it receives, so a page of an older view is never shown. Replies can
 * cross (a slow `setView` answered after a quicker, newer one): the store keeps the higher version
 * and drops older answers, of groups and timelines too.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type {
  FilterMode,
  FilterSummary,
  FindResult,
  GroupKeySpec,
  GroupsResult,
  SessionEvent,
  TimelineResult,
  ViewQuery,
  ViewSettings,
} from '../../../shared/api';
import type { FileId, RowIndex } from '../../../shared/ids';
import type { UserError } from '../../../shared/result';
import type { Client } from '../api/client';
import { describeError } from '../api/client';
import type { FiltersState, FiltersStore } from './filters-store';

export type GroupKey = string | null;

/** What the sidebar can show: the rules, the group table, or the file's findings. */
export type SidebarPanel = 'filters' | 'groups' | 'findings';

export interface FindState {
  readonly open: boolean;
  readonly pattern: string;
  readonly regex: boolean;
  readonly caseSensitive: boolean;
  readonly status: 'idle' | 'running' | 'done' | 'error';
  /** The file the result is for. */
  readonly fileId: FileId | null;
  readonly result: FindResult | null;
  readonly error: UserError | null;
  /** The match row shown last (where next/previous go on from). */
  readonly row: RowIndex | null;
  /** Which match that is (1-based), while it is known: counted from the first match on. */
  readonly ordinal: number | null;
  /** Serial of the search, so that the grid re-draws its highlights. */
  readonly serial: number;
}

/** What the message and raw cells highlight: the last search that ran. */
export interface Highlight {
  readonly pattern: string;
  readonly regex: boolean;
  readonly caseSensitive: boolean;
}

export interface ExploreState {
  readonly summary: FilterSummary | null;
  /** Why the last `setView` failed (the filter set was refused), or null. */
  readonly viewError: UserError | null;
  /** The view the grid shows: pages of an older version are dropped. */
  readonly version: number;
  readonly groupSpec: GroupKeySpec;
  /** Group keys the rows are limited to (empty: no group selection). */
  readonly selectedGroups: readonly GroupKey[];
  readonly groups: GroupsResult | null;
  readonly groupsError: UserError | null;
  readonly groupsLoading: boolean;
  readonly window: { readonly from: number; readonly to: number } | null;
  readonly timeline: TimelineResult | null;
  readonly timelineError: UserError | null;
  readonly stackBy: 'level' | 'tag' | null;
  readonly timelineOpen: boolean;
  /** What the sidebar beside the grid shows (the rules or the group table), or null: closed. */
  readonly sidebar: SidebarPanel | null;
  /** Bumped by Ctrl+F: the find bar takes the focus (also when it is open already). */
  readonly findFocus: number;
  readonly hiddenFiles: readonly FileId[];
  readonly find: FindState;
  readonly highlight: Highlight | null;
}

export interface ExploreActions {
  /** Subscribe to the filters store and the Session's events, and set the first view. */
  init: () => Promise<void>;
  /** Send the view (filters, mode, groups, window, files) to the Session. */
  applyView: () => Promise<void>;
  /** Ask the Session for the view's counts again (files load, files come and go). */
  refreshSummary: () => Promise<void>;
  refreshGroups: () => Promise<void>;
  refreshTimeline: () => Promise<void>;
  setGroupSpec: (spec: GroupKeySpec) => void;
  /** A click selects one group; `additive` (Ctrl/Cmd+click) adds or removes it. */
  selectGroup: (key: GroupKey, additive: boolean) => void;
  clearGroups: () => void;
  setWindow: (window: { from: number; to: number } | null) => void;
  setStackBy: (stackBy: 'level' | 'tag' | null) => void;
  setTimelineOpen: (open: boolean) => void;
  /** Show a panel in the sidebar, or close the sidebar (null). */
  setSidebar: (panel: SidebarPanel | null) => void;
  requestFindFocus: () => void;
  toggleFile: (fileId: FileId) => void;
  setFind: (
    change: Partial<Pick<FindState, 'open' | 'pattern' | 'regex' | 'caseSensitive'>>,
  ) => void;
  /** Search the file of `query` and go to the first match at or after `from`. */
  runFind: (query: ViewQuery, from: number) => Promise<RowIndex | null>;
  cancelFind: () => Promise<void>;
  /** The next (previous) match from the last one shown; searches first when the terms changed. */
  findStep: (query: ViewQuery, from: number, backwards: boolean) => Promise<RowIndex | null>;
}

export type ExploreStore = StoreApi<ExploreState & ExploreActions>;

/** The mode the filters store's switches mean. */
export function modeOf(filters: Pick<FiltersState, 'active' | 'showOnlyHidden'>): FilterMode {
  if (!filters.active) return 'all';
  return filters.showOnlyHidden ? 'hidden' : 'visible';
}

/** Rows the view shows of one file, or null before the Session said. */
export function viewRowsOf(summary: FilterSummary | null, fileId: FileId): number | null {
  return summary?.files.find((f) => f.fileId === fileId)?.rows ?? null;
}

const IDLE_FIND: FindState = {
  open: false,
  pattern: '',
  regex: false,
  caseSensitive: false,
  status: 'idle',
  fileId: null,
  result: null,
  error: null,
  row: null,
  ordinal: null,
  serial: 0,
};

/** While files load, counts are asked for again at most this often. */
const LOADING_REFRESH_MS = 500;

export interface ExploreDeps {
  readonly client: Client;
  readonly filters: FiltersStore;
  /** Told about failures that are not shown where they happened. */
  readonly notify?: (error: UserError) => void;
  /** False on a narrow window: the sidebar starts closed so the grid keeps its room. */
  readonly wide?: boolean;
}

export function createExploreStore({ client, filters, notify, wide }: ExploreDeps): ExploreStore {
  let viewSerial = 0;
  let groupsSerial = 0;
  let timelineSerial = 0;
  let findSerial = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;

  return createStore<ExploreState & ExploreActions>()((set, get) => {
    const viewSettings = (): ViewSettings => {
      const f = filters.getState();
      const s = get();
      return {
        filters: f.set,
        mode: modeOf(f),
        groups:
          s.selectedGroups.length === 0 ? null : { spec: s.groupSpec, keys: s.selectedGroups },
        window: s.window,
        hiddenFiles: s.hiddenFiles,
      };
    };

    /** Keeps a summary unless one of a newer view is already here. */
    const takeSummary = (summary: FilterSummary): boolean => {
      const current = get().summary;
      if (current !== null && current.version > summary.version) return false;
      set({ summary, version: summary.version, viewError: null });
      return true;
    };

    const lastRow = (fileId: FileId): number =>
      Math.max(0, (viewRowsOf(get().summary, fileId) ?? 1) - 1);

    const afterViewChange = (): void => {
      void get().refreshGroups();
      void get().refreshTimeline();
    };

    const onEvent = (event: SessionEvent): void => {
      switch (event.type) {
        case 'file-added':
        case 'file-removed':
          void get()
            .refreshSummary()
            .then(() => afterViewChange());
          return;
        case 'file-changed':
          if (event.file.state === 'loading') {
            // Counts grow while a file loads: ask again, but not for every event.
            refreshTimer ??= setTimeout(() => {
              refreshTimer = null;
              void get().refreshSummary();
            }, LOADING_REFRESH_MS);
          } else {
            void get()
              .refreshSummary()
              .then(() => afterViewChange());
          }
          return;
        case 'progress':
          return;
      }
    };

    return {
      summary: null,
      viewError: null,
      version: 0,
      groupSpec: { by: 'src-ip' },
      selectedGroups: [],
      groups: null,
      groupsError: null,
      groupsLoading: false,
      window: null,
      timeline: null,
      timelineError: null,
      stackBy: 'level',
      timelineOpen: true,
      sidebar: wide === false ? null : 'filters',
      findFocus: 0,
      hiddenFiles: [],
      find: IDLE_FIND,
      highlight: null,

      async init() {
        client.onEvent(onEvent);
        filters.subscribe((now, before) => {
          if (
            now.set !== before.set ||
            now.active !== before.active ||
            now.showOnlyHidden !== before.showOnlyHidden
          )
            void get().applyView();
        });
        await get().applyView();
      },

      async applyView() {
        const serial = ++viewSerial;
        try {
          const summary = await client.setView(viewSettings());
          if (serial !== viewSerial && summary.version < (get().summary?.version ?? 0)) return;
          if (takeSummary(summary)) afterViewChange();
        } catch (error) {
          if (serial === viewSerial) set({ viewError: describeError(error) });
        }
      },

      async refreshSummary() {
        try {
          takeSummary(await client.viewSummary());
        } catch (error) {
          notify?.(describeError(error));
        }
      },

      async refreshGroups() {
        const s = get();
        if (s.sidebar !== 'groups') return;
        const serial = ++groupsSerial;
        set({ groupsLoading: true });
        try {
          const groups = await client.groups({ ...s.groupSpec, limit: 500, sparkline: 40 });
          if (serial !== groupsSerial) return;
          set({ groups, groupsError: null, groupsLoading: false });
        } catch (error) {
          if (serial === groupsSerial)
            set({ groupsError: describeError(error), groupsLoading: false });
        }
      },

      async refreshTimeline() {
        const s = get();
        if (!s.timelineOpen) return;
        const serial = ++timelineSerial;
        try {
          const timeline = await client.timeline({ stackBy: s.stackBy });
          if (serial !== timelineSerial) return;
          set({ timeline, timelineError: null });
        } catch (error) {
          if (serial === timelineSerial) set({ timelineError: describeError(error) });
        }
      },

      setGroupSpec(spec) {
        const hadSelection = get().selectedGroups.length > 0;
        set({ groupSpec: spec, selectedGroups: [], groups: null });
        if (hadSelection) void get().applyView();
        else void get().refreshGroups();
      },

      selectGroup(key, additive) {
        const selected = get().selectedGroups;
        const has = selected.includes(key);
        let next: GroupKey[];
        if (additive) next = has ? selected.filter((k) => k !== key) : [...selected, key];
        else next = has && selected.length === 1 ? [] : [key];
        set({ selectedGroups: next });
        void get().applyView();
      },

      clearGroups() {
        if (get().selectedGroups.length === 0) return;
        set({ selectedGroups: [] });
        void get().applyView();
      },

      setWindow(window) {
        if (window !== null && !(window.to > window.from)) return;
        set({ window });
        void get().applyView();
      },

      setStackBy(stackBy) {
        set({ stackBy });
        void get().refreshTimeline();
      },

      setTimelineOpen(open) {
        set({ timelineOpen: open });
        if (open) void get().refreshTimeline();
      },

      setSidebar(panel) {
        set({ sidebar: panel });
        if (panel === 'groups') void get().refreshGroups();
      },

      requestFindFocus() {
        set((s) => ({ findFocus: s.findFocus + 1 }));
      },

      toggleFile(fileId) {
        const hidden = get().hiddenFiles;
        set({
          hiddenFiles: hidden.includes(fileId)
            ? hidden.filter((id) => id !== fileId)
            : [...hidden, fileId],
        });
        void get().applyView();
      },

      setFind(change) {
        const find = get().find;
        const termsChanged =
          (change.pattern !== undefined && change.pattern !== find.pattern) ||
          (change.regex !== undefined && change.regex !== find.regex) ||
          (change.caseSensitive !== undefined && change.caseSensitive !== find.caseSensitive);
        set({
          find: {
            ...find,
            ...change,
            // New terms: the old result no longer says anything about them.
            ...(termsChanged
              ? { status: 'idle', result: null, error: null, row: null, ordinal: null }
              : {}),
          },
        });
      },

      async runFind(query, from) {
        const { pattern, regex, caseSensitive } = get().find;
        if (pattern === '') return null;
        const serial = ++findSerial;
        set((s) => ({
          find: {
            ...s.find,
            status: 'running',
            fileId: query.fileId,
            error: null,
            result: null,
            row: null,
            ordinal: null,
            serial,
          },
        }));
        try {
          const result = await client.find({
            fileId: query.fileId,
            pattern,
            regex,
            caseSensitive,
          });
          if (serial !== findSerial) return null;
          set((s) => ({
            find: { ...s.find, status: 'done', result },
            highlight: { pattern, regex, caseSensitive },
          }));
          if (result.inView === 0) return null;
          const row = await client.findNext(query, from, false);
          if (serial !== findSerial) return null;
          set((s) => ({
            find: { ...s.find, row, ordinal: row !== null && from === 0 ? 1 : null },
          }));
          return row;
        } catch (error) {
          if (serial === findSerial)
            set((s) => ({
              find: { ...s.find, status: 'error', error: describeError(error) },
              highlight: null,
            }));
          return null;
        }
      },

      async cancelFind() {
        const fileId = get().find.fileId;
        if (fileId === null || get().find.status !== 'running') return;
        try {
          await client.cancelFind(fileId);
        } catch (error) {
          notify?.(describeError(error));
        }
      },

      async findStep(query, from, backwards) {
        const find = get().find;
        if (find.status === 'running') return null;
        if (find.status !== 'done' || find.fileId !== query.fileId)
          return get().runFind(query, backwards ? 0 : from);
        if (find.result === null || find.result.inView === 0) return null;
        const start = find.row === null ? from : backwards ? find.row - 1 : find.row + 1;
        try {
          let row = start < 0 ? null : await client.findNext(query, start, backwards);
          let ordinal = find.ordinal === null ? null : find.ordinal + (backwards ? -1 : 1);
          // Past the last (first) match: wrap around, as find bars do.
          if (row === null) {
            row = backwards
              ? await client.findNext(query, lastRow(query.fileId), true)
              : await client.findNext(query, 0, false);
            ordinal = backwards ? find.result.inView : 1;
          }
          set((s) => ({ find: { ...s.find, row, ordinal: row === null ? null : ordinal } }));
          return row;
        } catch (error) {
          set((s) => ({ find: { ...s.find, status: 'error', error: describeError(error) } }));
          return null;
        }
      },
    };
  });
}
