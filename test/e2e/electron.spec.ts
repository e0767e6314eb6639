/**
 * The desktop window itself, driven by Playwright's Electron support. These need the Electron
 * runtime, which `npm install` downloads on a connected machine; where it is absent they are
 * skipped with the reason. Each test gets its own user-data folder (settings, recent files and
 * the single-instance lock live there), passed with --user-data-dir.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS } from '../helpers/corpus';

function electronBinary(): string | null {
  try {
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const root = fileURLToPath(new URL('../..', import.meta.url));
const ERRORS = CORPUS + 'apache/beats_apache_error_test_mixed22_24.log';
const COMBINED = CORPUS + 'apache/elastic-examples_apache_logs_combined.log';

test.skip(
  binary === null,
  'Electron runtime not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1). On a connected machine run `npm run fetch-electron`, then these run.',
);

let userData: string;
test.beforeEach(() => {
  userData = mkdtempSync(join(tmpdir(), 'logsieve-electron-'));
});
test.afterEach(() => {
  rmSync(userData, { recursive: true, force: true });
});

function launch(...files: string[]): Promise<ElectronApplication> {
  return electron.launch({
    executablePath: binary!,
    args: [root, `--user-data-dir=${userData}`, ...files],
  });
}

test('opens a file given on the command line, in a hardened window', async () => {
  const app = await launch(ERRORS);
  const window = await app.firstWindow();
  await expect(window.getByTestId('status-records')).toHaveText('3 records');
  // What page script can reach: no Node, no ipcRenderer, only the typed API.
  const reach = await window.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    api: Object.keys((globalThis as unknown as { logsieve: object }).logsieve).sort(),
  }));
  expect(reach.require).toBe('undefined');
  expect(reach.process).toBe('undefined');
  expect(reach.api).toEqual(
    [
      'appInfo',
      'cancelLoad',
      'changeSettings',
      'clearRecent',
      'closeFile',
      'copyText',
      'getSettings',
      'host',
      'listFiles',
      'listFormats',
      'locateLine',
      'onAppEvent',
      'onEvent',
      'openPicked',
      'openRecentFile',
      'record',
      'rows',
      'setFormat',
      'showOpenDialog',
    ].sort(),
  );
  // The desktop app has the native menu, not the in-window one.
  await expect(window.getByRole('menubar')).toHaveCount(0);
  // Navigation away from the app is refused.
  await window.evaluate(() => {
    location.href = 'https://example.com/';
  });
  await window.waitForTimeout(500);
  expect(window.url()).toMatch(/^file:.*index\.html$/);
  await app.close();
  // The file is remembered for File ▸ Open Recent.
  const settings = JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')) as {
    recentFiles: { path: string }[];
    window: unknown;
  };
  expect(settings.recentFiles.map((e) => e.path)).toEqual([ERRORS]);
  expect(settings.window).not.toBeNull();
});

test('a second launch hands its file to the running window and quits', async () => {
  const app = await launch(ERRORS);
  const window = await app.firstWindow();
  await expect(window.getByTestId('status-records')).toHaveText('3 records');

  // The way a double-click in a file manager starts it: the binary, the app, the file.
  const second = spawn(binary!, [root, `--user-data-dir=${userData}`, COMBINED], {
    stdio: 'ignore',
  });
  const exitCode = await new Promise<number | null>((resolve) => second.once('exit', resolve));
  expect(exitCode).toBe(0);
  await expect(
    window.getByRole('tab', { name: /elastic-examples_apache_logs_combined/ }),
  ).toBeVisible();
  await expect(window.getByTestId('status-records')).toHaveText('10,000 records');
  expect(app.windows()).toHaveLength(1);
  await app.close();
});

test('the native menu follows the settings and the recent files', async () => {
  const app = await launch(ERRORS);
  const window = await app.firstWindow();
  await expect(window.getByTestId('status-records')).toHaveText('3 records');
  await window.keyboard.press('F4');
  const menu = await app.evaluate(({ Menu }) => {
    const m = Menu.getApplicationMenu();
    return {
      detailPane: m?.getMenuItemById('view.detailPane')?.checked,
      recent: m?.getMenuItemById('recent.files')?.submenu?.items.map((i) => i.label),
      save: m?.getMenuItemById('filterSet.save')?.enabled,
    };
  });
  expect(menu.detailPane).toBe(false);
  expect(menu.recent?.[0]).toContain('beats_apache_error_test_mixed22_24.log');
  expect(menu.save).toBe(false);
  await app.close();
});
