/**
 * The desktop window itself, driven by Playwright's Electron support. These need the Electron
 * runtime, which `npm install` downloads on a connected machine; where it is absent they are
 * skipped with the reason.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

function electronBinary(): string | null {
  try {
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const root = fileURLToPath(new URL('../..', import.meta.url));
const corpusFile = fileURLToPath(
  new URL('../../../shared/corpus/apache/beats_apache_error_test_mixed22_24.log', import.meta.url),
);

test.skip(
  binary === null,
  'Electron runtime not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1). On a connected machine run `npm run fetch-electron`, then these run.',
);

test('opens a file given on the command line, in a hardened window', async () => {
  const app = await electron.launch({ executablePath: binary!, args: [root, corpusFile] });
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
      'cancelLoad',
      'closeFile',
      'host',
      'listFiles',
      'listFormats',
      'locateLine',
      'onEvent',
      'openPicked',
      'record',
      'rows',
      'setFormat',
      'showOpenDialog',
    ].sort(),
  );
  // Navigation away from the app is refused.
  await window.evaluate(() => {
    location.href = 'https://example.com/';
  });
  await window.waitForTimeout(500);
  expect(window.url()).toMatch(/^file:.*index\.html$/);
  await app.close();
});
