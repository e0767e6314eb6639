/**
 * The explore store over a fake API: every filter-store change becomes one `setView` with the
 * right mode, replies of older views never replace newer ones, groups and the time window are
 * part of the view, and find walks matches with wrap-around.
 */
import { describe, expect, it, vi } from 'vitest';
import type {
  FilterSummary,
  FindRequest,
  GroupsRequest,
  SessionEvent,
  ViewQuery,
  ViewSettings,
} from '../../shared/api';
import type { FileId, RowIndex } from '../../shared/ids';
import type { FilterRule } from '../../shared/filters/model';
import type { Client } from '../../renderer/src/api/client';
import { ApiError } from '../../renderer/src/api/client';
import { createExploreStore, modeOf, viewRowsOf } from '../../renderer/src/store/explore-store';
import { createFiltersStore } from '../../renderer/src/store/filters-store';

const FILE = 1 as FileId;

function summary(version: number, rows = 10): FilterSummary {
  return {
    version,
    total: 10,
    visible: rows,
    hidden: 10 - rows,
    marked: 0,
    rows,
    rules: [],
    files: [{ fileId: FILE, total: 10, visible: rows, hidden: 10 - rows, rows }],
    complete: true,
    elapsedMs: 1,
  };
}

const RULE: FilterRule = {
  id: 'hide-ip',
  enabled: true,
  action: 'hide',
  when: { srcIp: ['172.16.1.5'] },
};

function setup(overrides: Partial<Client> = {}) {
  const views: ViewSettings[] = [];
  let version = 0;
  let emit: (event: SessionEvent) => void = () => undefined;
  const client = {
    host: 'bridge',
    onEvent: (listener: (event: SessionEvent) => void) => {
      emit = listener;
      return () => undefined;
    },
    setView: vi.fn((view: ViewSettings) => {
      views.push(view);
      return Promise.resolve(summary(++version));
    }),
    viewSummary: vi.fn(() => Promise.resolve(summary(version, 7))),
    groups: vi.fn((request: GroupsRequest) =>
      Promise.resolve({
        ...request,
        version,
        total: 10,
        visible: 10,
        hidden: 0,
        totalGroups: 0,
        groups: [],
        sparklineFrom: null,
        sparklineTo: null,
        elapsedMs: 0,
      }),
    ),
    timeline: vi.fn(() =>
      Promise.resolve({
        version,
        start: 0,
        bucketMs: 1000,
        from: 0,
        to: 1000,
        totals: [10],
        series: [],
        untimed: 0,
        empty: false,
      }),
    ),
    ...overrides,
  } as unknown as Client;
  const filters = createFiltersStore();
  const explore = createExploreStore({ client, filters });
  return { client, filters, explore, views, emit: (e: SessionEvent) => emit(e) };
}

