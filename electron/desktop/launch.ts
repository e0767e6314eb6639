/**
 * What a launch asks for: files to open (double-click, "Open with", the command line) and
 * optionally another user-data folder. A second launch while LogSieve runs hands its files to
 * the running instance and quits; the files travel as the single-instance lock's additional
 * data, already made absolute against the second launch's working folder, because the argv the
 * first instance receives is rewritten by Chromium on some platforms. Plain Node, no Electron.
 */
import { isAbsolute, resolve } from 'node:path';
import { isStorablePath } from '../../shared/settings/settings';
import { pathsFromArgv } from '../security';

export interface Launch {
  /** Absolute paths of the files and folders to open. */
  readonly paths: string[];
  /** `--user-data-dir=DIR`: settings (and the single-instance lock) live there instead. */
  readonly userDataDir: string | null;
}

const USER_DATA = '--user-data-dir=';

/**
 * Where the user's arguments start in argv. Packaged: after the executable. Run as
 * `electron <app>` (development, tests): after the app's path, which is the first argument that
 * is not a switch; tools put their own switches before it (Playwright adds --inspect=0).
 */
export function userArgsStart(argv: readonly string[], packaged: boolean): number {
  if (packaged) return 1;
  const app = argv.findIndex((arg, i) => i > 0 && !arg.startsWith('-'));
  return app < 0 ? argv.length : app + 1;
}

/**
 * @param argv the process's argv
 * @param skip leading entries that are not ours (the executable, and `.` when run unpackaged)
 * @param cwd the folder relative paths are relative to
 */
export function parseLaunch(argv: readonly string[], skip: number, cwd: string): Launch {
  let userDataDir: string | null = null;
  for (const arg of argv.slice(skip))
    if (arg.startsWith(USER_DATA) && arg.length > USER_DATA.length)
      userDataDir = resolve(cwd, arg.slice(USER_DATA.length));
  return { paths: pathsFromArgv(argv, skip).map((p) => resolve(cwd, p)), userDataDir };
}

const HAND_OFF_KIND = 'logsieve.open';
const MAX_HAND_OFF_PATHS = 1000;

/** What a second launch sends to the running instance. */
export interface HandOff {
  readonly kind: typeof HAND_OFF_KIND;
  readonly paths: readonly string[];
}

export function handOff(paths: readonly string[]): HandOff {
  return { kind: HAND_OFF_KIND, paths };
}

/**
 * The paths a second launch asked to open: from its hand-off data when that is well-formed,
 * else from its argv (a launch by an older LogSieve, or data that did not survive).
 */
export function pathsFromSecondLaunch(
  data: unknown,
  argv: readonly string[],
  skip: number,
  workingDirectory: string,
): string[] {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const { kind, paths } = data as Record<string, unknown>;
    if (
      kind === HAND_OFF_KIND &&
      Array.isArray(paths) &&
      paths.length <= MAX_HAND_OFF_PATHS &&
      paths.every((p) => isStorablePath(p) && isAbsolute(p))
    )
      return paths as string[];
  }
  return parseLaunch(argv, skip, workingDirectory).paths;
}
