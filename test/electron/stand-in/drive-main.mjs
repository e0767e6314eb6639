/**
 * Runs the built main process (out/main/main.js) over the Electron stand-in and acts as the
 * window and the OS: calls the IPC handlers as the window would, launches a "second instance",
 * clicks native menu items, moves and closes the window. Prints what happened as one JSON line.
 * Usage: node --import ./register.mjs drive-main.mjs MAIN_JS --user-data-dir=DIR FILE SECOND_FILE
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, app, nativeTheme, record } from './electron.mjs';

const [mainJs, userDataArg, first, second] = process.argv.slice(2);
// What the main process sees: `electron <app> --user-data-dir=… FILE`.
process.argv = [process.execPath, 'app', userDataArg, first];
void BrowserWindow;

const report = {};
const wait = async (what, test, ms = 20_000) => {
  const until = Date.now() + ms;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

await import(pathToFileURL(mainJs).href);
const window = await wait('the window', () => record.windows[0]);
const call = (method, args = [], sender = window.webContents) => {
  const handler = record.handlers.get(`logsieve:${method}`);
  if (!handler) throw new Error(`no handler for ${method}`);
  return handler({ sender, senderFrame: sender.mainFrame }, ...args);
};

const files = async () => (await call('listFiles')).value;
await wait('the file from the command line', async () => (await files())?.length === 1);
report.lock = record.lock;
report.firstFile = (await files())[0].name;
report.windowOptions = {
  width: window.options.width,
  height: window.options.height,
  sandbox: window.options.webPreferences.sandbox,
  contextIsolation: window.options.webPreferences.contextIsolation,
};
report.menuLabels = record.menus.at(-1).map((m) => m.label ?? m.role);

const menuItem = (id) => {
  const find = (items) => {
    for (const item of items) {
      if (item.id === id) return item;
      const inner = item.submenu ? find(item.submenu) : null;
      if (inner) return inner;
    }
    return null;
  };
  return find(record.menus.at(-1));
};
report.recentInMenu = menuItem('recent.files').submenu.map((i) => i.label ?? i.type);

// The window changes a setting: the OS theme and the native menu follow.
const changed = await call('changeSettings', [{ theme: 'dark' }]);
report.changed = changed.ok;
report.themeSource = nativeTheme.themeSource;
report.darkChecked = menuItem('view.theme.dark').checked;
report.badChange = (await call('changeSettings', [{ theme: 'neon' }])).error?.code;

// Another frame or web contents is refused.
const stranger = { mainFrame: { url: 'https://example.com/' } };
report.untrusted = (await call('listFiles', [], stranger)).error?.code;

// A second launch hands over a file.
app.emit('second-instance', {}, ['logsieve', second], '/somewhere', {
  kind: 'logsieve.open',
  paths: [second],
});
await wait('the second file', async () => (await files())?.length === 2);
report.opened = record.sent
  .filter((m) => m.channel === 'logsieve:app-event' && m.payload.type === 'opened')
  .map((m) => m.payload.fileIds.length);

// Native menu items: the window's commands go to the window; Open… shows the dialog.
menuItem('view.detailPane').click();
report.command = record.sent
  .filter((m) => m.channel === 'logsieve:app-event' && m.payload.type === 'command')
  .map((m) => m.payload.command);
menuItem('file.open').click();
await wait('the Open dialog', () => record.dialogs === 1);
report.dialogs = record.dialogs;

// Copy Row's clipboard door.
report.copy = (await call('copyText', ['a record'])).ok;
report.clipboard = record.clipboard;

// The window moves, then closes; the app quits once its settings are on disk.
window.bounds = { x: 40, y: 60, width: 1100, height: 700 };
window.emit('move');
window.emit('close');
app.emit('window-all-closed');
await wait('quit', () => record.quit > 0);
const saved = JSON.parse(readFileSync(join(record.paths.userData, 'settings.json'), 'utf8'));
report.saved = {
  theme: saved.theme,
  window: saved.window,
  recentFiles: saved.recentFiles.map((e) => e.path),
};
report.recentDocuments = record.recentDocuments;
process.stdout.write(JSON.stringify(report) + '\n');
process.exit(0);