describe('explore store', () => {
  it('sends the filter set and the mode the switches mean with every change', async () => {
    const { filters, explore, views } = setup();
    await explore.getState().init();
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ mode: 'visible', groups: null, window: null });

    filters.getState().change([{ type: 'add-rule', rule: RULE }]);
    await vi.waitFor(() => expect(views).toHaveLength(2));
    expect((views[1]!.filters as { rules: FilterRule[] }).rules.map((r) => r.id)).toEqual([
      'hide-ip',
    ]);

    filters.getState().setShowOnlyHidden(true);
    await vi.waitFor(() => expect(views.at(-1)?.mode).toBe('hidden'));
    filters.getState().setActive(false);
    await vi.waitFor(() => expect(views.at(-1)?.mode).toBe('all'));
    filters.getState().undo();
    await vi.waitFor(() =>
      expect((views.at(-1)!.filters as { rules: FilterRule[] }).rules).toEqual([]),
    );
    expect(explore.getState().version).toBe(views.length);
  });

  it('keeps the newest view when replies cross', async () => {
    const resolvers: ((s: FilterSummary) => void)[] = [];
    const { explore } = setup({
      setView: () => new Promise<FilterSummary>((r) => resolvers.push(r)),
    });
    const first = explore.getState().applyView();
    const second = explore.getState().applyView();
    resolvers[1]!(summary(2, 5));
    await second;
    resolvers[0]!(summary(1, 9));
    await first;
    expect(explore.getState().summary?.version).toBe(2);
    expect(viewRowsOf(explore.getState().summary, FILE)).toBe(5);
  });

  it('shows why a view was refused', async () => {
    const { explore } = setup({
      setView: () =>
        Promise.reject(new ApiError({ code: 'filterset.invalid', message: 'Bad rule x.' })),
    });
    await explore.getState().applyView();
    expect(explore.getState().viewError?.message).toBe('Bad rule x.');
  });

  it('puts selected groups, the time window and switched-off files in the view', async () => {
    const { explore, views, client } = setup();
    await explore.getState().init();
    // The group table is counted only while it is shown.
    explore.getState().setGroupSpec({ by: 'host' });
    expect(client.groups).not.toHaveBeenCalled();
    explore.getState().setSidebar('groups');
    await vi.waitFor(() => expect(client.groups).toHaveBeenCalledTimes(1));
    explore.getState().setGroupSpec({ by: 'cert-host', registeredDomain: true });
    await vi.waitFor(() =>
      expect(client.groups).toHaveBeenLastCalledWith(
        expect.objectContaining({ by: 'cert-host', registeredDomain: true }),
      ),
    );
    explore.getState().selectGroup('example.com', false);
    explore.getState().selectGroup(null, true);
    await vi.waitFor(() =>
      expect(views.at(-1)?.groups).toEqual({
        spec: { by: 'cert-host', registeredDomain: true },
        keys: ['example.com', null],
      }),
    );
    explore.getState().selectGroup('example.com', true);
    await vi.waitFor(() => expect(views.at(-1)?.groups?.keys).toEqual([null]));
    explore.getState().clearGroups();
    await vi.waitFor(() => expect(views.at(-1)?.groups).toBeNull());

    explore.getState().setWindow({ from: 1000, to: 2000 });
    await vi.waitFor(() => expect(views.at(-1)?.window).toEqual({ from: 1000, to: 2000 }));
    explore.getState().setWindow({ from: 5, to: 5 });
    expect(explore.getState().window).toEqual({ from: 1000, to: 2000 });
    explore.getState().toggleFile(FILE);
    await vi.waitFor(() => expect(views.at(-1)?.hiddenFiles).toEqual([FILE]));
  });

  it('asks for the counts again as files load and change', async () => {
    const { explore, client, emit } = setup();
    await explore.getState().init();
    emit({ type: 'file-removed', fileId: FILE });
    await vi.waitFor(() => expect(client.viewSummary).toHaveBeenCalled());
    await vi.waitFor(() => expect(viewRowsOf(explore.getState().summary, FILE)).toBe(7));
  });

  it('finds, steps through matches and wraps around', async () => {
    const matches = [3, 6, 8];
    const finds: FindRequest[] = [];
    const { explore } = setup({
      find: (request: FindRequest) => {
        finds.push(request);
        return Promise.resolve({
          matches: 4,
          inView: 3,
          complete: true,
          elapsedMs: 1,
          bytesScanned: 10,
        });
      },
      findNext: (_q: ViewQuery, from: number, backwards: boolean) =>
        Promise.resolve(
          ((backwards ? matches.filter((m) => m <= from).at(-1) : matches.find((m) => m >= from)) ??
            null) as RowIndex | null,
        ),
    });
    await explore.getState().init();
    const query: ViewQuery = { fileId: FILE, order: 'file', descending: false };
    explore.getState().setFind({ open: true, pattern: 'GET /x', regex: false });
    expect(await explore.getState().findStep(query, 0, false)).toBe(3);
    expect(finds).toEqual([
      { fileId: FILE, pattern: 'GET /x', regex: false, caseSensitive: false },
    ]);
    expect(explore.getState().find.ordinal).toBe(1);
    expect(explore.getState().highlight).toEqual({
      pattern: 'GET /x',
      regex: false,
      caseSensitive: false,
    });
    expect(await explore.getState().findStep(query, 0, false)).toBe(6);
    expect(await explore.getState().findStep(query, 0, false)).toBe(8);
    expect(explore.getState().find.ordinal).toBe(3);
    expect(await explore.getState().findStep(query, 0, false)).toBe(3);
    expect(explore.getState().find.ordinal).toBe(1);
    expect(await explore.getState().findStep(query, 0, true)).toBe(8);
    expect(explore.getState().find.ordinal).toBe(3);
    expect(finds).toHaveLength(1);

    // New terms search again.
    explore.getState().setFind({ caseSensitive: true });
    expect(explore.getState().find.status).toBe('idle');
    await explore.getState().findStep(query, 0, false);
    expect(finds).toHaveLength(2);
  });

  it('shows a bad regular expression as the Session says it', async () => {
    const { explore } = setup({
      find: () =>
        Promise.reject(
          new ApiError({
            code: 'find.bad-regex',
            message: 'Invalid regular expression: missing )',
          }),
        ),
    });
    explore.getState().setFind({ open: true, pattern: '(a', regex: true });
    const row = await explore
      .getState()
      .findStep({ fileId: FILE, order: 'file', descending: false }, 0, false);
    expect(row).toBeNull();
    expect(explore.getState().find).toMatchObject({
      status: 'error',
      error: { message: 'Invalid regular expression: missing )' },
    });
    expect(explore.getState().highlight).toBeNull();
  });

  it('maps the switches to modes', () => {
    expect(modeOf({ active: true, showOnlyHidden: false })).toBe('visible');
    expect(modeOf({ active: true, showOnlyHidden: true })).toBe('hidden');
    expect(modeOf({ active: false, showOnlyHidden: true })).toBe('all');
  });
});
