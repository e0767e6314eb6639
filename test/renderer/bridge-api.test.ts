/**
 * The browser's API waits for its event socket before it calls the bridge: an answer taken
 * before the socket is open can report a file as loading whose "loaded" event then reaches no
 * one, and the page waits for ever (seen once in CI on a file opened from the command line).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBridgeApi } from '../../renderer/src/api/bridge';

class FakeSocket extends EventTarget {
  static last: FakeSocket | null = null;
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: URL) {
    super();
    FakeSocket.last = this;
  }
  open(): void {
    this.dispatchEvent(new Event('open'));
    this.onopen?.();
  }
  close(): void {
    this.dispatchEvent(new Event('close'));
    this.onclose?.();
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeSocket.last = null;
});

function stubBrowser() {
  const calls: string[] = [];
  vi.stubGlobal('location', new URL('http://127.0.0.1:4173/'));
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('fetch', (path: string) => {
    calls.push(path);
    return Promise.resolve(new Response(JSON.stringify({ ok: true, value: [] })));
  });
  return calls;
}

const turn = () => new Promise((r) => setTimeout(r, 0));

describe('the bridge API in the browser', () => {
  it('holds calls until the event socket is open', async () => {
    const calls = stubBrowser();
    const api = createBridgeApi();
    api.onEvent(() => undefined);
    const files = api.listFiles();
    await turn();
    expect(calls).toEqual([]);
    FakeSocket.last!.open();
    expect(await files).toEqual({ ok: true, value: [] });
    expect(calls).toEqual(['api/listFiles']);
  });

  it('does not hold them for ever when the socket is refused', async () => {
    const calls = stubBrowser();
    const api = createBridgeApi();
    const stop = api.onEvent(() => undefined);
    const files = api.listFiles();
    stop(); // closes the socket without a reconnect, as a refused socket would end
    expect(FakeSocket.last).not.toBeNull();
    expect(await files).toEqual({ ok: true, value: [] });
    expect(calls).toEqual(['api/listFiles']);
  });

  it('calls at once when nothing listens for events', async () => {
    const calls = stubBrowser();
    await createBridgeApi().listFiles();
    expect(calls).toEqual(['api/listFiles']);
  });
});
