/**
 * The preload: a mechanical adapter that gives the sandboxed renderer `window.logsieve`, one
 * function per API method, each an `ipcRenderer.invoke` on the channel named after the method.
 * It never exposes ipcRenderer itself. Dropped or picked files are turned into paths here, with
 * webUtils, so the renderer never handles a path.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, RENDERER_METHODS, channelOf } from '../shared/api';
import type { LogSieveApi, PickedFile, SessionEvent } from '../shared/api';

const methods = Object.fromEntries(
  RENDERER_METHODS.map((method) => [
    method,
    (...args: unknown[]) => ipcRenderer.invoke(channelOf(method), ...args),
  ]),
);

const api = {
  ...methods,
  host: 'electron',
  openPicked: (files: readonly PickedFile[]) =>
    ipcRenderer.invoke(
      channelOf('openPicked'),
      files.map((file) => webUtils.getPathForFile(file as unknown as File)),
    ),
  showOpenDialog: () => ipcRenderer.invoke(channelOf('showOpenDialog')),
  onEvent: (listener: (event: SessionEvent) => void) => {
    const handler = (_event: IpcRendererEvent, payload: SessionEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.off(EVENT_CHANNEL, handler);
    };
  },
} as unknown as LogSieveApi;

contextBridge.exposeInMainWorld('logsieve', api);
