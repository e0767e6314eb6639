/**
 * Every command a menu offers, as data: its label, its shortcut, how the desktop app runs it and
 * how the browser bridge does. The native menu (electron/desktop/menu-template.ts), the in-window
 * menu of the bridge, the keyboard handler and the shortcut list are all made from this table, so
 * a command cannot be in one and missing from another.
 *
 * Commands whose feature is not in this build yet (filter sets, export, find, the timeline) are
 * listed with their shortcuts and shown disabled with the reason; when a feature lands, add it to
 * {@link AVAILABLE_FEATURES} and give the renderer's command handler its action.
 */

/** Features some commands wait for, with what the user is told meanwhile. */
export const PENDING_FEATURE_REASONS = {
  'filter-sets': 'Not in this version yet: comes with the Filters panel.',
  export: 'Not in this version yet: needs a filter set.',
  find: 'Not in this version yet.',
  timeline: 'Not in this version yet.',
} as const;
export type Feature = keyof typeof PENDING_FEATURE_REASONS;

/** Features this build has. A command that needs a feature not listed here is disabled. */
export const AVAILABLE_FEATURES: ReadonlySet<Feature> = new Set<Feature>([
  'filter-sets',
  'export',
  'find',
  'timeline',
]);

/** Electron menu roles the app uses: the platform's own implementations (editing, zoom, windows). */
export type NativeRole =
  | 'about'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'toggleDevTools'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'windowMenu';

/**
 * How the desktop app runs a command:
 * - `main`: the main process does it (it shows the Open dialog, it knows the recent files);
 * - `renderer`: the main process sends the command to the window, which does it;
 * - a role: Electron's own implementation.
 */
export type DesktopRun =
  | { readonly runs: 'main' }
  | { readonly runs: 'renderer' }
  | { readonly runs: 'role'; readonly role: NativeRole };

/**
 * How the bridge (a browser tab) runs it: `renderer`, the page does it; `browser`, the browser
 * itself does (zoom, full screen) and the menu says how; absent, the command has no place in a
 * browser (the page cannot quit the browser).
 */
export type BridgeRun = 'renderer' | { readonly browser: string };

export type CommandKind = 'action' | 'checkbox' | 'radio';

export interface CommandSpec {
  /** As menus show it (title case, `…` when it asks for more before acting). */
  readonly label: string;
  /** What it does, for the shortcut list. */
  readonly description: string;
  readonly kind: CommandKind;
  /** Electron accelerator syntax; the same on every platform unless {@link macAccelerator} says. */
  readonly accelerator?: string;
  readonly macAccelerator?: string;
  /**
   * The shortcut in a browser, where browsers keep some keys for themselves (Ctrl+W closes the
   * tab before the page sees it); null: no shortcut there.
   */
  readonly bridgeAccelerator?: string | null;
  readonly desktop: DesktopRun;
  readonly bridge?: BridgeRun;
  readonly needs?: Feature;
}

const main = { runs: 'main' } as const;
const renderer = { runs: 'renderer' } as const;
const role = (r: NativeRole) => ({ runs: 'role', role: r }) as const;

