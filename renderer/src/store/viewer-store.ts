/**
 * The viewer's state: open files, which one is shown, each file's view (order, selection) and the
 * selected record's detail. Row data is never here: the grid asks the worker for the window on
 * screen. Loading progress changes ten times a second, so it lives in its own small store that only
 * the progress bars read. Both stores come from factories and are injected, so tests can build
 * them over a fake API.
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type {
  FileSummary,
  LoadProgress,
  PickedFile,
  RecordDetail,
  RowOrder,
  SessionEvent,
  ViewQuery,
} from '../../../shared/api';
import type { FormatId, FormatInfo } from '../../../shared/formats/types';
import type { FileId, RecordIndex, RowIndex } from '../../../shared/ids';
import type { UserError } from '../../../shared/result';
import type { Client } from '../api/client';
import { describeError } from '../api/client';

export interface FileView {
  readonly order: RowOrder;
  readonly descending: boolean;
  readonly selectedRow: RowIndex | null;
  readonly selectedRecord: RecordIndex | null;
  /** Bumped when rows already fetched are no longer valid (re-read with another format, reordered). */
  readonly epoch: number;
}

export type DetailState =
  | { readonly status: 'loading'; readonly fileId: FileId; readonly record: RecordIndex }
  | {
      readonly status: 'ready';
      readonly fileId: FileId;
      readonly record: RecordIndex;
      readonly detail: RecordDetail;
      /** The filters changed and now hide this record; it stays in the pane for reference. */
      readonly hiddenByView?: boolean;
    }
  | {
      readonly status: 'error';
      readonly fileId: FileId;
      readonly record: RecordIndex;
      readonly error: UserError;
    };

export interface Notice {
  readonly kind: 'error' | 'info';
  readonly error: UserError;
}

/** The dialogs besides Go to line (which has its own flag). */
export type DialogId = 'settings' | 'columns' | 'shortcuts' | 'about' | 'export';

export interface ViewerState {
  readonly ready: boolean;
  readonly files: readonly FileSummary[];
  readonly activeFileId: FileId | null;
  readonly formats: readonly FormatInfo[];
  readonly views: Readonly<Record<number, FileView>>;
  readonly detail: DetailState | null;
  readonly jumpOpen: boolean;
  readonly dialog: DialogId | null;
  readonly notice: Notice | null;
  /** Set by the grid: a row the grid should scroll to and focus (after a jump). */
  readonly scrollRequest: {
    readonly fileId: FileId;
    readonly row: RowIndex;
    readonly serial: number;
  } | null;
}

export interface ViewerActions {
  init: () => Promise<void>;
  openPicked: (files: readonly PickedFile[]) => Promise<void>;
  openDialog: () => Promise<void>;
  openRecentFile: (path: string) => Promise<void>;
  /** Files opened outside this window (command line, a second launch, the native menu): show the last. */
  showOpened: (fileIds: readonly FileId[]) => void;
  closeFile: (fileId: FileId) => Promise<void>;
  cancelLoad: (fileId: FileId) => Promise<void>;
  setActive: (fileId: FileId) => void;
  setFormat: (fileId: FileId, format: FormatId | null) => Promise<void>;
  setOrder: (fileId: FileId, order: RowOrder, descending: boolean) => void;
  select: (fileId: FileId, row: RowIndex, record: RecordIndex) => Promise<void>;
  /**
   * The view changed (filters, groups, a time window): find the selected record's row in it and
   * go there, or, when the view now hides it, say so in the record pane.
   */
  followSelection: (query: ViewQuery) => Promise<void>;
  jumpToLine: (fileId: FileId, line: number) => Promise<boolean>;
  jumpToRow: (fileId: FileId, row: RowIndex) => void;
  setJumpOpen: (open: boolean) => void;
  setDialog: (dialog: DialogId | null) => void;
  notify: (kind: Notice['kind'], error: UserError) => void;
  dismissNotice: () => void;
}

export type ViewerStore = StoreApi<ViewerState & ViewerActions>;
export type ProgressStore = StoreApi<{ readonly progress: Readonly<Record<number, LoadProgress>> }>;

const DEFAULT_VIEW: FileView = {
  order: 'file',
  descending: false,
  selectedRow: null,
  selectedRecord: null,
  epoch: 0,
};

export function viewOf(state: ViewerState, fileId: FileId): FileView {
  return state.views[fileId] ?? DEFAULT_VIEW;
}

export function activeFile(state: ViewerState): FileSummary | null {
  return state.files.find((f) => f.id === state.activeFileId) ?? null;
}

export function createProgressStore(): ProgressStore {
  return createStore(() => ({ progress: {} }));
}

