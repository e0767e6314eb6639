/** The viewer store over a fake API: what the UI believes must follow what the Session says. */
import { describe, expect, it } from 'vitest';
import type { FileSummary, RecordDetail, SessionEvent, ViewQuery } from '../../shared/api';
import type { FileId, RecordIndex, RowIndex } from '../../shared/ids';
import type { Client } from '../../renderer/src/api/client';
import { ApiError } from '../../renderer/src/api/client';
import {
  activeFile,
  createProgressStore,
  createViewerStore,
} from '../../renderer/src/store/viewer-store';

function summary(id: number, revision: number, change: Partial<FileSummary> = {}): FileSummary {
  return {
    id: id as FileId,
    revision,
    name: `f${id}.log`,
    location: '/logs',
    size: 10,
    modifiedMs: 0,
    state: 'ready',
    format: 'plain',
    detectedFormat: 'plain',
    formatOverridden: false,
    encoding: 'utf-8',
    options: {},
    bytesRead: 10,
    records: 1,
    parsed: 1,
    flagged: 0,
    firstTime: null,
    lastTime: null,
    indexBytes: 0,
    columns: [],
    errors: [],
    tags: {},
    ...change,
  };
}

function fakeClient(overrides: Partial<Client> = {}) {
  let emit: (event: SessionEvent) => void = () => undefined;
  const client = {
    host: 'bridge',
    onEvent: (listener: (event: SessionEvent) => void) => {
      emit = listener;
      return () => undefined;
    },
    listFiles: () => Promise.resolve([]),
    listFormats: () => Promise.resolve([]),
    ...overrides,
  } as unknown as Client;
  return { client, emit: (e: SessionEvent) => emit(e) };
}

describe('viewer store', () => {
  it('never lets an older summary replace a newer one (replies and events cross)', async () => {
    let resolveSetFormat: (s: FileSummary) => void = () => undefined;
    const { client, emit } = fakeClient({
      setFormat: () => new Promise<FileSummary>((r) => (resolveSetFormat = r)),
    });
    const store = createViewerStore(client, createProgressStore());
    await store.getState().init();
    emit({ type: 'file-added', file: summary(1, 1) });
    const pending = store.getState().setFormat(1 as FileId, 'plain');
    emit({ type: 'file-changed', file: summary(1, 3, { state: 'loading', format: 'plain' }) });
    emit({ type: 'file-changed', file: summary(1, 4, { state: 'ready', records: 99 }) });
    resolveSetFormat(summary(1, 2, { state: 'loading', format: null }));
    await pending;
    expect(activeFile(store.getState())).toMatchObject({
      revision: 4,
      state: 'ready',
      records: 99,
    });
  });

  it('shows the newest opened file and falls back to another when it closes', async () => {
    const { client, emit } = fakeClient();
    const store = createViewerStore(client, createProgressStore());
    await store.getState().init();
    emit({ type: 'file-added', file: summary(1, 1) });
    emit({ type: 'file-added', file: summary(2, 2) });
    expect(store.getState().activeFileId).toBe(1);
    store.getState().setActive(2 as FileId);
    emit({ type: 'file-removed', fileId: 2 as FileId });
    expect(store.getState().activeFileId).toBe(1);
    expect(store.getState().files.map((f) => f.id)).toEqual([1]);
  });

  it('turns a failed call into a notice with the user error', async () => {
    const { client } = fakeClient({
      closeFile: () =>
        Promise.reject(
          new ApiError({
            code: 'file.unknown',
            message: 'No open file has id 9.',
            hint: 'Reload.',
          }),
        ),
    });
    const store = createViewerStore(client, createProgressStore());
    await store.getState().closeFile(9 as FileId);
    expect(store.getState().notice).toEqual({
      kind: 'error',
      error: { code: 'file.unknown', message: 'No open file has id 9.', hint: 'Reload.' },
    });
  });

  it('keeps load progress in its own store', async () => {
    const { client, emit } = fakeClient();
    const progress = createProgressStore();
    const store = createViewerStore(client, progress);
    await store.getState().init();
    const before = store.getState();
    emit({
      type: 'progress',
      progress: {
        fileId: 1 as FileId,
        bytesRead: 5,
        bytesTotal: 10,
        records: 3,
        recordsPerSecond: 30,
        bytesPerSecond: 50,
        etaMs: 100,
      },
    });
    expect(progress.getState().progress[1]?.records).toBe(3);
    expect(store.getState()).toBe(before);
  });
});

describe('the selected record across a change of view', () => {
  const query = { fileId: 1 as FileId, order: 'file' as const, descending: false };
  const detail = { fileName: 'f1.log' } as unknown as RecordDetail;

  async function selected(rowOfRecord: (q: ViewQuery, r: RecordIndex) => Promise<RowIndex | null>) {
    const { client, emit } = fakeClient({
      record: () => Promise.resolve(detail),
      rowOfRecord,
    });
    const store = createViewerStore(client, createProgressStore());
    await store.getState().init();
    emit({ type: 'file-added', file: summary(1, 1, { records: 100 }) });
    await store.getState().select(1 as FileId, 40 as RowIndex, 40 as RecordIndex);
    return store;
  }

  it('follows the record to its row in the new view', async () => {
    const store = await selected((_q, record) => Promise.resolve((record - 30) as RowIndex));
    await store.getState().followSelection(query);
    expect(store.getState().scrollRequest).toMatchObject({ fileId: 1, row: 10 });
    expect(store.getState().detail).toMatchObject({ status: 'ready', record: 40 });
    expect(store.getState().detail).not.toHaveProperty('hiddenByView');
  });

  it('keeps the record in the pane, marked hidden, when the new view hides it', async () => {
    const store = await selected(() => Promise.resolve(null));
    await store.getState().followSelection(query);
    expect(store.getState().scrollRequest).toBeNull();
    expect(store.getState().views[1]).toMatchObject({ selectedRow: null, selectedRecord: 40 });
    expect(store.getState().detail).toMatchObject({ record: 40, hiddenByView: true });
  });

  it('lets a newer selection win over an answer still on its way', async () => {
    let answer: (row: RowIndex | null) => void = () => undefined;
    const store = await selected(() => new Promise((r) => (answer = r)));
    const following = store.getState().followSelection(query);
    await store.getState().select(1 as FileId, 7 as RowIndex, 7 as RecordIndex);
    answer(null);
    await following;
    expect(store.getState().detail).toMatchObject({ record: 7 });
    expect(store.getState().detail).not.toHaveProperty('hiddenByView');
  });
});