export const COMMANDS = {
  'file.open': {
    label: 'Open…',
    description: 'Open log files',
    kind: 'action',
    accelerator: 'CmdOrCtrl+O',
    desktop: main,
    bridge: 'renderer',
  },
  'filterSet.new': {
    label: 'New Filter Set',
    description: 'Start an empty filter set',
    kind: 'action',
    desktop: renderer,
    bridge: 'renderer',
    needs: 'filter-sets',
  },
  'filterSet.open': {
    label: 'Open Filter Set…',
    description: 'Open a saved filter set',
    kind: 'action',
    accelerator: 'CmdOrCtrl+Shift+O',
    desktop: renderer,
    bridge: 'renderer',
    needs: 'filter-sets',
  },
  'filterSet.save': {
    label: 'Save Filter Set',
    description: 'Save the filter set',
    kind: 'action',
    accelerator: 'CmdOrCtrl+S',
    desktop: renderer,
    bridge: 'renderer',
    needs: 'filter-sets',
  },
  'filterSet.saveAs': {
    label: 'Save Filter Set As…',
    description: 'Save the filter set under another name',
    kind: 'action',
    accelerator: 'CmdOrCtrl+Shift+S',
    desktop: renderer,
    bridge: 'renderer',
    needs: 'filter-sets',
  },
  'file.export': {
    label: 'Export…',
    description: 'Turn the filter set into device configuration',
    kind: 'action',
    accelerator: 'CmdOrCtrl+E',
    desktop: renderer,
    bridge: 'renderer',
    needs: 'export',
  },
  'file.close': {
    label: 'Close File',
    description: 'Close the file shown',
    kind: 'action',
    accelerator: 'CmdOrCtrl+W',
    // Browsers close the tab on Ctrl+W before the page sees the key.
    bridgeAccelerator: 'Alt+W',
    desktop: renderer,
    bridge: 'renderer',
  },
  'app.settings': {
    label: 'Settings…',
    description: 'Theme, time zone, export defaults',
    kind: 'action',
    accelerator: 'CmdOrCtrl+,',
    desktop: renderer,
    bridge: 'renderer',
  },
  'app.quit': {
    label: 'Quit',
    description: 'Quit LogSieve',
    kind: 'action',
    desktop: role('quit'),
  },
  'edit.copy': {
    label: 'Copy',
    description: 'Copy the selected text, or the focused cell',
    kind: 'action',
    accelerator: 'CmdOrCtrl+C',
    desktop: role('copy'),
    bridge: 'renderer',
  },
  'edit.copyRow': {
    label: 'Copy Row',
    description: 'Copy the selected record as it is written in the file',
    kind: 'action',
    accelerator: 'CmdOrCtrl+Shift+C',
    desktop: renderer,
    bridge: 'renderer',
  },
  'edit.find': {
    label: 'Find…',
    description: 'Search the records',
    kind: 'action',
    accelerator: 'CmdOrCtrl+F',
    desktop: renderer,
    bridge: 'renderer',
    needs: 'find',
  },
  'edit.goToLine': {
    label: 'Go to Line…',
    description: 'Jump to a line number',
    kind: 'action',
    accelerator: 'CmdOrCtrl+G',
    desktop: renderer,
    bridge: 'renderer',
  },
  'edit.firstRow': {
    label: 'First Row',
    description: 'Go to the first row',
    kind: 'action',
    accelerator: 'CmdOrCtrl+Home',
    desktop: renderer,
    bridge: 'renderer',
  },
  'edit.lastRow': {
    label: 'Last Row',
    description: 'Go to the last row',
    kind: 'action',
    accelerator: 'CmdOrCtrl+End',
    desktop: renderer,
    bridge: 'renderer',
  },
  'view.columns': {
    label: 'Columns…',
    description: 'Choose the columns the grid shows',
    kind: 'action',
    desktop: renderer,
    bridge: 'renderer',
  },
  'view.resetColumns': {
    label: 'Reset Column Layout',
    description: 'Default column order, widths and visibility for this format',
    kind: 'action',
    desktop: renderer,
    bridge: 'renderer',
  },
  'view.detailPane': {
    label: 'Record Pane',
    description: 'Show or hide the selected record, whole',
    kind: 'checkbox',
    accelerator: 'F4',
    desktop: renderer,
    bridge: 'renderer',
  },
  'view.rawText': {
    label: 'Raw Text',
    description: 'Show each record as written instead of its message',
    kind: 'checkbox',
    desktop: renderer,
    bridge: 'renderer',
  },
  'view.filters': {
    label: 'Filters',
    description: 'Show the rules of the filter set in the sidebar',
    kind: 'checkbox',
    desktop: renderer,
    bridge: 'renderer',
    needs: 'filter-sets',
  },
  'view.groups': {
    label: 'Groups',
    description: 'Show the group table in the sidebar',
    kind: 'checkbox',
    desktop: renderer,
    bridge: 'renderer',
  },
  'view.timeline': {
    label: 'Timeline',
    description: 'Show the timeline of records',
    kind: 'checkbox',
    desktop: renderer,
    bridge: 'renderer',
    needs: 'timeline',
  },
  'view.theme.system': {
    label: 'Follow System',
    description: 'Light or dark, as the operating system is',
    kind: 'radio',
    desktop: renderer,
    bridge: 'renderer',
  },
  'view.theme.light': {
    label: 'Light',
    description: 'Light theme',
    kind: 'radio',
    desktop: renderer,
    bridge: 'renderer',
  },
  'view.theme.dark': {
    label: 'Dark',
    description: 'Dark theme',
    kind: 'radio',
    desktop: renderer,
    bridge: 'renderer',
  },
  'view.zoomReset': {
    label: 'Actual Size',
    description: 'Zoom to 100 %',
    kind: 'action',
    accelerator: 'CmdOrCtrl+0',
    desktop: role('resetZoom'),
    bridge: { browser: "Use the browser's own zoom." },
  },
  'view.zoomIn': {
    label: 'Zoom In',
    description: 'Make everything larger',
    kind: 'action',
    accelerator: 'CmdOrCtrl+Plus',
    desktop: role('zoomIn'),
    bridge: { browser: "Use the browser's own zoom." },
  },
  'view.zoomOut': {
    label: 'Zoom Out',
    description: 'Make everything smaller',
    kind: 'action',
    accelerator: 'CmdOrCtrl+-',
    desktop: role('zoomOut'),
    bridge: { browser: "Use the browser's own zoom." },
  },
  'view.fullScreen': {
    label: 'Full Screen',
    description: 'Fill the screen with the window',
    kind: 'action',
    accelerator: 'F11',
    macAccelerator: 'Ctrl+CmdOrCtrl+F',
    desktop: role('togglefullscreen'),
    bridge: { browser: "Use the browser's own full screen." },
  },
  'help.shortcuts': {
    label: 'Keyboard Shortcuts',
    description: 'List every shortcut',
    kind: 'action',
    accelerator: 'CmdOrCtrl+/',
    desktop: renderer,
    bridge: 'renderer',
  },
  'help.about': {
    label: 'About LogSieve',
    description: 'Version, and what LogSieve does not do',
    kind: 'action',
    desktop: renderer,
    bridge: 'renderer',
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandId = keyof typeof COMMANDS;
export const COMMAND_IDS = Object.keys(COMMANDS) as CommandId[];

export function isCommandId(value: unknown): value is CommandId {
  return typeof value === 'string' && Object.hasOwn(COMMANDS, value);
}

export function commandSpec(id: CommandId): CommandSpec {
  return COMMANDS[id];
}

/** Why a command cannot run in this build (its feature is missing), or null. */
export function pendingReason(id: CommandId): string | null {
  const needs = commandSpec(id).needs;
  return needs === undefined || AVAILABLE_FEATURES.has(needs)
    ? null
    : PENDING_FEATURE_REASONS[needs];
}

export type Host = 'electron' | 'bridge';

/** The command's shortcut where the UI runs, or null. */
export function acceleratorFor(id: CommandId, host: Host, platform: string): string | null {
  const spec = commandSpec(id);
  if (host === 'bridge' && spec.bridgeAccelerator !== undefined) return spec.bridgeAccelerator;
  if (platform === 'darwin' && spec.macAccelerator !== undefined) return spec.macAccelerator;
  return spec.accelerator ?? null;
}

/** The theme a theme command chooses. */
export const THEME_COMMANDS = {
  'view.theme.system': 'system',
  'view.theme.light': 'light',
  'view.theme.dark': 'dark',
} as const satisfies Partial<Record<CommandId, string>>;
