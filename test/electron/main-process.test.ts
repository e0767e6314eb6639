/**
 * electron/main.ts, built, running under plain Node over a stand-in for Electron's API
 * (test/electron/stand-in): the real Session, settings store, menu and IPC wiring, with the
 * window and the OS played by a script. The Electron runtime cannot be downloaded here, so this
 * is how the main process's wiring is checked; test/e2e/electron.spec.ts checks the real window
 * where the runtime exists.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../helpers/corpus';
import { tempDir } from '../helpers/session';

const here = fileURLToPath(new URL('./stand-in/', import.meta.url));
const mainJs = fileURLToPath(new URL('../../out/main/main.js', import.meta.url));
const corpus = (name: string): string => `${CORPUS}apache/${name}`;
const FIRST = corpus('beats_apache_error_test_mixed22_24.log');
const SECOND = corpus('plaso_apache_access_mixed.log');

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the main process over a stand-in Electron', () => {
  it('opens, remembers, hands over, follows settings and saves them before quitting', () => {
    const userData = join(dir, 'user-data');
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        join(here, 'register.mjs'),
        join(here, 'drive-main.mjs'),
        mainJs,
        `--user-data-dir=${userData}`,
        FIRST,
        SECOND,
      ],
      { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const report = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(report).toMatchObject({
      lock: { kind: 'logsieve.open', paths: [FIRST] },
      firstFile: 'beats_apache_error_test_mixed22_24.log',
      windowOptions: { width: 1280, height: 820, sandbox: true, contextIsolation: true },
      menuLabels:
        process.platform === 'darwin'
          ? ['LogSieve', 'File', 'Edit', 'View', 'windowMenu', 'Help']
          : ['&File', '&Edit', '&View', '&Help'],
      changed: true,
      themeSource: 'dark',
      darkChecked: true,
      badChange: 'api.bad-argument',
      untrusted: 'api.untrusted-sender',
      // One 'opened' event for the command-line file, one for the second launch's.
      opened: [1, 1],
      command: ['view.detailPane'],
      dialogs: 1,
      copy: true,
      clipboard: 'a record',
      saved: {
        theme: 'dark',
        window: { x: 40, y: 60, width: 1100, height: 700, maximized: false },
        recentFiles: [SECOND, FIRST],
      },
      recentDocuments: [FIRST, SECOND],
    });
    expect((report.recentInMenu as string[])[0]).toContain(
      'beats_apache_error_test_mixed22_24.log',
    );
  });
});
