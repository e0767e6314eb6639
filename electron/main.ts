/**
 * The Electron main process: one hardened window over one Session. This file and preload.ts are
 * the only ones that import `electron`; everything they use (Session, dispatcher, security
 * rules, settings, menu model, window placement, launch arguments) runs and is tested under plain
 * Node. Nothing here opens a network connection: no update check, no crash reporter, no telemetry.
 */
import {
  BrowserWindow,
  Menu,
  app,
  clipboard,
  dialog,
  ipcMain,
  nativeTheme,
  screen,
  session as electronSession,
} from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APP_EVENT_CHANNEL,
  APP_METHODS,
  EVENT_CHANNEL,
  RENDERER_METHODS,
  channelOf,
} from '../shared/api';
import type { AppEvent, FileSummary, SessionEvent } from '../shared/api';
import type { CommandId } from '../shared/commands/commands';
import { menuModel } from '../shared/commands/menu-model';
import type { Result } from '../shared/result';
import { err, ok } from '../shared/result';
import type { RecentListId } from '../shared/settings/recent';
import type { Settings } from '../shared/settings/settings';
import { checkedCopyText, checkedPaths, dispatch, dispatchApp, toUserError } from './api-dispatch';
import { AppState } from './desktop/app-state';
import { handOff, parseLaunch, pathsFromSecondLaunch, userArgsStart } from './desktop/launch';
import { menuTemplate } from './desktop/menu-template';
import { SettingsStore } from './desktop/settings-store';
import { boundsToSave, placeWindow } from './desktop/window-state';
import { createLogger } from './logger';
import { isAllowedRequest, secureWebPreferences } from './security';
import { Session } from './session/session';
import { TEXT_FILE_FILTERS, TextFiles, checkedSaveRequest } from './text-files';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const logger = createLogger('main');

const launch = parseLaunch(
  process.argv,
  userArgsStart(process.argv, app.isPackaged),
  process.cwd(),
);
// Before anything reads it: the settings and the single-instance lock live in this folder.
if (launch.userDataDir !== null) app.setPath('userData', launch.userDataDir);

const session = new Session({ workerUrl: new URL('./log.worker.js', import.meta.url), logger });
const WINDOW = { width: 1280, height: 820, minWidth: 720, minHeight: 480 } as const;
const BACKGROUND = { light: '#f6f7f9', dark: '#15191e' } as const;
let window: BrowserWindow | null = null;
const textFiles = new TextFiles();
let settings: SettingsStore | null = null;
let appState: AppState | null = null;
/** Files asked for before the window can show them (command line, macOS open-file, hand-off). */
const pendingPaths: string[] = [...launch.paths];

if (!app.requestSingleInstanceLock(handOff(launch.paths))) {
  // Another LogSieve runs with this user-data folder: it got our files with the lock request.
  app.quit();
} else {
  app.enableSandbox();
  app.on('second-instance', (_event, argv, workingDirectory, data) => {
    const skip = userArgsStart(argv, app.isPackaged);
    void openPaths(pathsFromSecondLaunch(data, argv, skip, workingDirectory));
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  // macOS hands files over by event (Finder double-click, dropping on the Dock icon), even
  // before the app is ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    void openPaths([path]);
  });
  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.on('window-all-closed', () => {
    void Promise.allSettled([session.close(), settings?.flush()]).finally(() => app.quit());
  });
  void app.whenReady().then(start);
}

function harden(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function start(): Promise<void> {
  const ses = electronSession.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, rendererDir);
    if (!allowed) logger.warn(`blocked request to ${details.url}`);
    callback({ cancel: !allowed });
  });

  settings = await SettingsStore.open({ dir: app.getPath('userData'), logger });
  appState = new AppState({
    session,
    settings,
    platform: process.platform,
    info: {
      name: app.getName(),
      version: app.getVersion(),
      host: 'electron',
      platform: process.platform,
      versions: {
        electron: process.versions.electron,
        chrome: process.versions.chrome,
        node: process.versions.node,
      },
    },
    // The platform's own recent documents (Dock menu, Windows jump list).
    onRemember: (path) => app.addRecentDocument(path),
  });
  nativeTheme.themeSource = settings.current.theme;
  let shown = settings.current;
  settings.onChange((snapshot) => {
    nativeTheme.themeSource = snapshot.settings.theme;
    if (menuChanged(shown, snapshot.settings)) updateMenu(snapshot.settings);
    shown = snapshot.settings;
  });
  updateMenu(settings.current);
  registerIpc(appState);
  session.onEvent((event: SessionEvent) => window?.webContents.send(EVENT_CHANNEL, event));
  appState.onEvent((event: AppEvent) => window?.webContents.send(APP_EVENT_CHANNEL, event));
  createWindow(settings);
}

/** Only what the menu shows: check marks and the recent lists (not every window move). */
function menuChanged(a: Settings, b: Settings): boolean {
  return (
    a.theme !== b.theme ||
    a.detailPane !== b.detailPane ||
    a.showRaw !== b.showRaw ||
    a.recentFiles !== b.recentFiles ||
    a.recentFilterSets !== b.recentFilterSets
  );
}

