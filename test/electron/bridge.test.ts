/**
 * The bridge refuses everyone but the page it served: no token, a wrong Host (DNS rebinding), a
 * foreign Origin, and paths outside the renderer all get nothing. With the token it serves the
 * UI and the API, and takes uploads.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../electron/bridge/server';
import { startBridge } from '../../electron/bridge/server';
import { silentLogger } from '../../electron/logger';
import type { Session } from '../../electron/session/session';
import type { SettingsStore } from '../../electron/desktop/settings-store';
import { createTestAppState } from '../helpers/app-state';
import { createTestSession, tempDir } from '../helpers/session';

const TOKEN = 'test-token-0123456789';
let session: Session;
let settings: SettingsStore;
let bridge: Bridge;
let dir: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${bridge.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeAll(async () => {
  dir = tempDir();
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>LogSieve</title>');
  writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
  session = createTestSession();
  const state = await createTestAppState(session, join(dir, 'user-data'));
  settings = state.settings;
  bridge = await startBridge({
    session,
    app: state.app,
    rendererDir: renderer,
    token: TOKEN,
    port: 0,
    logger: silentLogger,
  });
});
afterAll(async () => {
  await bridge.close();
  await session.close();
  await settings.flush();
  rmSync(dir, { recursive: true, force: true });
});

describe('bridge', () => {
  const cookie = `logsieve_token=${TOKEN}`;
  const origin = () => `http://127.0.0.1:${bridge.port}`;

  it('prints an address on 127.0.0.1 with the token', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${TOKEN}`);
  });

  it('serves the page for the token and sets an HttpOnly, SameSite=Strict cookie', async () => {
    const reply = await send(`/?token=${TOKEN}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<title>LogSieve</title>');
    expect(String(reply.headers['set-cookie'])).toMatch(
      /logsieve_token=.*HttpOnly; SameSite=Strict/,
    );
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses requests without the token, or with another', async () => {
    expect((await send('/')).status).toBe(403);
    expect((await send('/?token=guess')).status).toBe(403);
    expect(
      (await send('/api/listFiles', { method: 'POST', body: '[]', headers: { origin: origin() } }))
        .status,
    ).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    expect((await send(`/?token=${TOKEN}`, { headers: { host: 'evil.example:80' } })).status).toBe(
      403,
    );
    const foreign = await send('/api/listFiles', {
      method: 'POST',
      body: '[]',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(405);
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt'])
      expect((await send(path, { headers: { cookie } })).status, path).toBe(404);
  });

  it('answers API calls from its own page, with Results', async () => {
    const reply = await send('/api/listFormats', {
      method: 'POST',
      body: '[]',
      headers: { cookie, origin: origin() },
    });
    expect(reply.status).toBe(200);
    const result = JSON.parse(reply.body) as { ok: boolean; value: { id: string }[] };
    expect(result.ok).toBe(true);
    expect(result.value.map((f) => f.id)).toContain('apache-access');
    const bad = JSON.parse(
      (
        await send('/api/openPaths', {
          method: 'POST',
          body: '[["/etc/passwd"]]',
          headers: { cookie, origin: origin() },
        })
      ).body,
    ) as { ok: boolean; error: { code: string } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'api.unknown-method' } });
  });

  it('opens an uploaded file under its own name, without a location', async () => {
    const line = '10.9.8.7 - - [05/Mar/2024:08:00:05 +0000] "HEAD / HTTP/1.0" 200 -\n';
    const reply = await send('/upload?name=lb.log', {
      method: 'POST',
      body: line,
      headers: { cookie, origin: origin() },
    });
    const result = JSON.parse(reply.body) as {
      ok: boolean;
      value: { id: number; name: string; location: string | null }[];
    };
    expect(result.ok).toBe(true);
    expect(result.value[0]).toMatchObject({ name: 'lb.log', location: null });
    const bad = await send('/upload?name=..%2Fescape.log', {
      method: 'POST',
      body: line,
      headers: { cookie, origin: origin() },
    });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'upload.bad-name' } });
  });

  it('keeps settings and recent files through the same checked door, and not uploads', async () => {
    const call = async (method: string, args: unknown[]) =>
      JSON.parse(
        (
          await send(`/api/${method}`, {
            method: 'POST',
            body: JSON.stringify(args),
            headers: { cookie, origin: origin() },
          })
        ).body,
      ) as { ok: boolean; value?: { settings: { theme: string; recentFiles: unknown[] } } };
    expect(await call('changeSettings', [{ theme: 'dark' }])).toMatchObject({
      ok: true,
      value: { settings: { theme: 'dark' } },
    });
    expect(await call('changeSettings', [{ theme: 'purple' }])).toMatchObject({ ok: false });
    expect(await call('changeSettings', [{ recentFiles: [] }])).toMatchObject({ ok: false });
    expect(await call('openRecentFile', ['/etc/passwd'])).toMatchObject({
      ok: false,
      error: { code: 'recent.not-listed' },
    });
    // The upload of the previous test is a temporary copy: never a recent file.
    expect((await call('getSettings', [])).value?.settings.recentFiles).toEqual([]);
    await settings.flush();
  });
});
