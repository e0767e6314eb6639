/**
 * The settings file: read back what was written, keep every good value when some are bad, say
 * why each bad one was dropped, refuse nothing at start-up, leave a newer version alone, and
 * migrate older versions one step at a time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Settings, SettingsChain } from '../../../shared/settings/settings';
import {
  DEFAULT_SETTINGS,
  SETTINGS_VERSION,
  applySettingsChange,
  checkSettingsChange,
  loadSettingsDocument,
  parseSettings,
  serializeSettings,
} from '../../../shared/settings/settings';

const FIXTURE_V1 = new URL('../../fixtures/settings.v1.json', import.meta.url);

const CUSTOM: Settings = {
  ...DEFAULT_SETTINGS,
  theme: 'light',
  displayTimeZone: 'America/New_York',
  exportTarget: 'httpd24',
  exportLogName: 'main',
  detailPane: false,
  window: { x: -1200, y: 10, width: 1000, height: 700, maximized: false },
  columnLayouts: { plain: [{ id: 'line', width: 60, hidden: true }] },
  recentFiles: [{ path: '/logs/a.log', openedMs: 5 }],
};

describe('settings file', () => {
  it('reads back exactly what it wrote', () => {
    for (const settings of [DEFAULT_SETTINGS, CUSTOM]) {
      const loaded = parseSettings(serializeSettings(settings));
      expect(loaded).toEqual({ settings, outcome: 'ok', problems: [] });
    }
    expect(JSON.parse(serializeSettings(CUSTOM))).toMatchObject({
      logsieve: 'settings',
      version: SETTINGS_VERSION,
    });
  });

  it('reads the version 1 fixture', () => {
    const loaded = parseSettings(readFileSync(FIXTURE_V1, 'utf8'));
    expect(loaded.problems).toEqual([]);
    expect(loaded.settings).toMatchObject({
      theme: 'dark',
      displayTimeZone: 'Europe/Berlin',
      exportTarget: 'cpl',
      exportLogName: 'main_access',
      window: { maximized: true },
      recentFiles: [{ path: '/var/log/apache2/access.log' }, { path: 'C:\\Logs\\ctagent.log' }],
    });
    expect(loaded.settings.columnLayouts['apache-access']).toHaveLength(5);
  });

  it('fills what a file leaves out with the defaults, silently', () => {
    expect(parseSettings('{"logsieve":"settings","version":1,"theme":"dark"}')).toEqual({
      settings: { ...DEFAULT_SETTINGS, theme: 'dark' },
      outcome: 'ok',
      problems: [],
    });
  });

  it('keeps the good values of a file with bad ones, and says what each bad one was', () => {
    const loaded = parseSettings(
      JSON.stringify({
        logsieve: 'settings',
        version: 1,
        theme: 'purple',
        displayTimeZone: 'Mars/Olympus_Mons',
        exportTarget: 'cpl',
        exportLogName: 'no spaces allowed',
        detailPane: 'yes',
        window: { x: 0, y: 0, width: 5, height: 5, maximized: false },
        columnLayouts: { plain: [{ id: 'line', width: 1e9, hidden: false }] },
        recentFiles: [{ path: '', openedMs: 1 }],
        colour: 'blue',
      }),
    );
    expect(loaded.outcome).toBe('repaired');
    expect(loaded.settings).toEqual({ ...DEFAULT_SETTINGS, exportTarget: 'cpl' });
    const messages = loaded.problems.map((p) => p.message).join('\n');
    for (const name of [
      'theme',
      'displayTimeZone',
      'exportLogName',
      'detailPane',
      'window',
      'columnLayouts',
      'recentFiles',
      '"colour"',
    ])
      expect(messages).toContain(name);
    expect(messages).toContain('"purple"');
    expect(loaded.problems.find((p) => p.message.includes('colour'))?.code).toBe(
      'settings.unknown-key',
    );
  });

  it('tidies recent lists: duplicates out, at most ten', () => {
    const entries = Array.from({ length: 14 }, (_, i) => ({
      path: `/l/${i % 12}.log`,
      openedMs: i,
    }));
    const loaded = parseSettings(
      JSON.stringify({ logsieve: 'settings', version: 1, recentFiles: entries }),
    );
    expect(loaded.outcome).toBe('ok');
    expect(loaded.settings.recentFiles).toHaveLength(10);
    expect(new Set(loaded.settings.recentFiles.map((e) => e.path)).size).toBe(10);
  });

  it.each([
    ['', 'settings.empty'],
    ['   \n', 'settings.empty'],
    ['{"logsieve":"settings","version":1,', 'settings.not-json'],
    ['\u0000\u0000\u0000', 'settings.not-json'],
    ['[1,2]', 'settings.not-settings'],
    ['{"logsieve":"filter-set","version":1}', 'settings.not-settings'],
    ['{"logsieve":"settings"}', 'settings.bad-version'],
    ['{"logsieve":"settings","version":"1"}', 'settings.bad-version'],
    ['{"logsieve":"settings","version":0}', 'settings.bad-version'],
  ])('starts from the defaults, saying why, for %j', (text, code) => {
    const loaded = parseSettings(text);
    expect(loaded.outcome).toBe('reset');
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problems.map((p) => p.code)).toEqual([code]);
    expect(loaded.problems[0]?.hint).toMatch(/default settings/);
  });

  it('leaves a file from a newer LogSieve alone and says so', () => {
    const loaded = parseSettings(
      JSON.stringify({ logsieve: 'settings', version: SETTINGS_VERSION + 1, theme: 'dark' }),
    );
    expect(loaded.outcome).toBe('newer');
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problems[0]).toMatchObject({ code: 'settings.version-too-new' });
    expect(loaded.problems[0]?.hint).toMatch(/not saved/);
  });
});

describe('settings migrations', () => {
  // A made-up history: v1 called the theme "colour", v2 stored the zone under "zone".
  const chain: SettingsChain = {
    currentVersion: 3,
    migrations: [
      {
        from: 1,
        migrate: ({ colour, ...rest }) => ({
          ...rest,
          theme: colour === 'night' ? 'dark' : 'light',
        }),
      },
      { from: 2, migrate: ({ zone, ...rest }) => ({ ...rest, displayTimeZone: zone }) },
    ],
  };

  it('migrates one version at a time up to the current one', () => {
    const v1 = { logsieve: 'settings', version: 1, colour: 'night', zone: 'Asia/Tokyo' };
    expect(loadSettingsDocument(v1, chain)).toEqual({
      settings: { ...DEFAULT_SETTINGS, theme: 'dark', displayTimeZone: 'Asia/Tokyo' },
      outcome: 'ok',
      problems: [],
    });
    const v2 = { logsieve: 'settings', version: 2, theme: 'light', zone: 'UTC' };
    expect(loadSettingsDocument(v2, chain).settings).toMatchObject({ theme: 'light' });
  });

  it('resets, saying why, when a step is missing or fails', () => {
    const gap: SettingsChain = { currentVersion: 3, migrations: [chain.migrations[1]!] };
    expect(loadSettingsDocument({ logsieve: 'settings', version: 1 }, gap).problems[0]?.code).toBe(
      'settings.no-migration',
    );
    const broken: SettingsChain = {
      currentVersion: 2,
      migrations: [
        {
          from: 1,
          migrate: () => {
            throw new Error('boom');
          },
        },
      ],
    };
    expect(loadSettingsDocument({ logsieve: 'settings', version: 1 }, broken)).toMatchObject({
      outcome: 'reset',
      problems: [{ code: 'settings.migration-failed' }],
    });
  });
});

describe('changes from the window', () => {
  it('accepts what the window may change, each value checked', () => {
    expect(checkSettingsChange({ theme: 'dark', showRaw: true })).toEqual({
      change: { theme: 'dark', showRaw: true },
    });
    expect(checkSettingsChange({ displayTimeZone: 'local' })).toEqual({
      change: { displayTimeZone: 'local' },
    });
    expect(
      checkSettingsChange({
        columnLayout: { key: 'apache-access', columns: [{ id: 'line', width: 90, hidden: false }] },
      }),
    ).toMatchObject({ change: { columnLayout: { key: 'apache-access' } } });
    expect(checkSettingsChange({ columnLayout: { key: 'plain', columns: null } })).toEqual({
      change: { columnLayout: { key: 'plain', columns: null } },
    });
  });

  it.each([
    [null],
    [[]],
    [{ theme: 'purple' }],
    [{ window: { x: 0, y: 0, width: 800, height: 600, maximized: false } }],
    [{ recentFiles: [] }],
    [{ displayTimeZone: 'Nowhere/Special' }],
    [{ exportLogName: 'main; rm -rf /' }],
    [{ exportTarget: 'iptables' }],
    [{ columnLayout: { key: '../x', columns: null } }],
    [{ columnLayout: { key: 'plain', columns: [{ id: 'line', width: 5, hidden: false }] } }],
    [{ columnLayout: { key: 'plain', columns: null, extra: 1 } }],
    [
      {
        columnLayout: {
          key: 'plain',
          columns: [
            { id: 'line', width: 50, hidden: false },
            { id: 'line', width: 50, hidden: false },
          ],
        },
      },
    ],
    [{ __proto__: { theme: 'dark' }, constructor: 1 }],
  ])('refuses %j', (value) => {
    expect(checkSettingsChange(value)).toHaveProperty('reason');
  });

  it('keeps the most recently changed column layouts, at most 64', () => {
    let settings = DEFAULT_SETTINGS;
    for (let i = 0; i < 70; i++)
      settings = applySettingsChange(settings, {
        columnLayout: { key: `f${i}`, columns: [{ id: 'line', width: 50, hidden: false }] },
      });
    settings = applySettingsChange(settings, {
      columnLayout: { key: 'f10', columns: [{ id: 'line', width: 70, hidden: false }] },
    });
    const keys = Object.keys(settings.columnLayouts);
    expect(keys).toHaveLength(64);
    expect(keys.at(-1)).toBe('f10');
    expect(keys).not.toContain('f5');
    expect(keys).toContain('f6');
    const forgotten = applySettingsChange(settings, {
      columnLayout: { key: 'f10', columns: null },
    });
    expect(forgotten.columnLayouts.f10).toBeUndefined();
  });
});
