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

port.on('message', (message: ToWorker) => {
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
});
