/**
 * The preload: a mechanical adapter that gives the sandboxed renderer `window.logsieve`, one
 * function per API method, each an `ipcRenderer.invoke` on the channel named after the method.
 * It never exposes ipcRenderer itself. Dropped or picked files are turned into paths here, with
 * webUtils, so the renderer never handles a path.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import {
  APP_EVENT_CHANNEL,
  APP_METHODS,
  EVENT_CHANNEL,
  RENDERER_METHODS,
  channelOf,
} from '../shared/api';
import type { AppEvent, LogSieveApi, PickedFile, SessionEvent } from '../shared/api';

const methods = Object.fromEntries(
  [...RENDERER_METHODS, ...APP_METHODS].map((method) => [
    method,
    (...args: unknown[]) => ipcRenderer.invoke(channelOf(method), ...args),
  ]),
);

/** Events come from our own main process, typed by the channel they arrive on. */
function subscribe(channel: string, listener: (payload: unknown) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.off(channel, handler);
  };
}

const api = {
  ...methods,
  host: 'electron',
  openPicked: (files: readonly PickedFile[]) =>
    ipcRenderer.invoke(
      channelOf('openPicked'),
      files.map((file) => webUtils.getPathForFile(file as unknown as File)),
    ),
  showOpenDialog: () => ipcRenderer.invoke(channelOf('showOpenDialog')),
  copyText: (text: string) => ipcRenderer.invoke(channelOf('copyText'), text),
  saveText: (request: unknown) => ipcRenderer.invoke(channelOf('saveText'), request),
  openText: (kind: unknown) => ipcRenderer.invoke(channelOf('openText'), kind),
  onEvent: (listener: (event: SessionEvent) => void) =>
    subscribe(EVENT_CHANNEL, listener as (payload: unknown) => void),
  onAppEvent: (listener: (event: AppEvent) => void) =>
    subscribe(APP_EVENT_CHANNEL, listener as (payload: unknown) => void),
} as unknown as LogSieveApi;

contextBridge.exposeInMainWorld('logsieve', api);
