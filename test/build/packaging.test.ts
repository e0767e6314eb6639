/**
 * The packaging configuration, checked where the Electron runtime cannot be downloaded:
 * electron-builder's own loader and schema accept electron-builder.yml; the targets, file
 * associations, icons and "nothing phones home" settings are what the README promises; and
 * where an Electron distribution is present, a real unpacked Linux build is made and inspected.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// electron-builder's own configuration loader and schema check. They are not re-exported by the
// electron-builder package, so they are taken from app-builder-lib, its implementation (same
// version, installed with it); an upgrade that moves them fails here, loudly.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration, FileAssociation } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { listPackage } from '@electron/asar';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../shared/formats/registry';
import { ICNS_TYPES, pngSize } from '../../scripts/icon-containers';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  author: { name: string; email: string };
  version: string;
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

async function loadConfig(): Promise<Configuration> {
  return getConfig(root, null, null);
}

const asList = <T>(value: T | readonly T[] | null | undefined): T[] =>
  value === null || value === undefined
    ? []
    : Array.isArray(value)
      ? [...(value as T[])]
      : [value as T];

function targets(config: Configuration, os: 'win' | 'mac' | 'linux'): string[] {
  return asList(config[os]?.target).map((t) => (typeof t === 'string' ? t : t.target));
}

function extensions(associations: readonly FileAssociation[]): string[] {
  return associations.flatMap((a) => asList(a.ext)).sort();
}

/**
 * File-name extensions the formats say their files have (`*.evtx`, `u_ex*.log`), without
 * wildcards in the extension itself (`access.log*` is a rotated log: no extension to claim).
 */
function declaredExtensions(): string[] {
  const found = new Set<string>();
  for (const format of FORMATS)
    for (const pattern of format.filePatterns) {
      const dot = pattern.lastIndexOf('.');
      const ext = dot < 0 ? '' : pattern.slice(dot + 1);
      if (/^[a-z0-9]+$/i.test(ext)) found.add(ext.toLowerCase());
    }
  return [...found].sort();
}

/**
 * Extensions LogSieve reads but does not claim: every spreadsheet, document and text file would
 * open in LogSieve on a double-click (the Windows installer makes the app the default handler).
 */
const NOT_CLAIMED = new Set(['txt', 'csv', 'xml', 'json']);

describe('electron-builder configuration', () => {
  it('is accepted by electron-builder’s own loader and schema', async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config).toMatchObject({ appId: 'org.logsieve.desktop', productName: 'LogSieve' });
  });

  it('packs the built app into an asar, with nothing unpacked and no source maps', async () => {
    const config = await loadConfig();
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toBeUndefined();
    // The loader normalises the list into one file set.
    expect(config.files).toEqual([
      {
        filter: [
          'out/**/*',
          '!out/**/*.map',
          '!out/main/cli.js',
          '!out/main/bridge.js',
          'package.json',
        ],
      },
    ]);
    expect(pkg.main.startsWith('out/')).toBe(true);
    // The version is package.json's; nothing overrides it.
    expect(config.extraMetadata).toBeUndefined();
    expect(config.directories).toMatchObject({ output: 'release', buildResources: 'build' });
  });

  it('phones nowhere: no publish target, no updater, no crash reporter', async () => {
    const config = await loadConfig();
    expect(config.publish).toBeNull();
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(
      Object.keys(deps).filter((d) => /updater|sentry|crash|telemetry|analytics/i.test(d)),
    ).toEqual([]);
    const main = readFileSync(join(root, 'electron/main.ts'), 'utf8');
    for (const word of ['autoUpdater', 'crashReporter', 'net.request', 'fetch('])
      expect(main, word).not.toContain(word);
  });

  it('builds the documented targets on each OS', async () => {
    const config = await loadConfig();
    expect(targets(config, 'win')).toEqual(['nsis', 'portable']);
    expect(targets(config, 'mac')).toEqual(['dmg']);
    expect(targets(config, 'linux')).toEqual(['AppImage', 'deb']);
    expect(pkg.scripts.dist).toBe('npm run build && electron-builder');
    // An uninstall leaves the user's settings and recent files.
    expect(config.nsis?.deleteAppDataOnUninstall).toBe(false);
    // The deb's maintainer comes from package.json's author.
    expect(pkg.author).toMatchObject({ name: expect.any(String) as unknown, email: /@/ });
  });

  it('opens .log, .evtx, .evt and every extension the formats declare, on every OS', async () => {
    const config = await loadConfig();
    const win = extensions(asList(config.win?.fileAssociations));
    const mac = extensions(asList(config.mac?.fileAssociations));
    // Linux: .log through the shared text/x-log type, the event logs through their own types.
    const linux = extensions(asList(config.linux?.fileAssociations));
    expect(asList(config.linux?.mimeTypes)).toEqual(['text/x-log']);
    const linuxAll = [...linux, 'log'].sort();
    expect(win).toEqual(['evt', 'evtx', 'log', 'syslog', 'w3c']);
    expect(mac).toEqual(win);
    expect(linuxAll).toEqual(win);
    for (const ext of declaredExtensions())
      if (!NOT_CLAIMED.has(ext)) expect(win, `formats declare *.${ext}`).toContain(ext);
    // Windows file types need ProgIDs without spaces; the Linux ones need a MIME type each.
    for (const a of asList(config.win?.fileAssociations)) expect(a.name).toMatch(/^LogSieve\.\w+$/);
    for (const a of asList(config.linux?.fileAssociations))
      expect(a.mimeType).toMatch(/^application\//);
  });
});

