/**
 * The user's settings: what LogSieve keeps between runs (theme, display time zone, export
 * defaults, window and column layout, recent files). One versioned JSON file in the user-data
 * directory, written atomically by electron/desktop/settings-store.ts. Loading never throws and
 * never refuses to start the app: a value that is wrong falls back to its default and says why;
 * a file that cannot be read at all gives the defaults and says why; a file from a newer LogSieve
 * is left alone. Pure code: the desktop app and the bridge share it, and so do the tests.
 */
import type { UserError } from '../result';
import { userError } from '../result';
import { isKnownTimeZone } from '../time/zone';
import type { RecentEntry } from './recent';
import { MAX_RECENT, dedupeRecent } from './recent';

export type { RecentEntry } from './recent';

export const SETTINGS_KIND = 'settings';
/** Version this build writes. Bump it only with a migration from the previous version. */
export const SETTINGS_VERSION = 1;
/** The file's name in the user-data directory. */
export const SETTINGS_FILE = 'settings.json';

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
/** Light or dark, or whatever the operating system uses (and follow it when it changes). */
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/**
 * Export targets, by the ids of shared/exporters (the [exports] work): kept here so settings can
 * be validated before the exporters are part of this build. They must stay the same list.
 */
export const EXPORT_TARGET_IDS = ['httpd', 'httpd24', 'cpl'] as const;
export type ExportTargetId = (typeof EXPORT_TARGET_IDS)[number];

/** `local`: the time zone of this computer, whatever it is when the app runs. */
export const LOCAL_TIME_ZONE = 'local';

/** Where the window was, in screen coordinates (DIP), when it was last moved or closed. */
export interface WindowBounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

/** One grid column's place: columns are listed in display order. */
export interface ColumnLayoutEntry {
  /** The grid's column id (`line`, `time`, `srcIp`, …, `message`, `raw`). */
  readonly id: string;
  /** Width in CSS pixels. */
  readonly width: number;
  readonly hidden: boolean;
}

export interface Settings {
  readonly theme: ThemeChoice;
  /** IANA zone name, `UTC`, or {@link LOCAL_TIME_ZONE}, for showing times (logs stay in UTC). */
  readonly displayTimeZone: string;
  /** What the Export dialog offers first. */
  readonly exportTarget: ExportTargetId;
  /** ProxySG access log name the CPL export turns off (`main` on most appliances). */
  readonly exportLogName: string;
  readonly detailPane: boolean;
  /** Show the raw record instead of the message column. */
  readonly showRaw: boolean;
  /** Null until the window has been shown once. */
  readonly window: WindowBounds | null;
  /** Column layout per format id (each format fills different columns). */
  readonly columnLayouts: Readonly<Record<string, readonly ColumnLayoutEntry[]>>;
  /** Most recent first, at most {@link MAX_RECENT}. */
  readonly recentFiles: readonly RecentEntry[];
  readonly recentFilterSets: readonly RecentEntry[];
}

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  displayTimeZone: 'UTC',
  exportTarget: 'httpd',
  exportLogName: 'main',
  detailPane: true,
  showRaw: false,
  window: null,
  columnLayouts: {},
  recentFiles: [],
  recentFilterSets: [],
};

const MAX_LAYOUTS = 64;
const MAX_LAYOUT_COLUMNS = 64;
export const MIN_COLUMN_WIDTH = 20;
export const MAX_COLUMN_WIDTH = 4000;
const COORDINATE_LIMIT = 100_000;
export const MAX_PATH_LENGTH = 4096;

// ---------------------------------------------------------------------------------------------
// Field checks. Each returns the value, or a reason (a sentence fragment) why it is unusable.

