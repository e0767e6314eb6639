/** The desktop window's security decisions and the API's trust boundary, under plain Node. */
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import type { AppApi } from '../../shared/api';
import { MAX_COPY_TEXT } from '../../shared/api';
import { checkedCopyText, checkedPaths, dispatch, dispatchApp } from '../../electron/api-dispatch';
import { silentLogger } from '../../electron/logger';
import { isAllowedRequest, pathsFromArgv, secureWebPreferences } from '../../electron/security';
import type { Session } from '../../electron/session/session';
import { SessionError } from '../../electron/session/session';
import { userError } from '../../shared/result';

describe('window hardening', () => {
  it('isolates, sandboxes and denies Node to the renderer', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('lets the renderer load only its own files', () => {
    const dir = '/opt/LogSieve/resources/app.asar/out/renderer';
    const own = pathToFileURL(dir).href;
    expect(isAllowedRequest(`${own}/index.html`, dir)).toBe(true);
    expect(isAllowedRequest(`${own}/assets/index-abc.js`, dir)).toBe(true);
    expect(isAllowedRequest('https://example.com/', dir)).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/x', dir)).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd', dir)).toBe(false);
    expect(isAllowedRequest(`${own}/../../secrets.txt`, dir)).toBe(false);
    expect(isAllowedRequest(`${own}/%2e%2e/%2e%2e/secrets.txt`, dir)).toBe(false);
    expect(isAllowedRequest(`${own}-evil/index.html`, dir)).toBe(false);
  });

  it('takes files from the command line, leaving options alone', () => {
    expect(pathsFromArgv(['electron', '.', '/var/log/x.log', '--inspect', 'y.log'], 2)).toEqual([
      '/var/log/x.log',
      'y.log',
    ]);
    expect(pathsFromArgv(['LogSieve', 'C:\\logs\\a.evtx'], 1)).toEqual(['C:\\logs\\a.evtx']);
  });
});

describe('the API boundary', () => {
  // A Session stand-in that records what reached it.
  const calls: unknown[][] = [];
  const session = new Proxy<object>(
    {},
    {
      get:
        (_target, name: string) =>
        (...args: unknown[]) => {
          calls.push([name, ...args]);
          if (name === 'record')
            return Promise.reject(
              new SessionError(userError('file.unknown', 'No open file has id 7.')),
            );
          if (name === 'listFiles') return Promise.reject(new Error('boom'));
          return Promise.resolve('ok');
        },
    },
  ) as unknown as Session;

  it('passes well-formed calls through and wraps their results', async () => {
    calls.length = 0;
    expect(
      await dispatch(
        session,
        'rows',
        [{ fileId: 1, order: 'time', descending: false }, 0, 100],
        silentLogger,
      ),
    ).toEqual({ ok: true, value: 'ok' });
    expect(
      await dispatch(
        session,
        'setFormat',
        [1, 'plain', { timeZone: 'Europe/Berlin' }],
        silentLogger,
      ),
    ).toMatchObject({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it('refuses malformed arguments before they reach the Session', async () => {
    calls.length = 0;
    const bad: [string, unknown][] = [
      ['rows', [{ fileId: 1, order: 'random', descending: false }, 0, 10]],
      ['rows', [{ fileId: 1, order: 'file', descending: false }, 10, 5]],
      ['rows', [{ fileId: -1, order: 'file', descending: false }, 0, 5]],
      ['rows', [{ fileId: 1, order: 'file', descending: 'no' }, 0, 5]],
      ['record', [1, 1.5]],
      ['locateLine', [{ fileId: 1, order: 'file', descending: false }, 0]],
      ['setFormat', [1, 'evil-format']],
      ['setFormat', [1, 'plain', { timeZone: 'Mars/Olympus' }]],
      ['setFormat', [1, 'plain', { timeZone: 'UTC', extra: 1 }]],
      ['closeFile', []],
      ['closeFile', ['1']],
      ['openPaths', [['/etc/passwd']]],
      ['constructor', []],
      ['rows', 'not a list'],
    ];
    for (const [method, args] of bad) {
      const result = await dispatch(session, method, args, silentLogger);
      expect(result.ok, `${method} ${JSON.stringify(args)}`).toBe(false);
    }
    expect(calls).toEqual([]);
  });

  it('keeps a user error as it is and turns a bug into an internal error', async () => {
    expect(await dispatch(session, 'record', [7, 0], silentLogger)).toEqual({
      ok: false,
      error: { code: 'file.unknown', message: 'No open file has id 7.' },
    });
    const bug = await dispatch(session, 'listFiles', [], silentLogger);
    expect(bug).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('accepts only plain, non-empty paths from the desktop shell', () => {
    expect(checkedPaths(['/var/log/a.log'])).toEqual(['/var/log/a.log']);
    expect(() => checkedPaths([])).toThrow();
    expect(() => checkedPaths(['a\0b'])).toThrow();
    expect(() => checkedPaths([42])).toThrow();
    expect(() => checkedPaths('x')).toThrow();
  });
});

describe('the app door (settings, recent files)', () => {
  const calls: unknown[][] = [];
  const app = new Proxy<object>(
    {},
    {
      get:
        (_target, name: string) =>
        (...args: unknown[]) => {
          calls.push([name, ...args]);
          return Promise.resolve('ok');
        },
    },
  ) as unknown as AppApi;

  it('passes well-formed calls through', async () => {
    calls.length = 0;
    const good: [string, unknown[]][] = [
      ['getSettings', []],
      ['changeSettings', [{ theme: 'dark', displayTimeZone: 'Europe/Berlin' }]],
      ['changeSettings', [{ columnLayout: { key: 'plain', columns: null } }]],
      ['openRecentFile', ['/var/log/a.log']],
      ['clearRecent', ['filterSets']],
      ['appInfo', []],
    ];
    for (const [method, args] of good)
      expect(await dispatchApp(app, method, args, silentLogger), method).toEqual({
        ok: true,
        value: 'ok',
      });
    expect(calls.map((c) => c[0])).toEqual(good.map(([m]) => m));
  });

  it('refuses malformed calls before they reach the app', async () => {
    calls.length = 0;
    const bad: [string, unknown][] = [
      ['getSettings', [1]],
      ['changeSettings', []],
      ['changeSettings', [{ theme: 'neon' }]],
      ['changeSettings', [{ window: { x: 0, y: 0, width: 900, height: 900, maximized: false } }]],
      ['changeSettings', [{ recentFiles: [{ path: '/etc/shadow', openedMs: 1 }] }]],
      ['changeSettings', ['theme=dark']],
      ['openRecentFile', ['']],
      ['openRecentFile', ['/a\0b']],
      ['openRecentFile', [42]],
      ['openRecentFile', ['/a', '/b']],
      ['clearRecent', ['everything']],
      ['openPaths', [['/etc/passwd']]],
      ['listFiles', []],
      ['appInfo', 'not a list'],
    ];
    for (const [method, args] of bad) {
      const result = await dispatchApp(app, method, args, silentLogger);
      expect(result.ok, `${method} ${JSON.stringify(args)}`).toBe(false);
    }
    expect(calls).toEqual([]);
  });

  it('copies only strings of a sane length to the clipboard', () => {
    expect(checkedCopyText('a line')).toBe('a line');
    expect(() => checkedCopyText(42)).toThrow();
    expect(() => checkedCopyText('x'.repeat(MAX_COPY_TEXT + 1))).toThrow();
  });
});
