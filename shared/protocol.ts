/**
 * Messages between the Session (main process or CLI) and a file's worker: one discriminated union
 * per direction, switched exhaustively on both sides. Requests carry a `seq` and get exactly one
 * `reply`; loading messages carry the `generation` of the load they belong to, so bytes of a load
 * that was replaced (format override) are recognised and dropped.
 */
import type { FormatId, FileContext, TextEncoding } from './formats/types';
import type { IndexStats } from './index/log-index';
import type { RecordDetail, RowData, ViewQuery } from './api';
import type { CommonColumn } from './record';
import type { UserError } from './result';
import type { Finding } from './findings/analyse';

export type WorkerRequest =
  | {
      readonly type: 'rows';
      readonly query: ViewQuery;
      readonly start: number;
      readonly end: number;
    }
  | { readonly type: 'record'; readonly record: number; readonly fileName: string }
  | {
      readonly type: 'records';
      readonly start: number;
      readonly count: number;
      readonly fileName: string;
    }
  | { readonly type: 'locate-line'; readonly query: ViewQuery; readonly line: number }
  /** The file's behaviour findings (shared/findings/analyse.ts) over the records indexed so far. */
  | { readonly type: 'findings' };

export type ToWorker =
  | {
      readonly type: 'load';
      readonly generation: number;
      readonly file: FileContext;
      /** File descriptor opened by the Session; the worker reads records back through it. */
      readonly fd: number;
      /** null: detect the format from the first chunk. */
      readonly format: FormatId | null;
    }
  | {
      readonly type: 'chunk';
      readonly generation: number;
      readonly offset: number;
      readonly buffer: ArrayBuffer;
      readonly length: number;
    }
  | {
      readonly type: 'end';
      readonly generation: number;
      /** Why loading stopped; `problem` is shown with the file when it stopped early or oddly. */
      readonly reason: 'eof' | 'cancelled' | 'failed';
      readonly problem?: UserError;
    }
  | { readonly type: 'request'; readonly seq: number; readonly request: WorkerRequest };

export interface Detected {
  readonly format: FormatId | null;
  readonly detectedFormat: FormatId | null;
  readonly encoding: TextEncoding | null;
  readonly bomLength: number;
}

export interface LoadStats extends IndexStats {
  readonly bytesIndexed: number;
  readonly columns: readonly CommonColumn[];
  /** File-level problems the format reported (chunks skipped, truncation). */
  readonly errors: readonly string[];
}

export type WorkerReply =
  | { readonly type: 'rows'; readonly total: number; readonly rows: readonly RowData[] }
  | { readonly type: 'record'; readonly detail: Omit<RecordDetail, 'fileId'> }
  | { readonly type: 'records'; readonly details: readonly Omit<RecordDetail, 'fileId'>[] }
  | { readonly type: 'locate-line'; readonly row: number | null }
  | { readonly type: 'findings'; readonly findings: readonly Finding[] };

export type FromWorker =
  | { readonly type: 'detected'; readonly generation: number; readonly detected: Detected }
  | {
      readonly type: 'chunk-done';
      readonly generation: number;
      /** The chunk's buffer, handed back for reuse. */
      readonly buffer: ArrayBuffer;
      readonly stats: LoadStats;
    }
  | { readonly type: 'loaded'; readonly generation: number; readonly stats: LoadStats }
  | {
      readonly type: 'reply';
      readonly seq: number;
      readonly reply: WorkerReply;
      readonly elapsedMs: number;
    }
  | { readonly type: 'failed'; readonly seq: number; readonly error: UserError }
  | {
      readonly type: 'log';
      readonly level: 'debug' | 'info' | 'warn' | 'error';
      readonly message: string;
    };

/** Every ArrayBuffer a message carries, for the transfer list (one helper, used by every send). */
export function transferablesOf(message: ToWorker | FromWorker): ArrayBuffer[] {
  switch (message.type) {
    case 'chunk':
    case 'chunk-done':
      return [message.buffer];
    default:
      return [];
  }
}
