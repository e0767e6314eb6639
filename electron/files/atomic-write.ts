/**
 * Saving without ever leaving a half-written file: the data goes to a temporary file in the same
 * directory (so the rename cannot cross file systems), is flushed to disk, and only then renamed
 * over the target, which readers see either whole-old or whole-new. The directory is flushed too
 * where the platform allows it (Linux, macOS; not Windows), so the rename itself survives a crash.
 * On any failure before the rename the temporary file is removed and the old file is untouched.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The part of node:fs/promises used here; tests pass a version that fails on purpose. */
export interface AtomicWriteFs {
  open(path: string, flags: string, mode?: number): Promise<AtomicWriteHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ mode: number }>;
}

export interface AtomicWriteHandle {
  chmod(mode: number): Promise<void>;
  writeFile(data: string | Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

const NODE_FS: AtomicWriteFs = nodeFs;

// Errors that mean "directories cannot be opened or flushed here", not "the flush failed".
const DIRECTORY_SYNC_UNSUPPORTED = new Set([
  'EISDIR',
  'EPERM',
  'EACCES',
  'EINVAL',
  'ENOTSUP',
  'EBADF',
]);

const errorCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/**
 * Replaces the file at `path` with `data` (a string is written as UTF-8). Throws the file system's
 * error when it fails; the file at `path` then still holds what it held before.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  fs: AtomicWriteFs = NODE_FS,
): Promise<void> {
  const directory = dirname(path);
  const temporary = join(
    directory,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  // Keep the permissions of the file being replaced (a filter set may be private on purpose).
  let keptMode: number | null = null;
  try {
    keptMode = (await fs.stat(path)).mode & 0o7777;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }

  let created = false;
  try {
    // `wx`: never reuse or follow something already at the temporary name.
    const handle = await fs.open(temporary, 'wx', keptMode ?? 0o666);
    created = true;
    try {
      // open() applies the umask; chmod() gives the replaced file's exact mode back.
      if (keptMode !== null) await handle.chmod(keptMode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
  } catch (error) {
    // The original error is what the caller needs; a failed clean-up cannot be helped here.
    if (created) await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory, fs);
}

async function syncDirectory(directory: string, fs: AtomicWriteFs): Promise<void> {
  let handle: AtomicWriteHandle;
  try {
    handle = await fs.open(directory, 'r');
  } catch (error) {
    if (DIRECTORY_SYNC_UNSUPPORTED.has(errorCode(error) ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
  } finally {
    await handle.close();
  }
}
