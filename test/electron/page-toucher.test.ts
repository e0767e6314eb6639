/**
 * The Session faults in the pages of a worker's fresh index columns while the worker fills them.
 * Both threads then touch the same memory at once: the touching must never change a value the
 * worker wrote, must stop when the file no longer wants it, and a load through shared columns
 * must index exactly what it indexes without them.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PageToucher } from '../../electron/session/page-toucher';
import type { Session } from '../../electron/session/session';
import type { ViewQuery } from '../../shared/api';
import type { FromWorker } from '../../shared/protocol';
import { createTestSession, openLoaded, tempDir, writeTemp } from '../helpers/session';

/** Writes word i = i * 7 + 1 across the buffer, the way the index fills a column: in order. */
const WRITER = `
const { workerData, parentPort } = require('node:worker_threads');
const words = new Int32Array(workerData.buffer);
for (let i = 0; i < words.length; i++) words[i] = i * 7 + 1;
parentPort.postMessage('done');
`;

function drained(toucher: PageToucher): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (toucher.backlog === 0) resolve();
      else setTimeout(check, 1);
    };
    check();
  });
}

describe('faulting pages in from another thread', () => {
  it('never changes a value the writing thread put there, whoever comes first', async () => {
    for (let run = 0; run < 3; run++) {
      const buffer = new SharedArrayBuffer(24 * 1024 * 1024);
      const toucher = new PageToucher();
      const writer = new Worker(WRITER, { eval: true, workerData: { buffer } });
      toucher.add(buffer, buffer.byteLength, () => true);
      await new Promise((resolve) => writer.once('message', resolve));
      await drained(toucher);
      await writer.terminate();
      const words = new Int32Array(buffer);
      let wrong = 0;
      for (let i = 0; i < words.length; i++) if (words[i] !== Math.imul(i, 7) + 1) wrong++;
      expect(wrong).toBe(0);
    }
  });

  it('stops as soon as the buffer is no longer wanted, and when cleared', async () => {
    const toucher = new PageToucher();
    let wanted = true;
    toucher.add(new SharedArrayBuffer(64 * 1024 * 1024), 64 * 1024 * 1024, () => wanted);
    wanted = false;
    await drained(toucher);
    toucher.add(new SharedArrayBuffer(64 * 1024 * 1024), 64 * 1024 * 1024, () => true);
    expect(toucher.backlog).toBe(1);
    toucher.clear();
    expect(toucher.backlog).toBe(0);
  });
});

/** 300,000 Apache records: each index column is well over the size that is shared. */
function bigLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 300_000; i++) {
    const s = i % 60;
    const m = Math.floor(i / 60) % 60;
    const h = Math.floor(i / 3600) % 24;
    const pad = (n: number): string => String(n).padStart(2, '0');
    lines.push(
      `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} - - [05/Mar/2024:${pad(h)}:${pad(m)}:${pad(s)} +0000] "GET /p/${i} HTTP/1.1" ${i % 7 === 0 ? 404 : 200} ${i} "-" "agent"`,
    );
  }
  return writeTemp(tempDir(), 'shared.log', lines.join('\n') + '\n');
}

describe('a worker where SharedArrayBuffer is missing', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('keeps its columns private and still indexes every record', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    vi.resetModules();
    const { FileWorker } = await import('../../electron/worker/file-worker');
    const path = bigLog();
    const bytes = readFileSync(path);
    const fd = openSync(path, 'r');
    const posted: FromWorker[] = [];
    const worker = new FileWorker((m) => posted.push(m));
    const file = { name: 'shared.log', size: bytes.length, modifiedMs: 0, options: {} };
    worker.handle({ type: 'load', generation: 1, file, fd, format: null });
    const chunk = 4 * 1024 * 1024;
    for (let at = 0; at < bytes.length;) {
      let end = Math.min(bytes.length, at + chunk);
      if (end < bytes.length) end = bytes.lastIndexOf(10, end - 1) + 1;
      const buffer = new ArrayBuffer(end - at);
      new Uint8Array(buffer).set(bytes.subarray(at, end));
      worker.handle({ type: 'chunk', generation: 1, offset: at, buffer, length: end - at });
      at = end;
    }
    worker.handle({ type: 'end', generation: 1, reason: 'eof' });
    closeSync(fd);
    expect(posted.some((m) => m.type === 'prefault')).toBe(false);
    const loaded = posted.find((m) => m.type === 'loaded');
    expect(loaded?.type === 'loaded' && loaded.stats.records).toBe(300_000);
  });
});

describe('a load whose columns are shared', () => {
  let session: Session | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await session?.close();
    session = undefined;
  });

  it('indexes every record exactly as written', async () => {
    const added = vi.spyOn(PageToucher.prototype, 'add');
    const path = bigLog();
    session = createTestSession({ chunkBytes: 1024 * 1024 });
    const summary = await openLoaded(session, path);
    expect(summary.records).toBe(300_000);
    expect(added).toHaveBeenCalled();
    const query: ViewQuery = { fileId: summary.id, order: 'file', descending: false };
    for (const start of [0, 1000, 150_000, 299_000]) {
      const page = await session.rows(query, start, start + 1000);
      expect(page.rows).toHaveLength(1000);
      page.rows.forEach((row, k) => {
        const i = start + k;
        expect([row.line, row.srcIp, row.code, row.time]).toEqual([
          i + 1,
          `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          i % 7 === 0 ? '404' : '200',
          Date.UTC(2024, 2, 5, Math.floor(i / 3600) % 24, Math.floor(i / 60) % 60, i % 60),
        ]);
      });
    }
  });
});
