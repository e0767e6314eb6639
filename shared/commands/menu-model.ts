/**
 * The menus, as data, in the shape each platform expects: macOS has an application menu (About,
 * Settings, Services, Hide, Quit) and a Window menu; Windows and Linux keep Settings and Quit in
 * File and About in Help. The desktop app turns this into a native menu
 * (electron/desktop/menu-template.ts); the bridge draws it inside the page, without the items
 * only a native app has (Services, Undo in text fields, Quit).
 */
import type { RecentListId } from '../settings/recent';
import type { CommandId, Host, NativeRole } from './commands';
import { commandSpec } from './commands';

export type MenuNode =
  | { readonly type: 'command'; readonly command: CommandId }
  | { readonly type: 'role'; readonly role: NativeRole }
  | { readonly type: 'separator' }
  | { readonly type: 'submenu'; readonly label: string; readonly items: readonly MenuNode[] }
  /** The recent entries of a list, then "Clear Recent"; filled in from the settings. */
  | {
      readonly type: 'recent';
      readonly label: string;
      readonly list: RecentListId;
      readonly command?: CommandId;
    };

export type MenuId = 'app' | 'file' | 'edit' | 'view' | 'window' | 'help';

export interface TopMenu {
  readonly id: MenuId;
  /** Without mnemonics; the native template adds them where the platform uses them. */
  readonly label: string;
  readonly items: readonly MenuNode[];
}

export interface MenuOptions {
  /** Offer the developer tools (unpackaged desktop builds only). */
  readonly devTools?: boolean;
}

const command = (id: CommandId): MenuNode => ({ type: 'command', command: id });
const role = (r: NativeRole): MenuNode => ({ type: 'role', role: r });
const separator: MenuNode = { type: 'separator' };

/** The menu bar for a platform (`process.platform` values) and host. */
export function menuModel(platform: string, host: Host, options: MenuOptions = {}): TopMenu[] {
  const mac = platform === 'darwin';
  const menus: TopMenu[] = [];
  if (mac && host === 'electron')
    menus.push({
      id: 'app',
      label: 'LogSieve',
      items: [
        command('help.about'),
        separator,
        command('app.settings'),
        separator,
        role('services'),
        separator,
        role('hide'),
        role('hideOthers'),
        role('unhide'),
        separator,
        command('app.quit'),
      ],
    });
  const appInFile = !(mac && host === 'electron');
  menus.push({
    id: 'file',
    label: 'File',
    items: [
      command('file.open'),
      { type: 'recent', label: 'Open Recent', list: 'files' },
      separator,
      command('filterSet.new'),
      command('filterSet.open'),
      {
        type: 'recent',
        label: 'Open Recent Filter Set',
        list: 'filterSets',
        command: 'filterSet.open',
      },
      command('filterSet.save'),
      command('filterSet.saveAs'),
      separator,
      command('file.export'),
      separator,
      command('file.close'),
      ...(appInFile ? [separator, command('app.settings'), separator, command('app.quit')] : []),
    ],
  });
  menus.push({
    id: 'edit',
    label: 'Edit',
    items: [
      role('undo'),
      role('redo'),
      separator,
      role('cut'),
      command('edit.copy'),
      role('paste'),
      role('selectAll'),
      separator,
      command('edit.copyRow'),
      separator,
      command('edit.find'),
      command('edit.goToLine'),
      command('edit.firstRow'),
      command('edit.lastRow'),
    ],
  });
  menus.push({
    id: 'view',
    label: 'View',
    items: [
      command('view.columns'),
      command('view.resetColumns'),
      separator,
      command('view.detailPane'),
      command('view.rawText'),
      separator,
      command('view.filters'),
      command('view.groups'),
      command('view.timeline'),
      separator,
      {
        type: 'submenu',
        label: 'Theme',
        items: [
          command('view.theme.system'),
          command('view.theme.light'),
          command('view.theme.dark'),
        ],
      },
      separator,
      command('view.zoomReset'),
      command('view.zoomIn'),
      command('view.zoomOut'),
      separator,
      command('view.fullScreen'),
      ...(options.devTools === true && host === 'electron'
        ? [separator, role('toggleDevTools')]
        : []),
    ],
  });
  if (mac && host === 'electron')
    menus.push({ id: 'window', label: 'Window', items: [role('windowMenu')] });
  menus.push({
    id: 'help',
    label: 'Help',
    items: [command('help.shortcuts'), ...(appInFile ? [separator, command('help.about')] : [])],
  });
  return host === 'bridge' ? menus.map((m) => ({ ...m, items: forBrowser(m.items) })) : menus;
}

/** Drops what a page cannot do (native roles, commands a browser has no place for). */
function forBrowser(items: readonly MenuNode[]): MenuNode[] {
  const kept: MenuNode[] = [];
  for (const item of items) {
    if (item.type === 'role') continue;
    if (item.type === 'command' && commandSpec(item.command).bridge === undefined) continue;
    if (item.type === 'submenu') {
      kept.push({ ...item, items: forBrowser(item.items) });
      continue;
    }
    kept.push(item);
  }
  return tidySeparators(kept);
}

/** No separator first, last, or next to another. */
export function tidySeparators(items: readonly MenuNode[]): MenuNode[] {
  const out: MenuNode[] = [];
  for (const item of items) {
    if (item.type === 'separator' && (out.length === 0 || out.at(-1)!.type === 'separator'))
      continue;
    out.push(item);
  }
  while (out.at(-1)?.type === 'separator') out.pop();
  return out;
}

/** Every command a menu bar offers, in menu order (for the shortcut list and for tests). */
export function commandsOf(menus: readonly TopMenu[]): CommandId[] {
  const ids: CommandId[] = [];
  const walk = (items: readonly MenuNode[]): void => {
    for (const item of items) {
      if (item.type === 'command') ids.push(item.command);
      else if (item.type === 'submenu') walk(item.items);
    }
  };
  for (const menu of menus) walk(menu.items);
  return ids;
}
