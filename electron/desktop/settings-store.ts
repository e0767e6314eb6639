/**
 * The settings file in the user-data folder: read once at start, kept in memory, saved after
 * every change with an atomic write (a crash or a full disk leaves the old file whole). Saves
 * never pile up: while one is running, later changes wait and only the newest state is written.
 *
 * A bad file never stops the app. Its problems are kept for the UI to show; a copy of it is kept
 * as `settings.bad.json` before the repaired settings replace it. A file written by a newer
 * LogSieve is left alone (read-only for this run), so going back a version loses nothing.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SettingsSnapshot } from '../../shared/api';
import type { UserError } from '../../shared/result';
import { userError } from '../../shared/result';
import type { Settings } from '../../shared/settings/settings';
import {
  DEFAULT_SETTINGS,
  SETTINGS_FILE,
  parseSettings,
  serializeSettings,
} from '../../shared/settings/settings';
import { writeFileAtomic } from '../files/atomic-write';
import type { Logger } from '../logger';

/** Where a copy of an unusable settings file is kept (one copy: the latest bad file). */
export const BAD_SETTINGS_FILE = 'settings.bad.json';

export interface SettingsStoreOptions {
  /** The user-data folder; created when missing. */
  readonly dir: string;
  readonly logger: Logger;
  /** How files are saved; tests pass one that fails. */
  readonly write?: (path: string, data: string) => Promise<void>;
}

type Listener = (snapshot: SettingsSnapshot) => void;

const SAVE_FAILED = 'settings.save-failed';

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

export class SettingsStore {
  private settings: Settings;
  private problems: readonly UserError[];
  private readonly readOnly: boolean;
  private readonly listeners = new Set<Listener>();
  private revision = 0;
  private saving: Promise<void> | null = null;
  private dirty = false;

  private constructor(
    private readonly path: string,
    private readonly write: (path: string, data: string) => Promise<void>,
    private readonly logger: Logger,
    loaded: { settings: Settings; problems: readonly UserError[]; readOnly: boolean },
  ) {
    this.settings = loaded.settings;
    this.problems = loaded.problems;
    this.readOnly = loaded.readOnly;
  }

  /** Reads the settings (or starts from the defaults). Never throws for a bad or missing file. */
  static async open(options: SettingsStoreOptions): Promise<SettingsStore> {
    const write = options.write ?? writeFileAtomic;
    const path = join(options.dir, SETTINGS_FILE);
    const logger = options.logger;
    try {
      await mkdir(options.dir, { recursive: true });
    } catch (error) {
      logger.warn(`cannot create the settings folder ${options.dir}: ${errorText(error)}`);
    }

    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return new SettingsStore(path, write, logger, {
          settings: DEFAULT_SETTINGS,
          problems: [],
          readOnly: false,
        });
      logger.warn(`cannot read ${path}: ${errorText(error)}`);
      return new SettingsStore(path, write, logger, {
        settings: DEFAULT_SETTINGS,
        problems: [
          userError(
            'settings.unreadable',
            `The settings file could not be read: ${errorText(error)}.`,
            {
              hint: 'LogSieve runs with default settings and does not save changes until the file can be read.',
            },
          ),
        ],
        readOnly: true,
      });
    }

    const loaded = parseSettings(text);
    if (loaded.outcome === 'ok')
      return new SettingsStore(path, write, logger, { ...loaded, readOnly: false });
    for (const problem of loaded.problems) logger.warn(`settings: ${problem.message}`);
    if (loaded.outcome === 'newer')
      return new SettingsStore(path, write, logger, { ...loaded, readOnly: true });

    // Keep the file as it was before the repaired settings replace it.
    let kept: UserError;
    let readOnly = false;
    try {
      await write(join(options.dir, BAD_SETTINGS_FILE), text);
      kept = userError(
        'settings.kept-copy',
        `The settings file as it was is kept as ${BAD_SETTINGS_FILE} in the settings folder.`,
      );
    } catch (error) {
      readOnly = true;
      kept = userError(
        'settings.copy-failed',
        `A copy of the bad settings file could not be kept (${errorText(error)}), so it is left as it is and changes are not saved.`,
      );
    }
    const store = new SettingsStore(path, write, logger, {
      settings: loaded.settings,
      problems: [...loaded.problems, kept],
      readOnly,
    });
    if (!readOnly) store.save();
    return store;
  }

  get snapshot(): SettingsSnapshot {
    return {
      revision: this.revision,
      settings: this.settings,
      problems: this.problems,
      readOnly: this.readOnly,
    };
  }

  get current(): Settings {
    return this.settings;
  }

  /** Applies a change in memory at once and saves it in the background (see {@link flush}). */
  update(change: (settings: Settings) => Settings): SettingsSnapshot {
    const next = change(this.settings);
    if (next === this.settings) return this.snapshot;
    this.settings = next;
    this.save();
    this.emit();
    return this.snapshot;
  }

  /** Resolves when everything changed so far is on disk (or its save failed and says so). */
  async flush(): Promise<void> {
    while (this.saving !== null) await this.saving;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(): void {
    this.revision++;
    const snapshot = this.snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }

  private save(): void {
    if (this.readOnly) return;
    this.dirty = true;
    this.saving ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const text = serializeSettings(this.settings);
      try {
        await this.write(this.path, text);
        if (this.problems.some((p) => p.code === SAVE_FAILED)) {
          this.problems = this.problems.filter((p) => p.code !== SAVE_FAILED);
          this.emit();
        }
      } catch (error) {
        this.logger.warn(`cannot save ${this.path}: ${errorText(error)}`);
        this.problems = [
          ...this.problems.filter((p) => p.code !== SAVE_FAILED),
          userError(SAVE_FAILED, `Settings could not be saved: ${errorText(error)}.`, {
            hint: 'The settings file on disk is unchanged. LogSieve tries again at the next change.',
          }),
        ];
        this.emit();
      }
    }
    this.saving = null;
  }
}
