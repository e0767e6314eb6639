/**
 * The bridge: the same Session behind a small HTTP + WebSocket server on 127.0.0.1, serving the
 * built renderer. It stands in for Electron's IPC, so the real UI runs (and is tested) in a plain
 * browser. Every request must carry the per-run token: in the URL of the first page load, then in
 * an HttpOnly, SameSite=Strict cookie the server sets. Host and Origin are checked too, so other
 * web pages and DNS-rebinding tricks cannot reach it. Dropped files arrive as uploads into a
 * private temporary folder (the browser never names a path).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { AppEvent, SessionEvent } from '../../shared/api';
import type { Result } from '../../shared/result';
import { err, ok, userError } from '../../shared/result';
import { dispatch, dispatchApp, isAppMethod, toUserError } from '../api-dispatch';
import type { AppState } from '../desktop/app-state';
import type { Logger } from '../logger';
import type { Session } from '../session/session';

export interface BridgeOptions {
  readonly session: Session;
  /** Settings and recent files, the same code as the desktop app's (over the bridge's own folder). */
  readonly app: AppState;
  readonly rendererDir: string;
  readonly token: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
}

export interface Bridge {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const COOKIE = 'logsieve_token';
const MAX_API_BODY = 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};
// The same policy as the desktop window's meta tag, sent as a header too.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { session, app, token, logger } = options;
  const rendererDir = normalize(options.rendererDir);
  const uploads = await mkdtemp(join(tmpdir(), 'logsieve-uploads-'));
  let uploadCount = 0;
  let origin = '';
  let hostHeader = '';

  const authorised = (req: IncomingMessage, url: URL): 'query' | 'cookie' | null => {
    if (req.headers.host !== hostHeader) return null;
    if (sameToken(cookieToken(req), token)) return 'cookie';
    if (sameToken(url.searchParams.get('token') ?? undefined, token)) return 'query';
    return null;
  };

  const fromOurPage = (req: IncomingMessage): boolean => req.headers.origin === origin;

  async function serveStatic(
    res: ServerResponse,
    pathname: string,
    setCookie: boolean,
  ): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    const path = normalize(join(rendererDir, relative));
    if (!path.startsWith(rendererDir + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    };
    if (setCookie) headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    await pipeline(createReadStream(path), res);
  }

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.searchParams.get('name') ?? '';
    if (name.length === 0 || name.length > 255 || /[\\/\0]/.test(name)) {
      sendJson(res, 400, err(userError('upload.bad-name', 'The upload needs a plain file name.')));
      return;
    }
    const path = join(uploads, `${++uploadCount}-${name}`);
    let result: Result<unknown>;
    try {
      await pipeline(req, createWriteStream(path, { mode: 0o600 }));
      result = ok([await session.openUpload(path, name)]);
    } catch (error) {
      result = err(toUserError(error, 'upload', logger));
    }
    sendJson(res, 200, result);
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      const auth = authorised(req, url);
      if (auth === null) {
        res
          .writeHead(403, { 'content-type': 'text/plain' })
          .end('LogSieve bridge: this request has no valid token.');
        return;
      }
      if (req.method === 'GET' && !url.pathname.startsWith('/api/')) {
        await serveStatic(res, url.pathname, auth === 'query');
        return;
      }
      if (req.method !== 'POST' || !fromOurPage(req)) {
        res.writeHead(405).end();
        return;
      }
      if (url.pathname === '/upload') {
        await upload(req, res, url);
        return;
      }
      const method = url.pathname.slice('/api/'.length);
      let args: unknown;
      try {
        args = JSON.parse(await readBody(req, MAX_API_BODY)) as unknown;
      } catch {
        sendJson(res, 400, err(userError('api.bad-request', 'The request body is not JSON.')));
        return;
      }
      sendJson(
        res,
        200,
        isAppMethod(method)
          ? await dispatchApp(app, method, args, logger)
          : await dispatch(session, method, args, logger),
      );
    })().catch((error: unknown) => {
      logger.error(`bridge request failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/events' || authorised(req, url) !== 'cookie' || !fromOurPage(req)) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
    });
  });
  // Session and app events share the socket; their `type`s tell them apart.
  const broadcast = (event: SessionEvent | AppEvent): void => {
    const text = JSON.stringify(event);
    for (const ws of clients) ws.send(text);
  };
  const unsubscribeSession = session.onEvent(broadcast);
  const unsubscribeApp = app.onEvent(broadcast);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hostHeader = `127.0.0.1:${port}`;
  origin = `http://${hostHeader}`;

  return {
    url: `${origin}/?token=${token}`,
    port,
    async close() {
      unsubscribeSession();
      unsubscribeApp();
      for (const ws of clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(uploads, { recursive: true, force: true });
    },
  };
}
