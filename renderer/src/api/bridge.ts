/**
 * `window.logsieve` for the browser: the same API over the local bridge (electron/bridge). Calls
 * are POSTs to /api/<method>, files are uploaded to /upload, events come over a WebSocket. The
 * bridge's token travels in an HttpOnly cookie the server set when the page was first loaded, so
 * this code never sees it.
 */
import type {
  AppEvent,
  FileSummary,
  LogSieveApi,
  PickedFile,
  SaveTextRequest,
  SessionEvent,
  TextFile,
} from '../../../shared/api';
import { APP_EVENT_TYPES, APP_METHODS, RENDERER_METHODS } from '../../../shared/api';
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

/** Puts text on the clipboard from the page: the async API, or the older copy command. */
async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // No permission or no focus: fall back to a selection the copy command can take.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only synchronous fallback when the Clipboard API is refused
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('the browser refused to copy');
}

export function createBridgeApi(): LogSieveApi {
  const listeners = new Set<(event: SessionEvent) => void>();
  const appListeners = new Set<(event: AppEvent) => void>();
  let socket: WebSocket | null = null;
  let retry = 250;
  // Calls wait while the event socket connects: a call answered before it is open could report
  // a file as loading whose "loaded" event then went to no one, and the page would wait forever.
  let connected: Promise<void> = Promise.resolve();
  const subscribed = (): number => listeners.size + appListeners.size;

  const connect = (): void => {
    const url = new URL('events', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '';
    const opening = new WebSocket(url);
    socket = opening;
    // Settled on close too, so a bridge that refuses the socket never stalls the calls.
    connected = new Promise((resolve) => {
      opening.addEventListener('open', () => resolve());
      opening.addEventListener('close', () => resolve());
    });
    socket.onmessage = (message: MessageEvent<string>) => {
      // Session and app events share the socket; their `type`s tell them apart.
      const event = JSON.parse(message.data) as SessionEvent | AppEvent;
      if ((APP_EVENT_TYPES as readonly string[]).includes(event.type))
        for (const listener of appListeners) listener(event as AppEvent);
      else for (const listener of listeners) listener(event as SessionEvent);
    };
    socket.onopen = () => (retry = 250);
    socket.onclose = () => {
      socket = null;
      if (subscribed() > 0) setTimeout(connect, (retry = Math.min(retry * 2, 5000)));
    };
  };

  const methods = Object.fromEntries(
    [...RENDERER_METHODS, ...APP_METHODS].map((m) => {
      const call = callMethod(m);
      return [
        m,
        async (...args: unknown[]) => {
          await connected;
          return call(...args);
        },
      ];
    }),
  );
  return {
    ...(methods as unknown as Pick<
      LogSieveApi,
      (typeof RENDERER_METHODS)[number] | (typeof APP_METHODS)[number]
    >),
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
    saveText(request: SaveTextRequest): Promise<Result<TextFile | null>> {
      // A browser saves by downloading; it cannot save over a file again, so there is no handle.
      const url = URL.createObjectURL(
        new Blob([request.text], { type: 'text/plain;charset=utf-8' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = request.suggestedName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return Promise.resolve(ok({ name: request.suggestedName, handle: null }));
    },
    openText: () =>
      Promise.resolve(
        err({
          code: 'bridge.no-dialog',
          message: 'The browser has no native Open dialog; use the file picker.',
        }),
      ),
    showOpenDialog: () =>
      Promise.resolve(
        err({
          code: 'bridge.no-dialog',
          message: 'The browser has no native Open dialog; use the file picker.',
        }),
      ),
    async copyText(text: string) {
      try {
        await writeClipboard(text);
        return ok(undefined);
      } catch (error) {
        return err({
          code: 'clipboard.refused',
          message: `The browser did not let LogSieve copy: ${String(error)}`,
          hint: 'Select the text in the record pane and copy it with Ctrl+C.',
        });
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      if (socket === null) connect();
      return () => {
        listeners.delete(listener);
        if (subscribed() === 0) socket?.close();
      };
    },
    onAppEvent(listener) {
      appListeners.add(listener);
      if (socket === null) connect();
      return () => {
        appListeners.delete(listener);
        if (subscribed() === 0) socket?.close();
      };
    },
  };
}
