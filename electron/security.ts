/**
 * The desktop window's security decisions, kept apart from main.ts so they are plain data that a
 * test can check: the renderer is sandboxed, isolated and offline; it may load only the app's own
 * files, open no windows, navigate nowhere and be granted no permission.
 */
import { pathToFileURL } from 'node:url';

/** webPreferences for every window (electron's WebPreferences, restated so tests need no Electron). */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Middle-click would open links in new windows; nothing here should open one.
    disableBlinkFeatures: 'Auxclick',
  } as const;
}

/**
 * Whether the renderer may load `url`: only files of the built renderer (and DevTools' own
 * pages). Everything else, the network included, is cancelled: LogSieve works offline by design.
 */
export function isAllowedRequest(url: string, rendererDir: string): boolean {
  if (url.startsWith('devtools://')) return true;
  const root = pathToFileURL(rendererDir.endsWith('/') ? rendererDir : rendererDir + '/').href;
  if (!url.startsWith(root)) return false;
  // No escaping the renderer folder with encoded dot segments.
  const rest = decodeURIComponent(url.slice(root.length));
  return !rest.split(/[\\/]/).includes('..');
}

/** Paths given on the command line (`npm start -- /var/log/x.log`): everything that is not an option. */
export function pathsFromArgv(argv: readonly string[], skip: number): string[] {
  return argv.slice(skip).filter((a) => a.length > 0 && !a.startsWith('-'));
}
