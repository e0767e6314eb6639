/**
 * The window's side of the menus, over fake stores and a fake API: when each command can run and
 * why not, what it does, which keys mean what, and how settings snapshots that cross are ordered.
 */
import { describe, expect, it, vi } from 'vitest';
import type { AppEvent, FileSummary, RecordDetail, SettingsSnapshot } from '../../shared/api';
import type { FileId, RecordIndex, RowIndex } from '../../shared/ids';
import { DEFAULT_SETTINGS, applySettingsChange } from '../../shared/settings/settings';
import type { SettingsChange } from '../../shared/settings/settings';
import type { Client } from '../../renderer/src/api/client';
import { ApiError } from '../../renderer/src/api/client';
import type { CommandContext } from '../../renderer/src/commands';
import {
  commandForKey,
  commandState,
  platformOf,
  runCommand,
  windowShortcuts,
} from '../../renderer/src/commands';
import { formatTime } from '../../renderer/src/display';
import { createExploreStore } from '../../renderer/src/store/explore-store';
import { createFiltersStore } from '../../renderer/src/store/filters-store';
import { createSettingsStore } from '../../renderer/src/store/settings-store';
import { createProgressStore, createViewerStore } from '../../renderer/src/store/viewer-store';

const FILE: FileSummary = {
  id: 1 as FileId,
  revision: 1,
  name: 'access.log',
  location: '/logs',
  size: 10,
  modifiedMs: 0,
  state: 'ready',
  format: 'apache-access',
  detectedFormat: 'apache-access',
  formatOverridden: false,
  encoding: 'utf-8',
  options: {},
  bytesRead: 10,
  records: 3,
  parsed: 3,
  flagged: 0,
  firstTime: null,
  lastTime: null,
  indexBytes: 0,
  columns: ['time', 'srcIp', 'message'],
  errors: [],
  tags: {},
};

function snapshot(revision: number, change: SettingsChange = {}): SettingsSnapshot {
  return {
    revision,
    settings: applySettingsChange(DEFAULT_SETTINGS, change),
    problems: [],
    readOnly: false,
  };
}

function setup(host: 'electron' | 'bridge' = 'bridge', files: FileSummary[] = []) {
  let revision = 0;
  let current = snapshot(0);
  let emitApp: (event: AppEvent) => void = () => undefined;
  const copied: string[] = [];
  const client = {
    host,
    onEvent: () => () => undefined,
    onAppEvent: (listener: (event: AppEvent) => void) => {
      emitApp = listener;
      return () => undefined;
    },
    listFiles: () => Promise.resolve(files),
    listFormats: () => Promise.resolve([]),
    closeFile: vi.fn(() => Promise.resolve()),
    showOpenDialog: vi.fn(() => Promise.resolve([])),
    getSettings: () => Promise.resolve(current),
    appInfo: () =>
      Promise.resolve({ name: 'LogSieve', version: '0', host, platform: 'linux', versions: {} }),
    changeSettings: (change: SettingsChange) => {
      current = {
        ...current,
        revision: ++revision,
        settings: applySettingsChange(current.settings, change),
      };
      return Promise.resolve(current);
    },
    record: (_fileId: FileId, record: RecordIndex) =>
      Promise.resolve({
        raw: `raw of ${record}`,
        line: record + 1,
        lastLine: record + 1,
        fileName: 'access.log',
      } as unknown as RecordDetail),
    copyText: (text: string) => {
      copied.push(text);
      return Promise.resolve();
    },
  } as unknown as Client;
  const viewer = createViewerStore(client, createProgressStore());
  const errors: string[] = [];
  const settings = createSettingsStore(client, (e) => errors.push(e.code));
  const picked = vi.fn();
  const filters = createFiltersStore();
  const ctx: CommandContext = {
    host,
    platform: 'linux',
    viewer,
    settings,
    client,
    pickFiles: picked,
    filters,
    explore: createExploreStore({ client, filters }),
    pickFilterSet: vi.fn(),
  };
  return {
    ctx,
    client,
    viewer,
    settings,
    copied,
    picked,
    errors,
    emitApp: (e: AppEvent) => emitApp(e),
  };
}

