/**
 * `window.logsieve` for the browser: the same API over the local bridge (electron/bridge). Calls
 * are POSTs to /api/<method>, files are uploaded to /upload, events come over a WebSocket. The
 * bridge's token travels in an HttpOnly cookie the server set when the page was first loaded, so
 * this code never sees it.
 */
import type { LogSieveApi, PickedFile, SessionEvent, FileSummary } from '../../../shared/api';
import { RENDERER_METHODS } from '../../../shared/api';
import type { Result } from '../../../shared/result';
import { err, ok } from '../../../shared/result';

async function post<T>(path: string, body: BodyInit, contentType: string): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
      credentials: 'same-origin',
    });
  } catch (error) {
    return err({
      code: 'bridge.unreachable',
      message: `The LogSieve bridge does not answer: ${String(error)}`,
      hint: 'Is `npm run serve` still running?',
    });
  }
  if (!response.ok)
    return err({
      code: 'bridge.refused',
      message: `The bridge refused the request (HTTP ${response.status}).`,
      hint: 'Reload the page from the address `npm run serve` printed.',
    });
  return (await response.json()) as Result<T>;
}

function callMethod(method: string) {
  return (...args: unknown[]) => post(`api/${method}`, JSON.stringify(args), 'application/json');
}

export function createBridgeApi(): LogSieveApi {
  const listeners = new Set<(event: SessionEvent) => void>();
  let socket: WebSocket | null = null;
  let retry = 250;

  const connect = (): void => {
    const url = new URL('events', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '';
    socket = new WebSocket(url);
    socket.onmessage = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as SessionEvent;
      for (const listener of listeners) listener(event);
    };
    socket.onopen = () => (retry = 250);
    socket.onclose = () => {
      socket = null;
      if (listeners.size > 0) setTimeout(connect, (retry = Math.min(retry * 2, 5000)));
    };
  };

  const methods = Object.fromEntries(RENDERER_METHODS.map((m) => [m, callMethod(m)]));
  return {
    ...(methods as unknown as Pick<LogSieveApi, (typeof RENDERER_METHODS)[number]>),
    host: 'bridge',
    async openPicked(files: readonly PickedFile[]): Promise<Result<readonly FileSummary[]>> {
      const opened: FileSummary[] = [];
      for (const file of files) {
        const result = await post<FileSummary[]>(
          `upload?name=${encodeURIComponent(file.name)}`,
          file as unknown as File,
          'application/octet-stream',
        );
        if (!result.ok) return result;
        opened.push(...result.value);
      }
      return ok(opened);
    },
    showOpenDialog: () =>
      Promise.resolve(
        err({
          code: 'bridge.no-dialog',
          message: 'The browser has no native Open dialog; use the file picker.',
        }),
      ),
    onEvent(listener) {
      listeners.add(listener);
      if (socket === null) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) socket?.close();
      };
    },
  };
}
