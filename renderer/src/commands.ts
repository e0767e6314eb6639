/**
 * What each menu command does in the window, and when it can. The same functions serve the
 * native menu (its items arrive as `command` events), the bridge's in-window menu, and the
 * keyboard; shared/commands says which commands exist and what their shortcuts are.
 */
import type { Host, CommandId } from '../../shared/commands/commands';
import {
  THEME_COMMANDS,
  acceleratorFor,
  commandSpec,
  pendingReason,
} from '../../shared/commands/commands';
import type { KeyStroke } from '../../shared/commands/accelerator';
import { matchesAccelerator, parseAccelerator } from '../../shared/commands/accelerator';
import { commandsOf, menuModel } from '../../shared/commands/menu-model';
import type { FileSummary } from '../../shared/api';
import { asRowIndex } from '../../shared/ids';
import type { Client } from './api/client';
import { describeError } from './api/client';
import { formatCount } from './display';
import { openFilterSet, saveFilterSet } from './explore/filter-set-file';
import type { ExploreState, ExploreStore } from './store/explore-store';
import type { FiltersStore } from './store/filters-store';
import type { SettingsState, SettingsStore } from './store/settings-store';
import type { ViewerState, ViewerStore } from './store/viewer-store';
import { activeFile, viewOf } from './store/viewer-store';

export interface CommandState {
  readonly enabled: boolean;
  /** Why it is disabled (shown in the in-window menu and said when its shortcut is pressed). */
  readonly reason: string | null;
  /** For checkbox and radio commands: whether it is on. */
  readonly checked: boolean | null;
}

export interface CommandContext {
  readonly host: Host;
  readonly platform: string;
  readonly viewer: ViewerStore;
  readonly settings: SettingsStore;
  readonly client: Client;
  /** Opens the browser's file chooser (the bridge has no native Open dialog). */
  readonly pickFiles: () => void;
  readonly filters: FiltersStore;
  readonly explore: ExploreStore;
  /** Opens the browser's file chooser for a filter set. */
  readonly pickFilterSet: () => void;
}

/** The platform the window runs on, in `process.platform` terms. */
export function platformOf(userAgent: string): string {
  if (/Mac|iPhone|iPad/.test(userAgent)) return 'darwin';
  if (/Windows/.test(userAgent)) return 'win32';
  return 'linux';
}

export function hasRows(file: FileSummary): boolean {
  return file.format !== null && (file.records > 0 || file.state === 'loading');
}

function checked(
  id: CommandId,
  settings: SettingsState,
  explore: ExploreState | null,
): boolean | null {
  const kind = commandSpec(id).kind;
  if (kind === 'action') return null;
  if (id === 'view.detailPane') return settings.settings.detailPane;
  if (id === 'view.rawText') return settings.settings.showRaw;
  if (id === 'view.timeline') return explore?.timelineOpen ?? true;
  if (id === 'view.groups') return explore?.sidebar === 'groups';
  if (id === 'view.filters') return explore?.sidebar === 'filters';
  if (id in THEME_COMMANDS)
    return settings.settings.theme === THEME_COMMANDS[id as keyof typeof THEME_COMMANDS];
  return false;
}

const NO_FILE = 'No file is open.';
const NO_ROWS = 'Open a log file first.';

/** Whether a command can run now, and why not. */
export function commandState(
  id: CommandId,
  host: Host,
  viewer: ViewerState,
  settings: SettingsState,
  explore: ExploreState | null = null,
): CommandState {
  const result = (reason: string | null): CommandState => ({
    enabled: reason === null,
    reason,
    checked: checked(id, settings, explore),
  });
  const pending = pendingReason(id);
  if (pending !== null) return result(pending);
  const bridge = commandSpec(id).bridge;
  if (host === 'bridge' && typeof bridge === 'object') return result(bridge.browser);
  const file = activeFile(viewer);
  switch (id) {
    case 'file.close':
      return result(file === null ? NO_FILE : null);
    case 'edit.find':
    case 'edit.goToLine':
    case 'edit.firstRow':
    case 'edit.lastRow':
    case 'view.columns':
    case 'view.resetColumns':
      return result(file === null || !hasRows(file) ? NO_ROWS : null);
    case 'edit.copyRow':
      if (file === null || !hasRows(file)) return result(NO_ROWS);
      return result(viewOf(viewer, file.id).selectedRecord === null ? 'Select a row first.' : null);
    default:
      return result(null);
  }
}

/** The layout key of a file's columns: its format. */
export function layoutKey(file: FileSummary): string {
  return file.format ?? 'plain';
}

async function copyRow(ctx: CommandContext): Promise<void> {
  const state = ctx.viewer.getState();
  const file = activeFile(state);
  if (file === null) return;
  const record = viewOf(state, file.id).selectedRecord;
  if (record === null) return;
  try {
    const shown = state.detail;
    const detail =
      shown?.status === 'ready' && shown.fileId === file.id && shown.record === record
        ? shown.detail
        : await ctx.client.record(file.id, record);
    await ctx.client.copyText(detail.raw);
    state.notify('info', {
      code: 'copy.done',
      message: `Copied ${detail.line === detail.lastLine ? `line ${formatCount(detail.line)}` : `lines ${formatCount(detail.line)}–${formatCount(detail.lastLine)}`} of ${detail.fileName}.`,
    });
  } catch (error) {
    state.notify('error', describeError(error));
  }
}

