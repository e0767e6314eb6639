/**
 * Worker thread entry: one per open file. Wires {@link FileWorker} to the parent port. An
 * exception that escapes is reported as a log message and then crashes this worker only; the
 * Session shows the file as failed and every other file goes on.
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../../shared/protocol';
import { transferablesOf } from '../../shared/protocol';
import { FileWorker } from './file-worker';

const port = parentPort;
if (port === null) throw new Error('log.worker must run in a worker thread');

const post = (message: FromWorker): void => {
  port.postMessage(message, transferablesOf(message));
};
const worker = new FileWorker(post);

function handle(message: ToWorker): void {
  try {
    worker.handle(message);
  } catch (error) {
    post({
      type: 'log',
      level: 'error',
      message: `worker failed on ${message.type}: ${(error as Error).stack ?? String(error)}`,
    });
    throw error;
  }
}

// Loading work waits in a queue of its own, worked off one message per turn of the event loop;
// requests are answered the moment they arrive. So a page of rows asked for while a file loads
// waits for at most one chunk, not for every chunk already sent.
const loading: ToWorker[] = [];
let scheduled = false;
function workOffLoading(): void {
  scheduled = false;
  const next = loading.shift();
  if (next === undefined) return;
  handle(next);
  if (loading.length > 0) schedule();
}
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(workOffLoading);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'request') handle(message);
  else {
    loading.push(message);
    schedule();
  }
});
