/**
 * A stand-in for the parts of Electron's main-process API that electron/main.ts uses, recording
 * what it is asked to do. It lets the built main process run under plain Node (the Electron
 * runtime cannot be downloaded here): the wiring is real, the window and the OS are not.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

export const record = {
  paths: {},
  lock: null,
  quit: 0,
  recentDocuments: [],
  clearedRecentDocuments: 0,
  menus: [],
  windows: [],
  sent: [],
  clipboard: null,
  dialogs: 0,
  handlers: new Map(),
};

class App extends EventEmitter {
  isPackaged = false;
  setPath(name, path) {
    record.paths[name] = path;
  }
  getPath(name) {
    const path = record.paths[name];
    if (path === undefined) throw new Error(`no path ${name} in the stand-in`);
    return path;
  }
  getName() {
    return 'LogSieve';
  }
  getVersion() {
    return '0.0.0-stand-in';
  }
  requestSingleInstanceLock(data) {
    record.lock = data;
    return true;
  }
  enableSandbox() {}
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    record.quit++;
  }
  addRecentDocument(path) {
    record.recentDocuments.push(path);
  }
  clearRecentDocuments() {
    record.clearedRecentDocuments++;
  }
}
export const app = new App();

class WebContents extends EventEmitter {
  loading = true;
  mainFrame = { url: '' };
  send(channel, payload) {
    record.sent.push({ channel, payload });
  }
  isLoading() {
    return this.loading;
  }
  setWindowOpenHandler() {}
}

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    this.bounds = { x: options.x, y: options.y, width: options.width, height: options.height };
    this.maximized = false;
    record.windows.push(this);
  }
  loadFile(path) {
    this.webContents.mainFrame.url = pathToFileURL(path).href;
    setImmediate(() => {
      this.webContents.loading = false;
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
    });
    return Promise.resolve();
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return this.maximized;
  }
  isFullScreen() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  getNormalBounds() {
    return this.bounds;
  }
}

export const Menu = {
  buildFromTemplate(template) {
    return { template };
  },
  setApplicationMenu(menu) {
    record.menus.push(menu.template);
  },
};

export const clipboard = {
  writeText(text) {
    record.clipboard = text;
  },
};

export const dialog = {
  showOpenDialog() {
    record.dialogs++;
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
};

export const ipcMain = {
  handle(channel, handler) {
    record.handlers.set(channel, handler);
  },
};

export const nativeTheme = { themeSource: 'system', shouldUseDarkColors: false };

const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
export const screen = {
  getAllDisplays: () => [{ workArea }],
  getPrimaryDisplay: () => ({ workArea }),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler() {},
    setPermissionCheckHandler() {},
    webRequest: { onBeforeRequest() {} },
  },
};
