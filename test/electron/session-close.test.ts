/**
 * Closing while a file loads must leave no worker thread running: a read that was on its way
 * when the file closed once asked for the file's worker again and started a new one that nothing
 * stopped, so the process never exited.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { createTestSession, tempDir, writeTemp } from '../helpers/session';

const live = new Set<object>();

vi.mock('node:worker_threads', async (original) => {
  const real = await original<typeof WorkerThreads>();
  class TrackedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      live.add(this);
      this.once('exit', () => live.delete(this));
    }
  }
  return { ...real, Worker: TrackedWorker };
});

const dir = tempDir();

describe('closing the session while files load', () => {
  it('leaves no worker thread behind, whenever the close comes', async () => {
    const line = '10.0.0.1 - - [05/Mar/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "x"\n';
    const path = writeTemp(dir, 'big.log', line.repeat(200_000));
    for (const delay of [0, 1, 5, 20, 60]) {
      const session = createTestSession({ chunkBytes: 256 * 1024 });
      await session.openPaths([path]);
      await new Promise((r) => setTimeout(r, delay));
      await session.close();
      // Reads that were on their way land after close; give them time to do harm.
      await new Promise((r) => setTimeout(r, 100));
      expect(live.size).toBe(0);
    }
  });
});