/** Runs a command if it can run now; otherwise says why. */
export function runCommand(id: CommandId, ctx: CommandContext): void {
  const viewer = ctx.viewer.getState();
  const settings = ctx.settings.getState();
  const state = commandState(id, ctx.host, viewer, settings, ctx.explore.getState());
  if (!state.enabled) {
    viewer.notify('info', { code: 'command.unavailable', message: state.reason ?? '' });
    return;
  }
  const file = activeFile(viewer);
  const files = {
    client: ctx.client,
    filters: ctx.filters,
    notify: viewer.notify,
    pickFilterSet: ctx.pickFilterSet,
  };
  const explore = ctx.explore.getState();
  switch (id) {
    case 'filterSet.new':
      ctx.filters.getState().newSet();
      return;
    case 'filterSet.open':
      void openFilterSet(files);
      return;
    case 'filterSet.save':
      void saveFilterSet(files, false);
      return;
    case 'filterSet.saveAs':
      void saveFilterSet(files, true);
      return;
    case 'file.export':
      viewer.setDialog('export');
      return;
    case 'edit.find':
      explore.setFind({ open: true });
      explore.requestFindFocus();
      return;
    case 'view.filters':
      explore.setSidebar(explore.sidebar === 'filters' ? null : 'filters');
      return;
    case 'view.groups':
      explore.setSidebar(explore.sidebar === 'groups' ? null : 'groups');
      return;
    case 'view.timeline':
      explore.setTimelineOpen(!explore.timelineOpen);
      return;
    case 'file.open':
      if (ctx.host === 'electron') void viewer.openDialog();
      else ctx.pickFiles();
      return;
    case 'file.close':
      if (file !== null) void viewer.closeFile(file.id);
      return;
    case 'app.settings':
      viewer.setDialog('settings');
      return;
    case 'edit.copy':
      // The page's copy handler decides what is copied (the selection, or the focused cell).
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the one way for a page to run the browser's own Copy
      document.execCommand('copy');
      return;
    case 'edit.copyRow':
      void copyRow(ctx);
      return;
    case 'edit.goToLine':
      viewer.setJumpOpen(true);
      return;
    case 'edit.firstRow':
      if (file !== null) viewer.jumpToRow(file.id, asRowIndex(0));
      return;
    case 'edit.lastRow':
      if (file !== null) viewer.jumpToRow(file.id, asRowIndex(Math.max(0, file.records - 1)));
      return;
    case 'view.columns':
      viewer.setDialog('columns');
      return;
    case 'view.resetColumns':
      if (file !== null)
        void settings.change({ columnLayout: { key: layoutKey(file), columns: null } });
      return;
    case 'view.detailPane':
      void settings.change({ detailPane: !settings.settings.detailPane });
      return;
    case 'view.rawText':
      void settings.change({ showRaw: !settings.settings.showRaw });
      return;
    case 'view.theme.system':
    case 'view.theme.light':
    case 'view.theme.dark':
      void settings.change({ theme: THEME_COMMANDS[id] });
      return;
    case 'help.shortcuts':
      viewer.setDialog('shortcuts');
      return;
    case 'help.about':
      viewer.setDialog('about');
      return;
    default:
      // Commands whose feature is missing (disabled above), and those the platform runs itself
      // (Quit, zoom, full screen) which never reach the window.
      return;
  }
}

export interface Shortcut {
  readonly command: CommandId;
  readonly accelerator: string;
}

/**
 * The shortcuts the window itself handles, in menu order. Commands the platform runs (Copy,
 * zoom, full screen, Quit) are left to it: the browser or Electron's menu roles.
 */
export function windowShortcuts(host: Host, platform: string): Shortcut[] {
  const shortcuts: Shortcut[] = [];
  for (const command of commandsOf(menuModel(platform, host))) {
    const spec = commandSpec(command);
    if (spec.desktop.runs === 'role') continue;
    const accelerator = acceleratorFor(command, host, platform);
    if (accelerator !== null) shortcuts.push({ command, accelerator });
  }
  return shortcuts;
}

const CARET_KEYS = new Set([
  'Home',
  'End',
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'PageUp',
  'PageDown',
  'Backspace',
  'Delete',
]);

/**
 * Whether a key belongs to the text field that has focus (moving the caret, typing), so that no
 * shortcut takes it: Ctrl+End in the Go to line box moves the caret, it does not jump to the end.
 */
export function isTextFieldKey(stroke: KeyStroke, target: EventTarget | null): boolean {
  const editable =
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement ||
      (target instanceof HTMLInputElement &&
        !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(target.type)));
  if (!editable) return false;
  if (CARET_KEYS.has(stroke.key)) return true;
  return !stroke.ctrlKey && !stroke.metaKey && !stroke.altKey && stroke.key.length === 1;
}

/** The command a key stroke means, or null. */
export function commandForKey(
  stroke: KeyStroke,
  shortcuts: readonly Shortcut[],
  platform: string,
): CommandId | null {
  for (const { command, accelerator } of shortcuts)
    if (matchesAccelerator(parseAccelerator(accelerator), stroke, platform)) return command;
  return null;
}
