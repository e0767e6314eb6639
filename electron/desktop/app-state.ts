/**
 * What the app keeps for the user around the Session: settings, recent files, the window's
 * place. The desktop main process and the bridge each make one over the same settings store, so
 * the bridge's end-to-end tests exercise the code the desktop app runs. Plain Node, no Electron.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AppApi, AppEvent, AppInfo, FileSummary, SettingsSnapshot } from '../../shared/api';
import { userError } from '../../shared/result';
import type { PathKey, RecentListId } from '../../shared/settings/recent';
import { findRecent, forgetRecent, pathKeyFor, rememberRecent } from '../../shared/settings/recent';
import type { SettingsChange, WindowBounds } from '../../shared/settings/settings';
import { applySettingsChange } from '../../shared/settings/settings';
import { SessionError } from '../session/session';
import type { SettingsStore } from './settings-store';

/** The part of the Session this needs (so tests can count what reached it). */
export interface PathOpener {
  openPaths(paths: readonly string[]): Promise<readonly FileSummary[]>;
}

export interface AppStateOptions {
  readonly session: PathOpener;
  readonly settings: SettingsStore;
  readonly info: AppInfo;
  /** `process.platform`: decides how paths compare (case on Windows and macOS). */
  readonly platform: string;
  readonly now?: () => number;
  /** Called with each path remembered (the desktop app adds it to the OS's recent documents). */
  readonly onRemember?: (path: string) => void;
}

const RECENT_KEY = { files: 'recentFiles', filterSets: 'recentFilterSets' } as const;

export class AppState implements AppApi {
  private readonly pathKey: PathKey;
  private readonly now: () => number;
  private readonly listeners = new Set<(event: AppEvent) => void>();

  constructor(private readonly options: AppStateOptions) {
    this.pathKey = pathKeyFor(options.platform);
    this.now = options.now ?? Date.now;
    options.settings.onChange((snapshot) => this.emit({ type: 'settings-changed', snapshot }));
  }

  getSettings(): Promise<SettingsSnapshot> {
    return Promise.resolve(this.options.settings.snapshot);
  }

  changeSettings(change: SettingsChange): Promise<SettingsSnapshot> {
    return Promise.resolve(this.options.settings.update((s) => applySettingsChange(s, change)));
  }

  /**
   * Opens paths the user gave (Open dialog, drop, command line, a second launch) and remembers
   * those that exist as recent files. Missing ones still reach the Session, which says why.
   */
  async openPaths(paths: readonly string[]): Promise<readonly FileSummary[]> {
    const absolute = paths.map((p) => resolve(p));
    const existing: string[] = [];
    for (const path of absolute) {
      try {
        await stat(path);
        existing.push(path);
      } catch {
        // Not remembered; the Session reports it.
      }
    }
    const opened = await this.options.session.openPaths(absolute);
    this.remember('files', existing);
    if (opened.length > 0) this.emit({ type: 'opened', fileIds: opened.map((f) => f.id) });
    return opened;
  }

  async openRecentFile(path: string): Promise<readonly FileSummary[]> {
    const entry = findRecent(this.options.settings.current.recentFiles, path, this.pathKey);
    if (entry === undefined)
      throw new SessionError(
        userError('recent.not-listed', 'That file is not in the recent files list.'),
      );
    try {
      await stat(entry.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.forget('files', entry.path);
      throw new SessionError(
        userError('recent.gone', `${entry.path} is no longer there.`, {
          hint: 'It was taken off the recent files list.',
        }),
      );
    }
    return this.openPaths([entry.path]);
  }

  /**
   * Reads a filter set from the recent list (only a listed path: the window cannot name others)
   * and remembers it again; a file that is gone leaves the list and says so.
   */
  async openRecentFilterSet<T>(path: string, read: (path: string) => Promise<T>): Promise<T> {
    const entry = findRecent(this.options.settings.current.recentFilterSets, path, this.pathKey);
    if (entry === undefined)
      throw new SessionError(
        userError('recent.not-listed', 'That filter set is not in the recent filter sets list.'),
      );
    try {
      const result = await read(entry.path);
      this.remember('filterSets', [entry.path]);
      return result;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.forget('filterSets', entry.path);
      throw new SessionError(
        userError('recent.gone', `${entry.path} is no longer there.`, {
          hint: 'It was taken off the recent filter sets list.',
        }),
      );
    }
  }

  clearRecent(list: RecentListId): Promise<SettingsSnapshot> {
    const key = RECENT_KEY[list];
    return Promise.resolve(this.options.settings.update((s) => ({ ...s, [key]: [] })));
  }

  appInfo(): Promise<AppInfo> {
    return Promise.resolve(this.options.info);
  }

  /** Recent list entries, for callers outside the renderer (filter sets will use this too). */
  remember(list: RecentListId, paths: readonly string[]): void {
    if (paths.length === 0) return;
    const key = RECENT_KEY[list];
    const openedMs = this.now();
    this.options.settings.update((s) => {
      let entries = s[key];
      // The first path given ends up first.
      for (const path of [...paths].reverse())
        entries = rememberRecent(entries, path, openedMs, this.pathKey);
      return { ...s, [key]: entries };
    });
    for (const path of paths) this.options.onRemember?.(path);
  }

  forget(list: RecentListId, path: string): void {
    const key = RECENT_KEY[list];
    this.options.settings.update((s) => ({
      ...s,
      [key]: forgetRecent(s[key], path, this.pathKey),
    }));
  }

  /** Where the window is (main process only). */
  rememberWindow(bounds: WindowBounds): void {
    this.options.settings.update((s) =>
      s.window !== null &&
      s.window.x === bounds.x &&
      s.window.y === bounds.y &&
      s.window.width === bounds.width &&
      s.window.height === bounds.height &&
      s.window.maximized === bounds.maximized
        ? s
        : { ...s, window: bounds },
    );
  }

  /** Tells the window (or the bridge's page) something: see {@link AppEvent}. */
  emit(event: AppEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