function updateMenu(current: Settings): void {
  const model = menuModel(process.platform, 'electron', { devTools: !app.isPackaged });
  const template = menuTemplate(model, {
    platform: process.platform,
    settings: current,
    run: runCommand,
    openRecent: (list, path) => void openRecent(list, path),
    clearRecent: (list: RecentListId) => {
      if (list === 'files') app.clearRecentDocuments();
      void appState?.clearRecent(list);
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** A native menu item: the Open dialog is the main process's; the rest the window carries out. */
function runCommand(command: CommandId): void {
  if (command === 'file.open') {
    void showOpenDialog();
    return;
  }
  window?.webContents.send(APP_EVENT_CHANNEL, { type: 'command', command } satisfies AppEvent);
}

async function openRecent(list: RecentListId, path: string): Promise<void> {
  if (appState === null) return;
  try {
    if (list === 'files') await appState.openRecentFile(path);
    else {
      const opened = await appState.openRecentFilterSet(path, (p) => textFiles.open(p));
      appState.emit({
        type: 'filter-set-opened',
        file: { name: opened.name, handle: opened.handle },
        text: opened.text,
      });
    }
  } catch (error) {
    appState.emit({ type: 'notice', error: toUserError(error, 'openRecent', logger) });
  }
}

/** Filter sets opened or saved through a dialog go on the recent list. */
function rememberFilterSet(kind: string, path: string): void {
  if (kind === 'filter-set') appState?.remember('filterSets', [path]);
}

function createWindow(store: SettingsStore): void {
  const placement = placeWindow(
    store.current.window,
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
    WINDOW,
  );
  const win = new BrowserWindow({
    ...placement.bounds,
    minWidth: WINDOW.minWidth,
    minHeight: WINDOW.minHeight,
    show: false,
    title: 'LogSieve',
    backgroundColor: nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light,
    webPreferences: secureWebPreferences(join(here, '../preload/preload.cjs')),
  });
  window = win;
  if (placement.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.webContents.once('did-finish-load', () => {
    void openPaths(pendingPaths.splice(0));
  });

  // Remember where the window is, a moment after it stops moving, and when it closes.
  let timer: NodeJS.Timeout | undefined;
  const remember = (): void => {
    clearTimeout(timer);
    if (!win.isDestroyed() && !win.isFullScreen())
      appState?.rememberWindow(boundsToSave(win.getNormalBounds(), win.isMaximized()));
  };
  const later = (): void => {
    clearTimeout(timer);
    timer = setTimeout(remember, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', remember);
  win.on('closed', () => (window = null));
  void win.loadFile(join(rendererDir, 'index.html'));
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

function registerIpc(state: AppState): void {
  for (const method of RENDERER_METHODS) {
    ipcMain.handle(channelOf(method), (event, ...args: unknown[]) =>
      trusted(event) ? dispatch(session, method, args, logger) : untrusted,
    );
  }
  for (const method of APP_METHODS) {
    ipcMain.handle(channelOf(method), (event, ...args: unknown[]) =>
      trusted(event) ? dispatchApp(state, method, args, logger) : untrusted,
    );
  }
  // The preload turns dropped or picked File objects into paths with webUtils; page script cannot
  // make up a File with a path, so these are paths the user chose.
  ipcMain.handle(channelOf('openPicked'), async (event, paths: unknown) => {
    if (!trusted(event)) return untrusted;
    try {
      return ok(await state.openPaths(checkedPaths(paths)));
    } catch (error) {
      return err(toUserError(error, 'openPicked', logger));
    }
  });
  ipcMain.handle(channelOf('saveText'), async (event, request: unknown) => {
    if (!trusted(event)) return untrusted;
    try {
      const r = checkedSaveRequest(request);
      const known = r.handle === undefined ? undefined : textFiles.pathOf(r.handle);
      if (known !== undefined) {
        const saved = await textFiles.save(known, r.text);
        rememberFilterSet(r.kind, known);
        return ok(saved);
      }
      const options: Electron.SaveDialogOptions = {
        defaultPath: r.suggestedName,
        filters: TEXT_FILE_FILTERS[r.kind],
      };
      const chosen = window
        ? await dialog.showSaveDialog(window, options)
        : await dialog.showSaveDialog(options);
      if (chosen.canceled || chosen.filePath === '') return ok(null);
      const saved = await textFiles.save(chosen.filePath, r.text);
      rememberFilterSet(r.kind, chosen.filePath);
      return ok(saved);
    } catch (error) {
      return err(toUserError(error, 'saveText', logger));
    }
  });
  ipcMain.handle(channelOf('openText'), async (event, kind: unknown) => {
    if (!trusted(event)) return untrusted;
    if (kind !== 'filter-set' && kind !== 'configuration')
      return err({
        code: 'api.bad-argument',
        message: 'openText: kind must be filter-set or configuration.',
      });
    try {
      const options: Electron.OpenDialogOptions = {
        properties: ['openFile'],
        filters: TEXT_FILE_FILTERS[kind],
      };
      const chosen = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      const path = chosen.filePaths[0];
      if (chosen.canceled || path === undefined) return ok(null);
      const opened = await textFiles.open(path);
      rememberFilterSet(kind, path);
      return ok(opened);
    } catch (error) {
      return err(toUserError(error, 'openText', logger));
    }
  });
  ipcMain.handle(channelOf('showOpenDialog'), async (event) =>
    trusted(event) ? ok(await showOpenDialog()) : untrusted,
  );
  // The sandboxed renderer has no clipboard module; the main process writes plain text for it.
  ipcMain.handle(channelOf('copyText'), (event, text: unknown) => {
    if (!trusted(event)) return untrusted;
    try {
      clipboard.writeText(checkedCopyText(text));
      return ok(undefined);
    } catch (error) {
      return err(toUserError(error, 'copyText', logger));
    }
  });
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
  if (window === null || appState === null || window.webContents.isLoading()) {
    pendingPaths.push(...paths);
    return [];
  }
  return appState.openPaths(paths);
}
