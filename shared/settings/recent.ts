/**
 * Recent files and recent filter sets: most recent first, each path once, at most
 * {@link MAX_RECENT}. Paths are compared the way the platform's file system compares names, so
 * `C:\Logs\A.log` and `c:/logs/a.log` are one entry on Windows and two on Linux.
 */

export interface RecentEntry {
  /** Absolute path, as the user opened it. */
  readonly path: string;
  /** When it was last opened, UTC ms. */
  readonly openedMs: number;
}

export const MAX_RECENT = 10;

/** Which recent list: files, or filter sets. */
export type RecentListId = 'files' | 'filterSets';
export const RECENT_LISTS: readonly RecentListId[] = ['files', 'filterSets'];

/** Turns a path into the key two paths share when they name the same file. */
export type PathKey = (path: string) => string;

/** Windows and macOS (by default) ignore case in file names; Windows takes either slash. */
export function pathKeyFor(platform: string): PathKey {
  if (platform === 'win32') return (p) => p.replaceAll('/', '\\').toLowerCase();
  if (platform === 'darwin') return (p) => p.normalize('NFC').toLowerCase();
  return (p) => p;
}

const exact: PathKey = (p) => p;

/** Keeps the first (most recent) entry of each path. */
export function dedupeRecent(entries: readonly RecentEntry[], key: PathKey = exact): RecentEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const k = key(entry.path);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The list with `path` at the front (moved there if it was already listed). */
export function rememberRecent(
  list: readonly RecentEntry[],
  path: string,
  openedMs: number,
  key: PathKey = exact,
): RecentEntry[] {
  return dedupeRecent([{ path, openedMs }, ...list], key).slice(0, MAX_RECENT);
}

/** The list without `path`. */
export function forgetRecent(
  list: readonly RecentEntry[],
  path: string,
  key: PathKey = exact,
): RecentEntry[] {
  const k = key(path);
  return list.filter((entry) => key(entry.path) !== k);
}

/** The entry for `path`, compared as the platform compares; undefined when it is not listed. */
export function findRecent(
  list: readonly RecentEntry[],
  path: string,
  key: PathKey = exact,
): RecentEntry | undefined {
  const k = key(path);
  return list.find((entry) => key(entry.path) === k);
}

/** File name and folder of a path written with either slash (for menus: "access.log — /var/log"). */
export function splitPath(path: string): { readonly name: string; readonly folder: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return { name: path, folder: '' };
  const folder = path.slice(0, cut);
  // Keep the root visible: "/" or "C:\".
  return {
    name: path.slice(cut + 1),
    folder: folder === '' || /^[A-Za-z]:$/.test(folder) ? path.slice(0, cut + 1) : folder,
  };
}

/** How a recent entry is shown in a menu. */
export function recentLabel(entry: RecentEntry): string {
  const { name, folder } = splitPath(entry.path);
  return folder === '' ? name : `${name} — ${folder}`;
}