describe('icons', () => {
  const file = (name: string) => readFileSync(join(root, 'build', name));

  it('has the Linux sizes, each the size its name says', () => {
    const names = readdirSync(join(root, 'build/icons')).sort();
    expect(names).toEqual([16, 24, 32, 48, 64, 128, 256, 512].map((s) => `${s}x${s}.png`).sort());
    for (const name of names) {
      const size = Number(name.split('x')[0]);
      expect(pngSize(file(`icons/${name}`)), name).toEqual({ width: size, height: size });
    }
  });

  it('has a Windows .ico with PNG entries from 16 to 256 px', () => {
    const ico = file('icon.ico');
    const view = new DataView(ico.buffer, ico.byteOffset, ico.byteLength);
    expect([view.getUint16(0, true), view.getUint16(2, true)]).toEqual([0, 1]);
    const count = view.getUint16(4, true);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const at = 6 + 16 * i;
      const length = view.getUint32(at + 8, true);
      const offset = view.getUint32(at + 12, true);
      const png = ico.subarray(offset, offset + length);
      const { width } = pngSize(png);
      expect(view.getUint8(at) || 256).toBe(width);
      sizes.push(width);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('has a macOS .icns whose every entry is a PNG of its type’s size, up to 1024 px', () => {
    const icns = file('icon.icns');
    const view = new DataView(icns.buffer, icns.byteOffset, icns.byteLength);
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(view.getUint32(4)).toBe(icns.length);
    const found: string[] = [];
    for (let at = 8; at < icns.length;) {
      const type = icns.subarray(at, at + 4).toString('latin1');
      const length = view.getUint32(at + 4);
      const expected = ICNS_TYPES.find((t) => t.type === type);
      expect(expected, type).toBeDefined();
      expect(pngSize(icns.subarray(at + 8, at + length)).width, type).toBe(expected!.pixels);
      found.push(type);
      at += length;
    }
    expect(found).toEqual(ICNS_TYPES.map((t) => t.type));
  });

  it('stays small', () => {
    const total = [
      'icon.ico',
      'icon.icns',
      'icon.svg',
      ...readdirSync(join(root, 'build/icons')).map((n) => `icons/${n}`),
    ]
      .map((n) => statSync(join(root, 'build', n)).size)
      .reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(256 * 1024);
  });
});

/** An unpacked Electron for this platform: the one `npm run fetch-electron` puts in place. */
function electronDist(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override !== undefined && existsSync(override)) return override;
  const dist = join(root, 'node_modules/electron/dist');
  return existsSync(join(root, 'node_modules/electron/path.txt')) && existsSync(dist) ? dist : null;
}

/**
 * A stand-in for an Electron distribution: an `electron` script and the licence files
 * electron-builder copies. It lets the real configuration pack the real out/ here, offline; it
 * proves the layout of the package, not that the app starts (that needs the real runtime).
 */
function standInDist(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho stand-in electron\n', { mode: 0o755 });
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<p>stand-in</p>');
  writeFileSync(
    join(dir, 'version'),
    readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8').match(
      /"version": "([^"]+)"/,
    )![1]!,
  );
  return dir;
}

/** Runs `electron-builder --linux dir` with this distribution; returns the app's files. */
function packDir(distribution: string, output: string): { app: string; files: string[] } {
  if (!existsSync(join(root, 'out/renderer/index.html')))
    throw new Error('Run `npm run build` first: this test packs the built app (`npm test` does).');
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/electron-builder/cli.js'),
      '--linux',
      'dir',
      `-c.electronDist=${distribution}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: root, stdio: 'pipe' },
  );
  const unpacked = join(output, 'linux-unpacked');
  return {
    app: join(unpacked, 'logsieve'),
    files: listPackage(join(unpacked, 'resources/app.asar'), { isPack: false }),
  };
}

function expectAppFiles(files: readonly string[]): void {
  for (const f of [
    '/package.json',
    '/out/main/main.js',
    '/out/main/log.worker.js',
    '/out/preload/preload.cjs',
    '/out/renderer/index.html',
  ])
    expect(files).toContain(f);
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  expect(files.filter((f) => f.includes('node_modules'))).toEqual([]);
  expect(files).not.toContain('/out/main/cli.js');
  expect(files).not.toContain('/out/main/bridge.js');
}

const dist = electronDist();

describe('an unpacked Linux build', () => {
  it.skipIf(process.platform !== 'linux')(
    'packs the built app into app.asar beside a stand-in Electron (the package layout, offline)',
    { timeout: 180_000 },
    () => {
      const work = mkdtempSync(join(tmpdir(), 'logsieve-pack-'));
      try {
        const { app, files } = packDir(standInDist(join(work, 'electron')), join(work, 'release'));
        expect(existsSync(app)).toBe(true);
        expectAppFiles(files);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(dist === null || process.platform !== 'linux')(
    'packs it beside the real Electron runtime (skipped where the runtime was not downloaded: run `npm run fetch-electron` on a connected machine)',
    { timeout: 300_000 },
    () => {
      const work = mkdtempSync(join(tmpdir(), 'logsieve-pack-'));
      try {
        const { app, files } = packDir(dist!, join(work, 'release'));
        expect(statSync(app).size).toBeGreaterThan(1_000_000);
        expectAppFiles(files);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  );
});
