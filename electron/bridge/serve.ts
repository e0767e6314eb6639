/**
 * `npm run serve [-- FILE...] [--port N] [--user-data DIR]`: the LogSieve UI in a browser, for
 * machines without the Electron runtime and for the end-to-end tests. Prints the URL (with its
 * one-time token) to open. Settings and recent files live in DIR (the same file and code as the
 * desktop app's); without it, in a temporary folder removed when the bridge stops.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppState } from '../desktop/app-state';
import { SettingsStore } from '../desktop/settings-store';
import { createLogger } from '../logger';
import { Session } from '../session/session';
import { startBridge } from './server';

const { values, positionals } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    // Tests pass a known token; people get a fresh random one each run.
    token: { type: 'string' },
    'user-data': { type: 'string' },
  },
  allowPositionals: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port needs a port number, not "${values.port}"\n`);
  process.exit(2);
}

/** The version in the repository's package.json (the bridge runs from out/main in a checkout). */
function version(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const { version } = JSON.parse(text) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

const logger = createLogger('bridge');
const temporary =
  values['user-data'] === undefined ? await mkdtemp(join(tmpdir(), 'logsieve-user-data-')) : null;
const userData = temporary ?? resolve(values['user-data']!);
const settings = await SettingsStore.open({ dir: userData, logger });
const session = new Session({ workerUrl: new URL('./log.worker.js', import.meta.url), logger });
const app = new AppState({
  session,
  settings,
  platform: process.platform,
  info: {
    name: 'LogSieve',
    version: version(),
    host: 'bridge',
    platform: process.platform,
    versions: { node: process.versions.node },
  },
});
const bridge = await startBridge({
  session,
  app,
  rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
  token: values.token ?? randomBytes(24).toString('base64url'),
  port,
  logger,
});
if (positionals.length > 0) await app.openPaths(positionals);
process.stdout.write(
  `LogSieve is running at ${bridge.url}\nOpen that address in Chromium or Chrome. Ctrl+C stops it.\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await bridge.close();
  await session.close();
  await settings.flush();
  if (temporary !== null) await rm(temporary, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
