/**
 * The menus each platform gets: every command somewhere, in the platform's shape, with the
 * standard shortcuts, no shortcut twice, and nothing a browser keeps for itself in the bridge.
 */
import { describe, expect, it } from 'vitest';
import type { CommandId, Host } from '../../../shared/commands/commands';
import {
  COMMAND_IDS,
  acceleratorFor,
  commandSpec,
  pendingReason,
} from '../../../shared/commands/commands';
import { parseAccelerator } from '../../../shared/commands/accelerator';
import type { MenuNode, TopMenu } from '../../../shared/commands/menu-model';
import { commandsOf, menuModel } from '../../../shared/commands/menu-model';

const PLATFORMS = ['darwin', 'win32', 'linux'] as const;

function walk(items: readonly MenuNode[], visit: (items: readonly MenuNode[]) => void): void {
  visit(items);
  for (const item of items) if (item.type === 'submenu') walk(item.items, visit);
}

function roles(menus: readonly TopMenu[]): string[] {
  const found: string[] = [];
  for (const m of menus)
    walk(m.items, (items) => {
      for (const i of items) if (i.type === 'role') found.push(i.role);
    });
  return found;
}

describe('menu model', () => {
  it.each(PLATFORMS)('puts every command in the %s menu exactly once', (platform) => {
    const ids = commandsOf(menuModel(platform, 'electron'));
    expect([...ids].sort()).toEqual([...COMMAND_IDS].sort());
  });

  it('has the macOS shape: an app menu with About, Settings and Quit, and a Window menu', () => {
    const menus = menuModel('darwin', 'electron');
    expect(menus.map((m) => m.id)).toEqual(['app', 'file', 'edit', 'view', 'window', 'help']);
    expect(commandsOf([menus[0]!])).toEqual(['help.about', 'app.settings', 'app.quit']);
    expect(roles([menus[0]!])).toEqual(['services', 'hide', 'hideOthers', 'unhide']);
    expect(commandsOf([menus.at(-1)!])).toEqual(['help.shortcuts']);
  });

  it.each(['win32', 'linux'] as const)(
    'has the %s shape: Settings and Quit last in File, About in Help',
    (platform) => {
      const menus = menuModel(platform, 'electron');
      expect(menus.map((m) => m.id)).toEqual(['file', 'edit', 'view', 'help']);
      expect(commandsOf([menus[0]!]).slice(-2)).toEqual(['app.settings', 'app.quit']);
      expect(commandsOf([menus.at(-1)!])).toEqual(['help.shortcuts', 'help.about']);
    },
  );

  it('offers the developer tools only when asked (unpackaged builds)', () => {
    expect(roles(menuModel('linux', 'electron'))).not.toContain('toggleDevTools');
    expect(roles(menuModel('linux', 'electron', { devTools: true }))).toContain('toggleDevTools');
    expect(roles(menuModel('linux', 'bridge', { devTools: true }))).toEqual([]);
  });

  it('has the standard shortcuts', () => {
    const expected: Partial<Record<CommandId, string>> = {
      'file.open': 'CmdOrCtrl+O',
      'filterSet.save': 'CmdOrCtrl+S',
      'filterSet.saveAs': 'CmdOrCtrl+Shift+S',
      'file.close': 'CmdOrCtrl+W',
      'app.settings': 'CmdOrCtrl+,',
      'edit.copy': 'CmdOrCtrl+C',
      'edit.find': 'CmdOrCtrl+F',
      'view.zoomIn': 'CmdOrCtrl+Plus',
      'view.zoomOut': 'CmdOrCtrl+-',
      'view.zoomReset': 'CmdOrCtrl+0',
    };
    for (const [id, accelerator] of Object.entries(expected))
      expect(acceleratorFor(id as CommandId, 'electron', 'linux'), id).toBe(accelerator);
    expect(acceleratorFor('view.fullScreen', 'electron', 'win32')).toBe('F11');
    expect(acceleratorFor('view.fullScreen', 'electron', 'darwin')).toBe('Ctrl+CmdOrCtrl+F');
  });

  it.each(PLATFORMS.flatMap((p) => (['electron', 'bridge'] as Host[]).map((h) => [p, h] as const)))(
    'never gives two commands one shortcut (%s, %s)',
    (platform, host) => {
      const seen = new Map<string, CommandId>();
      for (const id of commandsOf(menuModel(platform, host))) {
        const accelerator = acceleratorFor(id, host, platform);
        if (accelerator === null) continue;
        const a = parseAccelerator(accelerator);
        const key = JSON.stringify(a);
        expect(seen.get(key), `${id} and ${seen.get(key)} share ${accelerator}`).toBeUndefined();
        seen.set(key, id);
      }
    },
  );

  it('leaves the keys browsers keep for themselves alone in the bridge', () => {
    // Chromium handles these before the page sees them (close, new, reopen, switch tabs or windows).
    const reserved = [
      'CmdOrCtrl+W',
      'CmdOrCtrl+T',
      'CmdOrCtrl+N',
      'CmdOrCtrl+Shift+W',
      'CmdOrCtrl+Shift+T',
      'CmdOrCtrl+Shift+N',
      'CmdOrCtrl+Tab',
      'CmdOrCtrl+Q',
    ].map((a) => JSON.stringify(parseAccelerator(a)));
    for (const id of commandsOf(menuModel('linux', 'bridge'))) {
      const accelerator = acceleratorFor(id, 'bridge', 'linux');
      if (accelerator !== null)
        expect(reserved, `${id}: ${accelerator}`).not.toContain(
          JSON.stringify(parseAccelerator(accelerator)),
        );
    }
    expect(acceleratorFor('file.close', 'bridge', 'linux')).toBe('Alt+W');
  });

  it('draws the bridge menu without native-only items, and with no stray separators', () => {
    for (const platform of PLATFORMS) {
      const menus = menuModel(platform, 'bridge');
      expect(menus.map((m) => m.id)).toEqual(['file', 'edit', 'view', 'help']);
      expect(roles(menus)).toEqual([]);
      const ids = commandsOf(menus);
      expect(ids).not.toContain('app.quit');
      expect(ids).toContain('help.about');
      for (const m of menus)
        walk(m.items, (items) => {
          expect(items[0]?.type).not.toBe('separator');
          expect(items.at(-1)?.type).not.toBe('separator');
          items.forEach((item, i) => {
            if (item.type === 'separator') expect(items[i - 1]?.type).not.toBe('separator');
          });
        });
    }
  });

  it('enables the commands of the features this build has', () => {
    for (const id of [
      'filterSet.new',
      'filterSet.open',
      'filterSet.save',
      'filterSet.saveAs',
      'file.export',
      'edit.find',
      'view.filters',
      'view.groups',
      'view.timeline',
      'file.open',
      'file.close',
      'edit.copyRow',
      'help.about',
    ] as const)
      expect(pendingReason(id), id).toBeNull();
    // Every command is runnable somewhere: by the platform (a role) or the app's own code.
    for (const id of COMMAND_IDS)
      expect(commandSpec(id).desktop.runs).toMatch(/main|renderer|role/);
  });
});
