import {
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicWriteFs } from '../../electron/files/atomic-write';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsieve-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const OLD = '{"old": true}\n';

/** Real file system calls, with one step made to fail after doing part of its work. */
function failingFs(step: 'write' | 'sync' | 'rename'): AtomicWriteFs {
  const error = (code: string) => Object.assign(new Error(`simulated ${code}`), { code });
  return {
    stat: (path) => fsp.stat(path),
    unlink: (path) => fsp.unlink(path),
    rename: async (from, to) => {
      if (step === 'rename') throw error('EXDEV');
      await fsp.rename(from, to);
    },
    open: async (path, flags, mode) => {
      const handle = await fsp.open(path, flags, mode);
      return {
        chmod: (m) => handle.chmod(m),
        close: () => handle.close(),
        sync: async () => {
          if (step === 'sync') throw error('EIO');
          await handle.sync();
        },
        writeFile: async (data) => {
          if (step === 'write') {
            // A disk that fills up halfway: part of the data is on disk, then the write fails.
            await handle.writeFile(String(data).slice(0, 5));
            throw error('ENOSPC');
          }
          await handle.writeFile(data);
        },
      };
    },
  };
}

describe('writeFileAtomic', () => {
  it('creates a file and replaces one, leaving no temporary file behind', async () => {
    const path = join(dir, 'set.logsieve-filters.json');
    await writeFileAtomic(path, OLD);
    expect(readFileSync(path, 'utf8')).toBe(OLD);
    await writeFileAtomic(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['set.logsieve-filters.json']);
  });

  it.each(['write', 'sync', 'rename'] as const)(
    'keeps the old file whole and removes the temporary one when %s fails',
    async (step) => {
      const path = join(dir, 'set.json');
      writeFileSync(path, OLD);
      await expect(
        writeFileAtomic(path, '{"new": "data that never lands"}', failingFs(step)),
      ).rejects.toThrow(/simulated/);
      expect(readFileSync(path, 'utf8')).toBe(OLD);
      expect(readdirSync(dir)).toEqual(['set.json']);
    },
  );

  it('fails cleanly when the target is a directory (a real error, no simulation)', async () => {
    const path = join(dir, 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x');
    await expect(writeFileAtomic(path, 'data')).rejects.toMatchObject({
      code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/) as unknown,
    });
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('x');
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'set.json'), 'data')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const path = join(dir, 'private.json');
    writeFileSync(path, OLD, { mode: 0o600 });
    await writeFileAtomic(path, 'new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('never mixes two concurrent saves: the file is one of them, whole', async () => {
    const path = join(dir, 'raced.json');
    const a = 'a'.repeat(1 << 20);
    const b = 'b'.repeat(1 << 20);
    await Promise.all([
      writeFileAtomic(path, a),
      writeFileAtomic(path, b),
      writeFileAtomic(path, a),
    ]);
    expect([a, b]).toContain(readFileSync(path, 'utf8'));
    expect(readdirSync(dir)).toEqual(['raced.json']);
  });
});
