/**
 * `npm run serve [-- FILE...] [--port N]`: the LogSieve UI in a browser, for machines without the
 * Electron runtime and for the end-to-end tests. Prints the URL (with its one-time token) to open.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger } from '../logger';
import { Session } from '../session/session';
import { startBridge } from './server';

const { values, positionals } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    // Tests pass a known token; people get a fresh random one each run.
    token: { type: 'string' },
  },
  allowPositionals: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port needs a port number, not "${values.port}"\n`);
  process.exit(2);
}

const logger = createLogger('bridge');
const session = new Session({ workerUrl: new URL('./log.worker.js', import.meta.url), logger });
const bridge = await startBridge({
  session,
  rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
  token: values.token ?? randomBytes(24).toString('base64url'),
  port,
  logger,
});
if (positionals.length > 0) await session.openPaths(positionals);
process.stdout.write(
  `LogSieve is running at ${bridge.url}\nOpen that address in Chromium or Chrome. Ctrl+C stops it.\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await bridge.close();
  await session.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
