/**
 * The settings file on disk, under plain Node: first start, a good file, bad files of every kind
 * (never a crash, always the reason, a copy of the bad file kept), a newer version left alone,
 * saves that fail, and bursts of changes that must not pile up writes.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../electron/files/atomic-write';
import { BAD_SETTINGS_FILE, SettingsStore } from '../../electron/desktop/settings-store';
import { silentLogger } from '../../electron/logger';
import {
  DEFAULT_SETTINGS,
  SETTINGS_FILE,
  SETTINGS_VERSION,
  serializeSettings,
} from '../../shared/settings/settings';
import { tempDir } from '../helpers/session';

let dir: string;
const file = (): string => join(dir, SETTINGS_FILE);
const open = (write?: (path: string, data: string) => Promise<void>) =>
  SettingsStore.open({ dir, logger: silentLogger, ...(write ? { write } : {}) });

beforeEach(() => {
  dir = join(tempDir(), 'user-data');
});
afterEach(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('settings store', () => {
  it('starts from the defaults, creates the folder, and saves the first change', async () => {
    const store = await open();
    expect(store.snapshot).toEqual({
      revision: 0,
      settings: DEFAULT_SETTINGS,
      problems: [],
      readOnly: false,
    });
    const snapshot = store.update((s) => ({ ...s, theme: 'dark' }));
    expect(snapshot.revision).toBe(1);
    await store.flush();
    const saved = JSON.parse(readFileSync(file(), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ logsieve: 'settings', version: SETTINGS_VERSION, theme: 'dark' });
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('reads what an earlier run saved', async () => {
    const first = await open();
    first.update((s) => ({ ...s, displayTimeZone: 'Europe/Berlin', detailPane: false }));
    await first.flush();
    const second = await open();
    expect(second.current).toMatchObject({ displayTimeZone: 'Europe/Berlin', detailPane: false });
    expect(second.snapshot.problems).toEqual([]);
  });

  it.each([
    ['garbage', '{"logsieve":"settings","version":1,"theme":"da', 'settings.not-json'],
    ['an empty file', '', 'settings.empty'],
    [
      'another kind of file',
      '{"logsieve":"filter-set","version":1,"rules":[]}',
      'settings.not-settings',
    ],
  ])(
    'recovers from %s: defaults, the reason, and a copy of the bad file',
    async (_what, text, code) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file(), text);
      const store = await open();
      expect(store.current).toEqual(DEFAULT_SETTINGS);
      expect(store.snapshot.readOnly).toBe(false);
      expect(store.snapshot.problems.map((p) => p.code)).toEqual([code, 'settings.kept-copy']);
      await store.flush();
      expect(readFileSync(join(dir, BAD_SETTINGS_FILE), 'utf8')).toBe(text);
      // The file is healed at once: the next start is clean.
      expect(readFileSync(file(), 'utf8')).toBe(serializeSettings(DEFAULT_SETTINGS));
      expect((await open()).snapshot.problems).toEqual([]);
    },
  );

  it('keeps the good values of a partly bad file and heals it', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      file(),
      JSON.stringify({ logsieve: 'settings', version: 1, theme: 'dark', displayTimeZone: 42 }),
    );
    const store = await open();
    expect(store.current).toMatchObject({ theme: 'dark', displayTimeZone: 'UTC' });
    expect(store.snapshot.problems[0]).toMatchObject({ code: 'settings.bad-value' });
    expect(store.snapshot.problems[0]?.message).toContain('displayTimeZone');
    await store.flush();
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({
      theme: 'dark',
      displayTimeZone: 'UTC',
    });
  });

  it('leaves a file from a newer LogSieve untouched, whatever changes', async () => {
    mkdirSync(dir, { recursive: true });
    const newer = JSON.stringify({ logsieve: 'settings', version: 99, theme: 'dark', zoom: 2 });
    writeFileSync(file(), newer);
    const store = await open();
    expect(store.snapshot).toMatchObject({ readOnly: true, settings: DEFAULT_SETTINGS });
    expect(store.snapshot.problems[0]?.code).toBe('settings.version-too-new');
    store.update((s) => ({ ...s, theme: 'light' }));
    expect(store.current.theme).toBe('light');
    await store.flush();
    expect(readFileSync(file(), 'utf8')).toBe(newer);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('runs read-only, saying why, when the settings file cannot be read', async () => {
    mkdirSync(file(), { recursive: true });
    const store = await open();
    expect(store.snapshot).toMatchObject({ readOnly: true, settings: DEFAULT_SETTINGS });
    expect(store.snapshot.problems[0]?.code).toBe('settings.unreadable');
    store.update((s) => ({ ...s, theme: 'dark' }));
    await store.flush();
  });

  it('runs read-only when the copy of a bad file cannot be kept (nothing is lost)', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file(), 'not json');
    const failing = (path: string, data: string): Promise<void> =>
      path.endsWith(BAD_SETTINGS_FILE)
        ? Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' }))
        : writeFileAtomic(path, data);
    const store = await open(failing);
    expect(store.snapshot.readOnly).toBe(true);
    expect(store.snapshot.problems.map((p) => p.code)).toContain('settings.copy-failed');
    store.update((s) => ({ ...s, theme: 'dark' }));
    await store.flush();
    expect(readFileSync(file(), 'utf8')).toBe('not json');
  });

  it('says when a save fails, keeps the old file, and clears the message when a save works', async () => {
    const first = await open();
    first.update((s) => ({ ...s, theme: 'dark' }));
    await first.flush();
    const before = readFileSync(file(), 'utf8');

    let fail = true;
    const flaky = (path: string, data: string): Promise<void> =>
      fail
        ? Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }))
        : writeFileAtomic(path, data);
    const store = await open(flaky);
    const seen: string[][] = [];
    store.onChange((s) => seen.push(s.problems.map((p) => p.code)));
    store.update((s) => ({ ...s, theme: 'light' }));
    await store.flush();
    expect(store.snapshot.problems).toMatchObject([
      { code: 'settings.save-failed', message: expect.stringContaining('ENOSPC') as unknown },
    ]);
    expect(readFileSync(file(), 'utf8')).toBe(before);
    fail = false;
    store.update((s) => ({ ...s, theme: 'system' }));
    await store.flush();
    expect(store.snapshot.problems).toEqual([]);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({ theme: 'system' });
    expect(seen.at(-1)).toEqual([]);
  });

  it('writes a burst of changes twice: the first state, then the last', async () => {
    const writes: string[] = [];
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const slow = async (path: string, data: string): Promise<void> => {
      writes.push(data);
      await gate;
      await writeFileAtomic(path, data);
    };
    const store = await open(slow);
    for (let i = 0; i < 50; i++) store.update((s) => ({ ...s, exportLogName: `log${i}` }));
    openGate();
    await store.flush();
    expect(writes).toHaveLength(2);
    expect(JSON.parse(writes[0]!)).toMatchObject({ exportLogName: 'log0' });
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({ exportLogName: 'log49' });
    expect(store.snapshot.revision).toBe(50);
  });

  it('tells listeners about every change, and ignores changes that change nothing', async () => {
    const store = await open();
    const revisions: number[] = [];
    const stop = store.onChange((s) => revisions.push(s.revision));
    store.update((s) => ({ ...s, showRaw: true }));
    store.update((s) => s);
    store.update((s) => ({ ...s, showRaw: false }));
    stop();
    store.update((s) => ({ ...s, showRaw: true }));
    expect(revisions).toEqual([1, 2]);
    await store.flush();
  });
});
