/**
 * What opening a folder means: its log-looking files, not recursively. A file is log-looking by
 * its name (extensions and rotated names the formats declare) — reading every file's content to
 * decide would make dropping a big folder slow.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const LOG_NAME = [
  /\.(log|txt|evtx|evt|csv|xml|out|err|trace|json)(\.\d+)?$/i,
  /\.log\.\d+$/i,
  /^(access|error|ssl_request|ssl_error|ssl_access)_log(\.\d+)?$/i,
  /^(messages|syslog|ctagent)(\.\d+)?$/i,
  /^ex\d{6}(_x)?\.log$/i,
  /^u_ex\d{6,8}(_x)?\.log$/i,
];

/** At most this many files are opened from one folder, so a stray drop cannot open thousands. */
export const MAX_FOLDER_FILES = 64;

export interface FolderListing {
  readonly files: readonly string[];
  readonly skipped: number;
  readonly capped: boolean;
}

export async function logFilesIn(folder: string): Promise<FolderListing> {
  const entries = await readdir(folder, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
  const logs = names.filter((n) => LOG_NAME.some((p) => p.test(n)));
  return {
    files: logs.slice(0, MAX_FOLDER_FILES).map((n) => join(folder, n)),
    skipped: names.length - logs.length,
    capped: logs.length > MAX_FOLDER_FILES,
  };
}