export function createViewerStore(client: Client, progress: ProgressStore): ViewerStore {
  let scrollSerial = 0;
  const store = createStore<ViewerState & ViewerActions>()((set, get) => {
    const fail = (error: unknown): void =>
      set({ notice: { kind: 'error', error: describeError(error) } });
    const updateView = (fileId: FileId, change: Partial<FileView>): void =>
      set((s) => ({ views: { ...s.views, [fileId]: { ...viewOf(s, fileId), ...change } } }));
    const upsert = (file: FileSummary): void =>
      set((s) => {
        const at = s.files.findIndex((f) => f.id === file.id);
        // A reply and an event can cross on the way; never replace a summary with an older one.
        if (at >= 0 && s.files[at]!.revision > file.revision) return {};
        const files =
          at < 0 ? [...s.files, file] : s.files.map((f) => (f.id === file.id ? file : f));
        return { files, activeFileId: s.activeFileId ?? file.id };
      });
    const opened = (files: readonly FileSummary[]): void => {
      for (const file of files) upsert(file);
      const last = files.at(-1);
      if (last) set({ activeFileId: last.id });
    };

    const onEvent = (event: SessionEvent): void => {
      switch (event.type) {
        case 'file-added':
          upsert(event.file);
          return;
        case 'file-changed': {
          const before = get().files.find((f) => f.id === event.file.id);
          upsert(event.file);
          // A new load (format override) or the end of a load in time order reorders rows.
          const reloaded =
            before !== undefined && before.state !== 'loading' && event.file.state === 'loading';
          const finishedTimeOrder =
            before?.state === 'loading' &&
            event.file.state !== 'loading' &&
            viewOf(get(), event.file.id).order === 'time';
          if (reloaded || finishedTimeOrder) {
            const view = viewOf(get(), event.file.id);
            updateView(event.file.id, {
              epoch: view.epoch + 1,
              ...(reloaded ? { selectedRow: null, selectedRecord: null } : {}),
            });
            if (reloaded && get().detail?.fileId === event.file.id) set({ detail: null });
          }
          return;
        }
        case 'file-removed':
          set((s) => {
            const files = s.files.filter((f) => f.id !== event.fileId);
            const views = Object.fromEntries(
              Object.entries(s.views).filter(([id]) => Number(id) !== event.fileId),
            );
            return {
              files,
              views,
              activeFileId:
                s.activeFileId === event.fileId ? (files.at(-1)?.id ?? null) : s.activeFileId,
              detail: s.detail?.fileId === event.fileId ? null : s.detail,
            };
          });
          return;
        case 'progress':
          progress.setState((p) => ({
            progress: { ...p.progress, [event.progress.fileId]: event.progress },
          }));
          return;
      }
    };

    return {
      ready: false,
      files: [],
      activeFileId: null,
      formats: [],
      views: {},
      detail: null,
      jumpOpen: false,
      dialog: null,
      notice: null,
      scrollRequest: null,

      async init() {
        client.onEvent(onEvent);
        try {
          const [files, formats] = await Promise.all([client.listFiles(), client.listFormats()]);
          set({ formats, ready: true });
          opened(files);
        } catch (error) {
          set({ ready: true });
          fail(error);
        }
      },
      async openPicked(files) {
        if (files.length === 0) return;
        try {
          opened(await client.openPicked(files));
        } catch (error) {
          fail(error);
        }
      },
      async openDialog() {
        try {
          opened(await client.showOpenDialog());
        } catch (error) {
          fail(error);
        }
      },
      async openRecentFile(path) {
        try {
          opened(await client.openRecentFile(path));
        } catch (error) {
          fail(error);
        }
      },
      showOpened(fileIds) {
        const last = fileIds.at(-1);
        if (last !== undefined) set({ activeFileId: last });
      },
      async closeFile(fileId) {
        try {
          await client.closeFile(fileId);
        } catch (error) {
          fail(error);
        }
      },
      async cancelLoad(fileId) {
        try {
          await client.cancelLoad(fileId);
        } catch (error) {
          fail(error);
        }
      },
      setActive(fileId) {
        set({ activeFileId: fileId });
      },
      async setFormat(fileId, format) {
        try {
          upsert(await client.setFormat(fileId, format));
        } catch (error) {
          fail(error);
        }
      },
      setOrder(fileId, order, descending) {
        const view = viewOf(get(), fileId);
        if (view.order === order && view.descending === descending) return;
        updateView(fileId, { order, descending, selectedRow: null, epoch: view.epoch + 1 });
      },
      async select(fileId, row, record) {
        updateView(fileId, { selectedRow: row, selectedRecord: record });
        set({ detail: { status: 'loading', fileId, record } });
        try {
          const detail = await client.record(fileId, record);
          if (get().detail?.record === record && get().detail?.fileId === fileId)
            set({ detail: { status: 'ready', fileId, record, detail } });
        } catch (error) {
          set({ detail: { status: 'error', fileId, record, error: describeError(error) } });
        }
      },
      async jumpToLine(fileId, line) {
        const view = viewOf(get(), fileId);
        try {
          const row = await client.locateLine(
            { fileId, order: view.order, descending: view.descending },
            line,
          );
          if (row === null) {
            set({
              notice: {
                kind: 'info',
                error: {
                  code: 'line.past-end',
                  message: `Line ${line.toLocaleString('en-US')} is past the end of the file.`,
                },
              },
            });
            return false;
          }
          get().jumpToRow(fileId, row);
          return true;
        } catch (error) {
          fail(error);
          return false;
        }
      },
      async followSelection(query) {
        const fileId = query.fileId;
        const record = viewOf(get(), fileId).selectedRecord;
        if (record === null) return;
        let row: RowIndex | null;
        try {
          row = await client.rowOfRecord(query, record);
        } catch {
          return; // The file closed or reloaded meanwhile: nothing left to follow.
        }
        // The user chose another row while the answer was on its way.
        if (viewOf(get(), fileId).selectedRecord !== record) return;
        if (row !== null) {
          get().jumpToRow(fileId, row);
          return;
        }
        updateView(fileId, { selectedRow: null });
        const detail = get().detail;
        if (detail?.status === 'ready' && detail.fileId === fileId && detail.record === record)
          set({ detail: { ...detail, hiddenByView: true } });
      },
      jumpToRow(fileId, row) {
        set({ scrollRequest: { fileId, row, serial: ++scrollSerial } });
      },
      setJumpOpen(open) {
        set({ jumpOpen: open });
      },
      setDialog(dialog) {
        set({ dialog });
      },
      notify(kind, error) {
        set({ notice: { kind, error } });
      },
      dismissNotice() {
        set({ notice: null });
      },
    };
  });
  return store;
}
