/**
 * The native menu: shared/commands/menu-model.ts turned into the template Electron's
 * `Menu.buildFromTemplate` takes, with check marks from the settings, the recent files filled in,
 * and each item's click wired to what runs it. Plain data and functions, so tests read the menu
 * each platform gets without Electron; main.ts only hands the result to Electron.
 */
import type { CommandId, NativeRole } from '../../shared/commands/commands';
import { acceleratorFor, commandSpec, pendingReason } from '../../shared/commands/commands';
import type { MenuNode, TopMenu } from '../../shared/commands/menu-model';
import type { RecentListId } from '../../shared/settings/recent';
import { recentLabel } from '../../shared/settings/recent';
import type { Settings } from '../../shared/settings/settings';

/** The subset of Electron's MenuItemConstructorOptions used here (structurally compatible). */
export interface TemplateItem {
  readonly id?: string;
  readonly label?: string;
  readonly type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  readonly role?: NativeRole;
  readonly accelerator?: string;
  /** False: the shortcut is shown, but the window handles the key itself (Windows, Linux). */
  readonly registerAccelerator?: boolean;
  readonly enabled?: boolean;
  readonly checked?: boolean;
  /** macOS shows it on hover; elsewhere the bridge menu and the shortcut list say why. */
  readonly toolTip?: string;
  readonly submenu?: TemplateItem[];
  readonly click?: () => void;
}

export interface MenuContext {
  readonly platform: string;
  readonly settings: Settings;
  /** Runs a command: in the main process, or by sending it to the window. */
  readonly run: (command: CommandId) => void;
  readonly openRecent: (list: RecentListId, path: string) => void;
  readonly clearRecent: (list: RecentListId) => void;
}

/** Whether a checkbox or radio command is on, from the settings. */
export function isChecked(command: CommandId, settings: Settings): boolean {
  switch (command) {
    case 'view.detailPane':
      return settings.detailPane;
    case 'view.rawText':
      return settings.showRaw;
    case 'view.theme.system':
      return settings.theme === 'system';
    case 'view.theme.light':
      return settings.theme === 'light';
    case 'view.theme.dark':
      return settings.theme === 'dark';
    default:
      return false;
  }
}

/** Windows and Linux menus underline an access key marked with `&`; a literal `&` is `&&`. */
function escapeLabel(label: string, platform: string): string {
  return platform === 'darwin' ? label : label.replaceAll('&', '&&');
}

function commandItem(command: CommandId, ctx: MenuContext): TemplateItem {
  const spec = commandSpec(command);
  const pending = pendingReason(command);
  const desktop = spec.desktop;
  if (desktop.runs === 'role') {
    // Electron's own label and shortcut for Quit match each platform ("Quit LogSieve", "Exit").
    if (desktop.role === 'quit') return { id: command, role: 'quit' };
    return { id: command, role: desktop.role, label: spec.label };
  }
  const accelerator = acceleratorFor(command, 'electron', ctx.platform);
  return {
    id: command,
    label: spec.label,
    type: spec.kind === 'action' ? 'normal' : spec.kind,
    // The window handles these keys itself (and leaves them to text fields where they edit
    // text). On Windows and Linux the menu then only shows them; macOS always registers them.
    ...(accelerator === null
      ? {}
      : { accelerator, ...(ctx.platform === 'darwin' ? {} : { registerAccelerator: false }) }),
    ...(spec.kind === 'action' ? {} : { checked: isChecked(command, ctx.settings) }),
    ...(pending === null ? {} : { enabled: false, toolTip: pending }),
    click: () => ctx.run(command),
  };
}

function recentItems(node: Extract<MenuNode, { type: 'recent' }>, ctx: MenuContext): TemplateItem {
  const pending = node.command === undefined ? null : pendingReason(node.command);
  const entries = node.list === 'files' ? ctx.settings.recentFiles : ctx.settings.recentFilterSets;
  const submenu: TemplateItem[] =
    entries.length === 0
      ? [
          {
            label: node.list === 'files' ? 'No Recent Files' : 'No Recent Filter Sets',
            enabled: false,
          },
        ]
      : entries.map((entry) => ({
          label: escapeLabel(recentLabel(entry), ctx.platform),
          click: () => ctx.openRecent(node.list, entry.path),
        }));
  submenu.push(
    { type: 'separator' },
    {
      id: `recent.clear.${node.list}`,
      label: 'Clear Recent',
      enabled: entries.length > 0,
      click: () => ctx.clearRecent(node.list),
    },
  );
  return {
    id: `recent.${node.list}`,
    label: node.label,
    type: 'submenu',
    submenu,
    ...(pending === null ? {} : { enabled: false, toolTip: pending }),
  };
}

function items(nodes: readonly MenuNode[], ctx: MenuContext): TemplateItem[] {
  return nodes.map((node): TemplateItem => {
    switch (node.type) {
      case 'separator':
        return { type: 'separator' };
      case 'role':
        return { role: node.role };
      case 'command':
        return commandItem(node.command, ctx);
      case 'submenu':
        return { label: node.label, type: 'submenu', submenu: items(node.items, ctx) };
      case 'recent':
        return recentItems(node, ctx);
    }
  });
}

/** The application menu for `Menu.buildFromTemplate`. */
export function menuTemplate(menus: readonly TopMenu[], ctx: MenuContext): TemplateItem[] {
  const mac = ctx.platform === 'darwin';
  return menus.map((menu) => {
    if (menu.id === 'window') return { role: 'windowMenu' };
    return {
      id: `menu.${menu.id}`,
      // Access keys (Alt+F, Alt+E, …) on Windows and Linux; macOS has none.
      label: mac || menu.id === 'app' ? menu.label : `&${menu.label}`,
      type: 'submenu',
      submenu: items(menu.items, ctx),
    };
  });
}
