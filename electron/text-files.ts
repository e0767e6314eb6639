/**
 * Saving and opening the small text files the UI writes (filter sets, exported configuration) in
 * the desktop app. The renderer never sees a path: a file it opened or saved is named by an opaque
 * handle, which this registry maps back to the path the user chose in a dialog. Saving is atomic.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SaveTextRequest, TextFile, TextFileKind } from '../shared/api';
import { writeFileAtomic } from './files/atomic-write';

/** Dialog filters per kind of file. */
export const TEXT_FILE_FILTERS: Record<TextFileKind, { name: string; extensions: string[] }[]> = {
  'filter-set': [
    { name: 'LogSieve filter sets', extensions: ['json'] },
    { name: 'All files', extensions: ['*'] },
  ],
  configuration: [
    { name: 'Configuration', extensions: ['conf', 'txt', 'cpl'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

/** Larger than any filter set or snippet we write; refuses to read a log by mistake. */
export const MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024;

export class TextFiles {
  private readonly paths = new Map<string, string>();

  /** A handle for a path the user chose. */
  remember(path: string): TextFile {
    const handle = randomUUID();
    this.paths.set(handle, path);
    return { name: basename(path), handle };
  }

  pathOf(handle: string): string | undefined {
    return this.paths.get(handle);
  }

  async save(path: string, text: string): Promise<TextFile> {
    await writeFileAtomic(path, text);
    return this.remember(path);
  }

  async open(path: string): Promise<TextFile & { text: string }> {
    const info = await stat(path);
    if (info.size > MAX_TEXT_FILE_BYTES)
      throw new Error(
        `${basename(path)} is ${info.size} bytes; a filter set or configuration is far smaller`,
      );
    return { ...this.remember(path), text: await readFile(path, 'utf8') };
  }
}

/** Checks a save request from the renderer: kind, a plain file name, text of a sane size. */
export function checkedSaveRequest(value: unknown): SaveTextRequest {
  if (typeof value !== 'object' || value === null)
    throw new TypeError('save request must be an object');
  const r = value as Record<string, unknown>;
  if (r.kind !== 'filter-set' && r.kind !== 'configuration')
    throw new TypeError('kind must be filter-set or configuration');
  if (
    typeof r.suggestedName !== 'string' ||
    r.suggestedName.length === 0 ||
    r.suggestedName.length > 255 ||
    /[\\/\0]/.test(r.suggestedName)
  )
    throw new TypeError('suggestedName must be a plain file name');
  if (typeof r.text !== 'string' || r.text.length > MAX_TEXT_FILE_BYTES)
    throw new TypeError('text must be a string under 4 MiB');
  if (r.handle !== undefined && typeof r.handle !== 'string')
    throw new TypeError('handle must be a string');
  return {
    kind: r.kind,
    suggestedName: r.suggestedName,
    text: r.text,
    ...(r.handle === undefined ? {} : { handle: r.handle }),
  };
}
