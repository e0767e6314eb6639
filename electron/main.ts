/**
 * The Electron main process: one hardened window over one Session. This file and preload.ts are
 * the only ones that import `electron`; everything they use (Session, dispatcher, security
 * rules) runs and is tested under plain Node.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain, session as electronSession } from 'electron';
import type { IpcMainInvokeEvent, MenuItemConstructorOptions, WebContents } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_CHANNEL, RENDERER_METHODS, channelOf } from '../shared/api';
import type { FileSummary, SessionEvent } from '../shared/api';
import type { Result } from '../shared/result';
import { err, ok } from '../shared/result';
import { checkedPaths, dispatch, toUserError } from './api-dispatch';
import { createLogger } from './logger';
import { isAllowedRequest, pathsFromArgv, secureWebPreferences } from './security';
import { Session } from './session/session';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const logger = createLogger('main');
const session = new Session({ workerUrl: new URL('./log.worker.js', import.meta.url), logger });
let window: BrowserWindow | null = null;
const pendingPaths: string[] = [];

// Packaged apps get their files from argv[1..]; `electron .` from argv[2..].
const argvSkip = app.isPackaged ? 1 : 2;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  app.on('second-instance', (_event, argv) => {
    void openPaths(pathsFromArgv(argv, argvSkip));
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.on('window-all-closed', () => {
    void session.close().finally(() => app.quit());
  });
  void app.whenReady().then(start);
}

function harden(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function start(): void {
  const ses = electronSession.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, rendererDir);
    if (!allowed) logger.warn(`blocked request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  registerIpc();
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate()));
  session.onEvent((event: SessionEvent) => window?.webContents.send(EVENT_CHANNEL, event));
  pendingPaths.push(...pathsFromArgv(process.argv, argvSkip));
  createWindow();
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'LogSieve',
    backgroundColor: '#1b1f24',
    webPreferences: secureWebPreferences(join(here, '../preload/preload.cjs')),
  });
  window.once('ready-to-show', () => window?.show());
  window.webContents.once('did-finish-load', () => {
    void openPaths(pendingPaths.splice(0));
  });
  window.on('closed', () => (window = null));
  void window.loadFile(join(rendererDir, 'index.html'));
}

/** Only our window's main frame may call the API. */
function trusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return (
    window !== null &&
    event.sender === window.webContents &&
    frame !== null &&
    frame === window.webContents.mainFrame &&
    isAllowedRequest(frame.url, rendererDir)
  );
}

const untrusted: Result<never> = err({
  code: 'api.untrusted-sender',
  message: 'Refused: the call did not come from the LogSieve window.',
});

function registerIpc(): void {
  for (const method of RENDERER_METHODS) {
    ipcMain.handle(channelOf(method), (event, ...args: unknown[]) =>
      trusted(event) ? dispatch(session, method, args, logger) : untrusted,
    );
  }
  // The preload turns dropped or picked File objects into paths with webUtils; page script cannot
  // make up a File with a path, so these are paths the user chose.
  ipcMain.handle(channelOf('openPicked'), async (event, paths: unknown) => {
    if (!trusted(event)) return untrusted;
    try {
      return ok(await session.openPaths(checkedPaths(paths)));
    } catch (error) {
      return err(toUserError(error, 'openPicked', logger));
    }
  });
  ipcMain.handle(channelOf('showOpenDialog'), async (event) =>
    trusted(event) ? ok(await showOpenDialog()) : untrusted,
  );
}

async function showOpenDialog(): Promise<readonly FileSummary[]> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open log files',
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: 'Logs', extensions: ['log', 'txt', 'evtx', 'evt', 'csv', 'xml', 'out'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = window
    ? await dialog.showOpenDialog(window, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? [] : openPaths(result.filePaths);
}

async function openPaths(paths: readonly string[]): Promise<readonly FileSummary[]> {
  if (paths.length === 0) return [];
  if (window === null) {
    pendingPaths.push(...paths);
    return [];
  }
  return session.openPaths(paths);
}

function menuTemplate(): MenuItemConstructorOptions[] {
  const isMac = process.platform === 'darwin';
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: () => void showOpenDialog() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
  ];
}