describe('commands in the window', () => {
  it('says why a command cannot run now', async () => {
    const { ctx, viewer, settings } = setup('bridge');
    await viewer.getState().init();
    await settings.getState().init();
    const state = (id: Parameters<typeof commandState>[0]) =>
      commandState(id, 'bridge', viewer.getState(), settings.getState());
    expect(state('file.close')).toMatchObject({ enabled: false, reason: 'No file is open.' });
    expect(state('edit.goToLine').reason).toBe('Open a log file first.');
    expect(state('filterSet.save')).toMatchObject({ enabled: true, reason: null });
    expect(state('edit.find').reason).toBe('Open a log file first.');
    expect(state('view.zoomIn').reason).toMatch(/browser's own zoom/);
    expect(state('file.open')).toEqual({ enabled: true, reason: null, checked: null });
    expect(state('view.detailPane')).toMatchObject({ enabled: true, checked: true });
    expect(
      commandState('view.zoomIn', 'electron', viewer.getState(), settings.getState()).enabled,
    ).toBe(true);
    runCommand('file.close', ctx);
    expect(viewer.getState().notice?.error.message).toBe('No file is open.');
  });

  it('runs what a file allows once one is open', async () => {
    const { ctx, client, viewer, settings, copied } = setup('bridge', [FILE]);
    await viewer.getState().init();
    await settings.getState().init();
    expect(
      commandState('edit.copyRow', 'bridge', viewer.getState(), settings.getState()).reason,
    ).toBe('Select a row first.');
    await viewer.getState().select(FILE.id, 4 as RowIndex, 4 as RecordIndex);
    runCommand('edit.copyRow', ctx);
    await vi.waitFor(() => expect(copied).toEqual(['raw of 4']));
    expect(viewer.getState().notice?.error.message).toBe('Copied line 5 of access.log.');
    runCommand('edit.goToLine', ctx);
    expect(viewer.getState().jumpOpen).toBe(true);
    runCommand('view.columns', ctx);
    expect(viewer.getState().dialog).toBe('columns');
    runCommand('file.close', ctx);
    expect(client.closeFile).toHaveBeenCalledWith(FILE.id);
  });

  it('changes settings at once and keeps the newest snapshot when replies and events cross', async () => {
    const { ctx, settings, emitApp } = setup();
    await settings.getState().init();
    runCommand('view.detailPane', ctx);
    expect(settings.getState().settings.detailPane).toBe(false);
    runCommand('view.theme.dark', ctx);
    await vi.waitFor(() => expect(settings.getState().revision).toBe(2));
    emitApp({ type: 'settings-changed', snapshot: snapshot(1, { theme: 'light' }) });
    expect(settings.getState().settings.theme).toBe('dark');
    emitApp({ type: 'settings-changed', snapshot: snapshot(3, { theme: 'light' }) });
    expect(settings.getState().settings.theme).toBe('light');
  });

  it('puts the old settings back and says why when a change is refused', async () => {
    const { ctx, client, settings, errors } = setup();
    await settings.getState().init();
    client.changeSettings = () =>
      Promise.reject(new ApiError({ code: 'settings.save-failed', message: 'disk full' }));
    runCommand('view.rawText', ctx);
    expect(settings.getState().settings.showRaw).toBe(true);
    await vi.waitFor(() => expect(settings.getState().settings.showRaw).toBe(false));
    expect(errors).toEqual(['settings.save-failed']);
  });

  it('opens files the host’s way', () => {
    const bridge = setup('bridge');
    runCommand('file.open', bridge.ctx);
    expect(bridge.picked).toHaveBeenCalledOnce();
    const desktop = setup('electron');
    const showOpenDialog = vi.spyOn(desktop.client, 'showOpenDialog');
    runCommand('file.open', desktop.ctx);
    expect(showOpenDialog).toHaveBeenCalledOnce();
    expect(desktop.picked).not.toHaveBeenCalled();
  });

  it('maps keys to commands, leaving the platform’s own keys to the platform', () => {
    const key = (k: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
      key: k,
      code: `Key${k.toUpperCase()}`,
      ctrlKey: mods.ctrl ?? false,
      metaKey: false,
      altKey: mods.alt ?? false,
      shiftKey: mods.shift ?? false,
    });
    const bridge = windowShortcuts('bridge', 'linux');
    expect(commandForKey(key('o', { ctrl: true }), bridge, 'linux')).toBe('file.open');
    expect(commandForKey(key('C', { ctrl: true, shift: true }), bridge, 'linux')).toBe(
      'edit.copyRow',
    );
    expect(commandForKey(key('w', { alt: true }), bridge, 'linux')).toBe('file.close');
    expect(commandForKey(key('w', { ctrl: true }), bridge, 'linux')).toBeNull();
    // Copy, zoom and full screen belong to the browser or Electron's menu roles.
    expect(commandForKey(key('c', { ctrl: true }), bridge, 'linux')).toBeNull();
    expect(commandForKey({ ...key('F11'), code: 'F11' }, bridge, 'linux')).toBeNull();
    const desktop = windowShortcuts('electron', 'linux');
    expect(commandForKey(key('w', { ctrl: true }), desktop, 'linux')).toBe('file.close');
    expect(commandForKey({ ...key('F4'), code: 'F4' }, desktop, 'linux')).toBe('view.detailPane');
  });

  it('knows the platform from the user agent', () => {
    expect(platformOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)')).toBe('darwin');
    expect(platformOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64)')).toBe('win32');
    expect(platformOf('Mozilla/5.0 (X11; Linux x86_64)')).toBe('linux');
  });

  it('shows times in the chosen zone', () => {
    const ms = Date.UTC(2024, 2, 5, 8, 14, 2, 250);
    expect(formatTime(ms)).toBe('2024-03-05 08:14:02.250');
    expect(formatTime(ms, 'Europe/Berlin')).toBe('2024-03-05 09:14:02.250');
    expect(formatTime(ms, 'America/New_York')).toBe('2024-03-05 03:14:02.250');
    expect(formatTime(Date.UTC(2024, 6, 1, 0, 0, 0, 5), 'Asia/Kolkata')).toBe(
      '2024-07-01 05:30:00.005',
    );
    expect(formatTime(null, 'Europe/Berlin')).toBe('');
  });
});
