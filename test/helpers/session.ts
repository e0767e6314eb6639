/** A Session over the built worker, for Node tests; closed by the caller. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileSummary } from '../../shared/api';
import type { SessionOptions } from '../../electron/session/session';
import { Session } from '../../electron/session/session';

export const WORKER_URL = new URL('../../out/main/log.worker.js', import.meta.url);

export function createTestSession(options: Partial<SessionOptions> = {}): Session {
  return new Session({ workerUrl: WORKER_URL, ...options });
}

export async function openLoaded(session: Session, path: string): Promise<FileSummary> {
  const [file] = await session.openPaths([path]);
  if (file === undefined) throw new Error(`nothing opened for ${path}`);
  await session.whenLoaded(file.id);
  return session.summaryOf(file.id);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'logsieve-test-'));
}

export function writeTemp(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