type Check<T> = (value: unknown) => { readonly value: T } | { readonly reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A short, safe rendering of a bad value for a message. */
export function showSettingValue(value: unknown): string {
  let text: string;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    text = typeof value === 'symbol' ? value.toString() : typeof value;
  } else {
    try {
      text = JSON.stringify(value);
    } catch {
      text = 'a value that cannot be shown';
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function oneOf<T extends string>(choices: readonly T[]): Check<T> {
  return (value) =>
    typeof value === 'string' && (choices as readonly string[]).includes(value)
      ? { value: value as T }
      : { reason: `must be one of ${choices.join(', ')}` };
}

const checkBoolean: Check<boolean> = (value) =>
  typeof value === 'boolean' ? { value } : { reason: 'must be true or false' };

const checkTimeZone: Check<string> = (value) => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64)
    return { reason: 'must be UTC, local or an IANA time zone name' };
  if (value === LOCAL_TIME_ZONE || isKnownTimeZone(value)) return { value };
  return { reason: 'is not a time zone this computer knows (try UTC or Europe/Berlin)' };
};

/** The same grammar as the CPL exporter's --log-name option. */
export const LOG_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const checkLogName: Check<string> = (value) =>
  typeof value === 'string' && LOG_NAME_PATTERN.test(value)
    ? { value }
    : { reason: 'must be 1–64 letters, digits, _ or -, starting with a letter' };

function wholeNumber(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

const checkWindow: Check<WindowBounds | null> = (value) => {
  if (value === null) return { value: null };
  if (!isObject(value)) return { reason: 'must be an object with x, y, width and height' };
  const { x, y, width, height, maximized } = value;
  if (
    !wholeNumber(x, -COORDINATE_LIMIT, COORDINATE_LIMIT) ||
    !wholeNumber(y, -COORDINATE_LIMIT, COORDINATE_LIMIT) ||
    !wholeNumber(width, 100, COORDINATE_LIMIT) ||
    !wholeNumber(height, 100, COORDINATE_LIMIT) ||
    typeof maximized !== 'boolean'
  )
    return { reason: 'must have whole-number x, y, width, height (at least 100) and maximized' };
  return { value: { x, y, width, height, maximized } };
};

const LAYOUT_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const COLUMN_ID = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** One format's column layout (also what the renderer sends when the user moves a column). */
export const checkColumnLayout: Check<readonly ColumnLayoutEntry[]> = (value) => {
  if (!Array.isArray(value) || value.length > MAX_LAYOUT_COLUMNS)
    return { reason: `must be a list of at most ${MAX_LAYOUT_COLUMNS} columns` };
  const seen = new Set<string>();
  const columns: ColumnLayoutEntry[] = [];
  for (const [i, entry] of value.entries()) {
    if (!isObject(entry)) return { reason: `column ${i + 1} is not an object` };
    const { id, width, hidden } = entry;
    if (typeof id !== 'string' || !COLUMN_ID.test(id))
      return { reason: `column ${i + 1} has no valid id` };
    if (seen.has(id)) return { reason: `column ${id} is listed twice` };
    if (!wholeNumber(width, MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH))
      return {
        reason: `column ${id}: width must be a whole number from ${MIN_COLUMN_WIDTH} to ${MAX_COLUMN_WIDTH}`,
      };
    if (typeof hidden !== 'boolean')
      return { reason: `column ${id}: hidden must be true or false` };
    seen.add(id);
    columns.push({ id, width, hidden });
  }
  return { value: columns };
};

export function isLayoutKey(value: unknown): value is string {
  return typeof value === 'string' && LAYOUT_KEY.test(value);
}

const checkColumnLayouts: Check<Readonly<Record<string, readonly ColumnLayoutEntry[]>>> = (
  value,
) => {
  if (!isObject(value)) return { reason: 'must be an object of column lists by format' };
  const keys = Object.keys(value);
  if (keys.length > MAX_LAYOUTS) return { reason: `must hold at most ${MAX_LAYOUTS} layouts` };
  const layouts: Record<string, readonly ColumnLayoutEntry[]> = {};
  for (const key of keys) {
    if (!isLayoutKey(key)) return { reason: `${showSettingValue(key)} is not a format id` };
    const checked = checkColumnLayout(value[key]);
    if ('reason' in checked) return { reason: `${key}: ${checked.reason}` };
    layouts[key] = checked.value;
  }
  return { value: layouts };
};

/** A path as LogSieve stores it: what the user opened, absolute, no NUL. */
export function isStorablePath(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_PATH_LENGTH &&
    !value.includes('\0')
  );
}

const checkRecent: Check<readonly RecentEntry[]> = (value) => {
  if (!Array.isArray(value)) return { reason: 'must be a list' };
  const entries: RecentEntry[] = [];
  for (const [i, entry] of value.entries()) {
    if (!isObject(entry) || !isStorablePath(entry.path))
      return { reason: `entry ${i + 1} has no valid path` };
    if (!wholeNumber(entry.openedMs, 0, Number.MAX_SAFE_INTEGER))
      return { reason: `entry ${i + 1} has no valid openedMs` };
    entries.push({ path: entry.path, openedMs: entry.openedMs });
  }
  // Duplicates and overlong lists are tidied, not refused: nothing about them is dangerous.
  return { value: dedupeRecent(entries).slice(0, MAX_RECENT) };
};

const FIELDS: { readonly [K in keyof Settings]: Check<Settings[K]> } = {
  theme: oneOf(THEME_CHOICES),
  displayTimeZone: checkTimeZone,
  exportTarget: oneOf(EXPORT_TARGET_IDS),
  exportLogName: checkLogName,
  detailPane: checkBoolean,
  showRaw: checkBoolean,
  window: checkWindow,
  columnLayouts: checkColumnLayouts,
  recentFiles: checkRecent,
  recentFilterSets: checkRecent,
};

const FIELD_NAMES = Object.keys(FIELDS) as (keyof Settings)[];

// ---------------------------------------------------------------------------------------------
// Loading: parse → kind and version → migrate one version at a time → check every field.

/**
 * One step of the migration chain: turns a document of version `from` into version `from + 1`.
 * Pure, on plain JSON values. Version 1 is the first version ever written, so the chain is
 * empty; the next change of the file adds `{ from: 1, migrate }` here and a v1 fixture test.
 */
export interface SettingsMigration {
  readonly from: number;
  readonly migrate: (document: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

export const SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [];

export interface SettingsChain {
  readonly currentVersion: number;
  readonly migrations: readonly SettingsMigration[];
}

const SHIPPED_CHAIN: SettingsChain = {
  currentVersion: SETTINGS_VERSION,
  migrations: SETTINGS_MIGRATIONS,
};

/**
 * - `ok`: the file was read as it is.
 * - `repaired`: some values were unusable and fell back to their defaults (the rest was kept).
 * - `reset`: the file could not be read at all; every setting is the default.
 * - `newer`: a newer LogSieve wrote it; defaults are used and the file must not be overwritten.
 */
export type SettingsOutcome = 'ok' | 'repaired' | 'reset' | 'newer';

export interface LoadedSettings {
  readonly settings: Settings;
  readonly outcome: SettingsOutcome;
  /** Why values were not used, one entry per problem (empty when `ok`). */
  readonly problems: readonly UserError[];
}

function reset(code: string, message: string): LoadedSettings {
  return {
    settings: DEFAULT_SETTINGS,
    outcome: 'reset',
    problems: [userError(code, message, { hint: 'LogSieve started with its default settings.' })],
  };
}

/** Reads the settings file's text. Never throws. */
export function parseSettings(text: string, chain: SettingsChain = SHIPPED_CHAIN): LoadedSettings {
  if (text.trim().length === 0)
    return reset(
      'settings.empty',
      'The settings file is empty (perhaps from a crash or full disk).',
    );
  let document: unknown;
  try {
    document = JSON.parse(text) as unknown;
  } catch (error) {
    return reset(
      'settings.not-json',
      `The settings file is not valid JSON: ${(error as Error).message}.`,
    );
  }
  return loadSettingsDocument(document, chain);
}

/** Checks kind and version, migrates, and checks every field. Never throws. */
export function loadSettingsDocument(
  document: unknown,
  chain: SettingsChain = SHIPPED_CHAIN,
): LoadedSettings {
  if (!isObject(document) || document.logsieve !== SETTINGS_KIND)
    return reset(
      'settings.not-settings',
      `The settings file is not LogSieve settings (no "logsieve": "${SETTINGS_KIND}").`,
    );
  const version = document.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
    return reset(
      'settings.bad-version',
      `The settings file has no valid version (${showSettingValue(version)}).`,
    );
  if (version > chain.currentVersion)
    return {
      settings: DEFAULT_SETTINGS,
      outcome: 'newer',
      problems: [
        userError(
          'settings.version-too-new',
          `The settings were saved by a newer LogSieve (settings version ${version}; this one reads up to ${chain.currentVersion}).`,
          {
            hint: 'LogSieve runs with default settings and leaves that file alone; changes made now are not saved. Update LogSieve to use them.',
          },
        ),
      ],
    };

  let current: Record<string, unknown> = document;
  for (let v = version; v < chain.currentVersion; v++) {
    const step = chain.migrations.find((m) => m.from === v);
    if (step === undefined)
      return reset(
        'settings.no-migration',
        `Settings version ${v} cannot be brought up to date (no migration from it).`,
      );
    try {
      current = { ...step.migrate(current), version: v + 1 };
    } catch (error) {
      return reset(
        'settings.migration-failed',
        `Settings version ${v} could not be brought up to date: ${(error as Error).message}.`,
      );
    }
  }

  const problems: UserError[] = [];
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(current)) {
    if (key === 'logsieve' || key === 'version') continue;
    if (!(FIELD_NAMES as string[]).includes(key)) {
      problems.push(
        userError(
          'settings.unknown-key',
          `The setting ${showSettingValue(key)} is not one LogSieve knows; it was ignored.`,
        ),
      );
      continue;
    }
    const name = key as keyof Settings;
    const checked = FIELDS[name](current[key]);
    if ('reason' in checked)
      problems.push(
        userError(
          'settings.bad-value',
          `The setting ${name} ${checked.reason} (it was ${showSettingValue(current[key])}); the default is used.`,
        ),
      );
    else settings[name] = checked.value;
  }
  return {
    settings: settings as unknown as Settings,
    outcome: problems.length === 0 ? 'ok' : 'repaired',
    problems,
  };
}

/** The file's text: stable key order, two-space indent, a final newline. */
export function serializeSettings(settings: Settings): string {
  const document: Record<string, unknown> = { logsieve: SETTINGS_KIND, version: SETTINGS_VERSION };
  for (const name of FIELD_NAMES) document[name] = settings[name];
  return JSON.stringify(document, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// Changes the UI may make. Window bounds and the recent lists are the main process's business.

export interface SettingsChange {
  readonly theme?: ThemeChoice;
  readonly displayTimeZone?: string;
  readonly exportTarget?: ExportTargetId;
  readonly exportLogName?: string;
  readonly detailPane?: boolean;
  readonly showRaw?: boolean;
  /** Replace one format's column layout; `columns: null` forgets it (back to the defaults). */
  readonly columnLayout?: {
    readonly key: string;
    readonly columns: readonly ColumnLayoutEntry[] | null;
  };
}

const CHANGE_FIELDS = [
  'theme',
  'displayTimeZone',
  'exportTarget',
  'exportLogName',
  'detailPane',
  'showRaw',
] as const satisfies readonly (keyof Settings & keyof SettingsChange)[];

/**
 * Checks a change that came over a process boundary: every key known, every value valid.
 * Returns the change, or why it is refused.
 */
export function checkSettingsChange(
  value: unknown,
): { readonly change: SettingsChange } | { readonly reason: string } {
  if (!isObject(value)) return { reason: 'the change must be an object' };
  const change: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === 'columnLayout') {
      const layout = value.columnLayout;
      if (!isObject(layout) || Object.keys(layout).some((k) => k !== 'key' && k !== 'columns'))
        return { reason: 'columnLayout must be { key, columns }' };
      if (!isLayoutKey(layout.key)) return { reason: 'columnLayout.key must be a format id' };
      if (layout.columns === null) {
        change.columnLayout = { key: layout.key, columns: null };
        continue;
      }
      const checked = checkColumnLayout(layout.columns);
      if ('reason' in checked) return { reason: `columnLayout.columns ${checked.reason}` };
      change.columnLayout = { key: layout.key, columns: checked.value };
      continue;
    }
    if (!(CHANGE_FIELDS as readonly string[]).includes(key))
      return { reason: `${showSettingValue(key)} is not a setting the window may change` };
    const name = key as (typeof CHANGE_FIELDS)[number];
    const checked = FIELDS[name](value[key]);
    if ('reason' in checked) return { reason: `${name} ${checked.reason}` };
    change[name] = checked.value;
  }
  return { change };
}

/** The settings with a (checked) change applied. */
export function applySettingsChange(settings: Settings, change: SettingsChange): Settings {
  const { columnLayout, ...plain } = change;
  let next: Settings = { ...settings, ...plain };
  if (columnLayout !== undefined) {
    // Most recently changed last; the oldest go when there are too many.
    const entries = Object.entries(settings.columnLayouts).filter(([k]) => k !== columnLayout.key);
    if (columnLayout.columns !== null) entries.push([columnLayout.key, columnLayout.columns]);
    next = { ...next, columnLayouts: Object.fromEntries(entries.slice(-MAX_LAYOUTS)) };
  }
  return next;
}
