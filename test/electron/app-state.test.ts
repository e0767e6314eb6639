/**
 * Recent files and settings around the Session, under plain Node: what is remembered, what the
 * window may reopen (only what the list holds), and what happens to a file that is gone.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppEvent, FileSummary } from '../../shared/api';
import type { FileId } from '../../shared/ids';
import { SessionError } from '../../electron/session/session';
import { createTestAppState } from '../helpers/app-state';
import { tempDir } from '../helpers/session';

let dir: string;
let opened: string[][];
let nextId: number;

const session = {
  openPaths(paths: readonly string[]): Promise<readonly FileSummary[]> {
    opened.push([...paths]);
    return Promise.resolve(
      paths.map((p) => ({ id: nextId++ as FileId, name: p }) as unknown as FileSummary),
    );
  },
};

beforeEach(() => {
  dir = tempDir();
  opened = [];
  nextId = 1;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function log(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, 'x\n');
  return path;
}

describe('app state', () => {
  it('remembers the files it opened, newest first, and not the ones that are missing', async () => {
    let clock = 1000;
    const remembered: string[] = [];
    const { app, settings } = await createTestAppState(session, join(dir, 'ud'), {
      now: () => clock++,
      onRemember: (p) => remembered.push(p),
    });
    const a = log('a.log');
    const b = log('b.log');
    const missing = join(dir, 'missing.log');
    await app.openPaths([a, missing, b]);
    expect(opened).toEqual([[a, missing, b]]);
    expect(settings.current.recentFiles.map((e) => e.path)).toEqual([a, b]);
    await app.openPaths([b]);
    expect(settings.current.recentFiles.map((e) => e.path)).toEqual([b, a]);
    expect(remembered).toEqual([a, b, b]);
    await settings.flush();
  });

  it('makes relative paths absolute before opening or remembering them', async () => {
    const { app, settings } = await createTestAppState(session, join(dir, 'ud'));
    const path = log('rel.log');
    await app.openPaths([relative(process.cwd(), path)]);
    expect(opened[0]).toEqual([path]);
    expect(settings.current.recentFiles[0]?.path).toBe(path);
    await settings.flush();
  });

  it('reopens only files on the recent list', async () => {
    const { app, settings } = await createTestAppState(session, join(dir, 'ud'));
    const a = log('a.log');
    await app.openPaths([a]);
    opened = [];
    await expect(app.openRecentFile('/etc/passwd')).rejects.toMatchObject({
      userError: { code: 'recent.not-listed' },
    });
    expect(opened).toEqual([]);
    await app.openRecentFile(a);
    expect(opened).toEqual([[a]]);
    await settings.flush();
  });

  it('reopens only filter sets on their recent list, and forgets one that is gone', async () => {
    const { app, settings } = await createTestAppState(session, join(dir, 'ud'));
    const set = log('noise.logsieve-filters.json');
    const other = log('other.json');
    app.remember('filterSets', [set]);
    const read = (path: string): Promise<string> => readFile(path, 'utf8');
    await expect(app.openRecentFilterSet(other, read)).rejects.toMatchObject({
      userError: { code: 'recent.not-listed' },
    });
    expect(await app.openRecentFilterSet(set, read)).toBe('x\n');
    expect(settings.current.recentFilterSets.map((e) => e.path)).toEqual([set]);
    rmSync(set);
    await expect(app.openRecentFilterSet(set, read)).rejects.toMatchObject({
      userError: { code: 'recent.gone' },
    });
    expect(settings.current.recentFilterSets).toEqual([]);
    // The recent files list is a list of its own.
    expect(settings.current.recentFiles).toEqual([]);
    await settings.flush();
  });

  it('takes a file that is gone off the list and says so', async () => {
    const { app, settings } = await createTestAppState(session, join(dir, 'ud'));
    const a = log('a.log');
    await app.openPaths([a]);
    rmSync(a);
    opened = [];
    const error: unknown = await app.openRecentFile(a).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).userError).toMatchObject({ code: 'recent.gone' });
    expect(opened).toEqual([]);
    expect(settings.current.recentFiles).toEqual([]);
    await settings.flush();
  });

  it('finds a recent file by the platform’s rules: any case on Windows, exact on Linux', async () => {
    const windows = await createTestAppState(session, join(dir, 'win'), { platform: 'win32' });
    const a = log('Mixed.log');
    await windows.app.openPaths([a]);
    opened = [];
    await windows.app.openRecentFile(a.toUpperCase());
    expect(opened).toEqual([[a]]);
    await windows.settings.flush();

    const linux = await createTestAppState(session, join(dir, 'linux'), { platform: 'linux' });
    await linux.app.openPaths([a]);
    await expect(linux.app.openRecentFile(a.toUpperCase())).rejects.toMatchObject({
      userError: { code: 'recent.not-listed' },
    });
    await linux.settings.flush();
  });

  it('tells the window about settings and about files it opened', async () => {
    const { app, settings } = await createTestAppState(session, join(dir, 'ud'));
    const events: AppEvent[] = [];
    app.onEvent((e) => events.push(e));
    await app.changeSettings({ theme: 'dark' });
    await app.openPaths([log('a.log')]);
    await app.clearRecent('files');
    expect(events.map((e) => e.type)).toEqual([
      'settings-changed',
      'settings-changed',
      'opened',
      'settings-changed',
    ]);
    expect(events[2]).toEqual({ type: 'opened', fileIds: [1] });
    expect(settings.current.recentFiles).toEqual([]);
    await settings.flush();
  });

  it('saves the window place only when it changed', async () => {
    const { app, settings } = await createTestAppState(session, join(dir, 'ud'));
    const bounds = { x: 10, y: 20, width: 900, height: 700, maximized: false };
    app.rememberWindow(bounds);
    const revision = settings.snapshot.revision;
    app.rememberWindow({ ...bounds });
    expect(settings.snapshot.revision).toBe(revision);
    app.rememberWindow({ ...bounds, maximized: true });
    expect(settings.current.window).toEqual({ ...bounds, maximized: true });
    await settings.flush();
  });

  it('applies a (checked) change and answers with the new snapshot', async () => {
    const { app, settings } = await createTestAppState(session, join(dir, 'ud'));
    const snapshot = await app.changeSettings({ showRaw: true, detailPane: false });
    expect(snapshot.settings).toMatchObject({ showRaw: true, detailPane: false });
    expect((await app.appInfo()).name).toBe('LogSieve');
    await settings.flush();
  });
});
