/**
 * The native menu each platform gets, read without Electron: labels and access keys, Electron's
 * own items where the platform has them, check marks from the settings, recent files, the
 * disabled commands of features not built yet, and where each click goes.
 */
import { describe, expect, it } from 'vitest';
import type { CommandId } from '../../shared/commands/commands';
import { menuModel } from '../../shared/commands/menu-model';
import type { RecentListId } from '../../shared/settings/recent';
import { DEFAULT_SETTINGS } from '../../shared/settings/settings';
import type { Settings } from '../../shared/settings/settings';
import type { TemplateItem } from '../../electron/desktop/menu-template';
import { menuTemplate } from '../../electron/desktop/menu-template';

function build(platform: string, settings: Settings = DEFAULT_SETTINGS) {
  const calls: { run: CommandId[]; open: [RecentListId, string][]; clear: RecentListId[] } = {
    run: [],
    open: [],
    clear: [],
  };
  const template = menuTemplate(menuModel(platform, 'electron'), {
    platform,
    settings,
    run: (c) => calls.run.push(c),
    openRecent: (list, path) => calls.open.push([list, path]),
    clearRecent: (list) => calls.clear.push(list),
  });
  return { template, calls };
}

function find(items: readonly TemplateItem[], id: string): TemplateItem {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = item.submenu ? findOrNull(item.submenu, id) : null;
    if (inner) return inner;
  }
  throw new Error(`no item ${id}`);
}
function findOrNull(items: readonly TemplateItem[], id: string): TemplateItem | null {
  try {
    return find(items, id);
  } catch {
    return null;
  }
}

describe('native menu template', () => {
  it('gives Windows and Linux access keys, and macOS none', () => {
    expect(build('win32').template.map((m) => m.label)).toEqual([
      '&File',
      '&Edit',
      '&View',
      '&Help',
    ]);
    expect(build('linux').template.map((m) => m.label)).toEqual([
      '&File',
      '&Edit',
      '&View',
      '&Help',
    ]);
    expect(build('darwin').template.map((m) => m.label ?? m.role)).toEqual([
      'LogSieve',
      'File',
      'Edit',
      'View',
      'windowMenu',
      'Help',
    ]);
  });

  it('uses Electron’s own items for Quit, editing, zoom and full screen', () => {
    const { template } = build('win32');
    expect(find(template, 'app.quit')).toEqual({ id: 'app.quit', role: 'quit' });
    expect(find(template, 'edit.copy')).toMatchObject({ role: 'copy', label: 'Copy' });
    expect(find(template, 'view.zoomIn')).toMatchObject({ role: 'zoomIn' });
    expect(find(template, 'view.fullScreen')).toMatchObject({ role: 'togglefullscreen' });
    const edit = template.find((m) => m.label === '&Edit')!;
    expect(edit.submenu!.filter((i) => i.role).map((i) => i.role)).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
  });

  it('sends the app’s own commands where they run, with their shortcuts', () => {
    const { template, calls } = build('linux');
    const open = find(template, 'file.open');
    expect(open).toMatchObject({
      label: 'Open…',
      accelerator: 'CmdOrCtrl+O',
      registerAccelerator: false,
    });
    expect(find(build('darwin').template, 'file.open').registerAccelerator).toBeUndefined();
    open.click!();
    find(template, 'edit.copyRow').click!();
    find(template, 'view.detailPane').click!();
    expect(calls.run).toEqual(['file.open', 'edit.copyRow', 'view.detailPane']);
  });

  it('checks what the settings say is on', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      theme: 'dark' as const,
      detailPane: false,
      showRaw: true,
    };
    const { template } = build('darwin', settings);
    expect(find(template, 'view.detailPane')).toMatchObject({ type: 'checkbox', checked: false });
    expect(find(template, 'view.rawText')).toMatchObject({ type: 'checkbox', checked: true });
    expect(find(template, 'view.theme.dark')).toMatchObject({ type: 'radio', checked: true });
    expect(find(template, 'view.theme.system')).toMatchObject({ type: 'radio', checked: false });
  });

  it('enables the filter-set, export, find and timeline commands', () => {
    const { template } = build('darwin');
    for (const id of [
      'filterSet.open',
      'filterSet.save',
      'file.export',
      'edit.find',
      'view.timeline',
    ]) {
      const item = find(template, id);
      expect(item.enabled, id).not.toBe(false);
      expect(item.toolTip, id).toBeUndefined();
    }
    expect(find(template, 'filterSet.save').accelerator).toBe('CmdOrCtrl+S');
  });

  it('lists recent files, escaping & on Windows, and clears them', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      recentFiles: [
        { path: 'C:\\Logs\\R&D\\ctagent.log', openedMs: 2 },
        { path: 'C:\\Logs\\access.log', openedMs: 1 },
      ],
    };
    const { template, calls } = build('win32', settings);
    const recent = find(template, 'recent.files');
    expect(recent.submenu!.map((i) => i.label ?? i.type)).toEqual([
      'ctagent.log — C:\\Logs\\R&&D',
      'access.log — C:\\Logs',
      'separator',
      'Clear Recent',
    ]);
    recent.submenu![0]!.click!();
    find(template, 'recent.clear.files').click!();
    expect(calls.open).toEqual([['files', 'C:\\Logs\\R&D\\ctagent.log']]);
    expect(calls.clear).toEqual(['files']);
  });

  it('says when there is nothing recent', () => {
    const recent = find(build('linux').template, 'recent.files');
    expect(recent.submenu![0]).toEqual({ label: 'No Recent Files', enabled: false });
    expect(find(build('linux').template, 'recent.clear.files').enabled).toBe(false);
  });
});
