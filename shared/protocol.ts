/**
 * Messages between the Session (main process or CLI) and a file's worker: one discriminated union
 * per direction, switched exhaustively on both sides. Requests carry a `seq` and get exactly one
 * `reply`; loading messages carry the `generation` of the load they belong to, so bytes of a load
 * that was replaced (format override) are recognised and dropped.
 */
import type { FormatId, FileContext, TextEncoding } from './formats/types';
import type { IndexStats } from './index/log-index';
import type { GroupKeySpec, RecordDetail, RowData, ViewQuery } from './api';
import type { FilterSet } from './filters/model';
import type { RuleCount } from './query/filter-engine';
import type { SearchQuery } from './query/search';
import type { StackBy } from './query/timeline';
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
  | { readonly type: 'set-view'; readonly view: WorkerView }
  | { readonly type: 'view-counts' }
  | {
      readonly type: 'groups';
      readonly spec: GroupKeySpec;
      readonly limit: number;
      readonly sparkline: {
        readonly buckets: number;
        readonly from: number;
        readonly to: number;
      } | null;
    }
  | { readonly type: 'time-range' }
  | {
      readonly type: 'timeline';
      readonly from: number;
      readonly to: number;
      readonly bucketMs: number;
      readonly stackBy: StackBy | null;
    }
  | { readonly type: 'find'; readonly query: SearchQuery }
  | { readonly type: 'cancel-find' }
  | {
      readonly type: 'find-next';
      readonly query: ViewQuery;
      readonly from: number;
      readonly backwards: boolean;
    }
  | { readonly type: 'row-of-record'; readonly query: ViewQuery; readonly record: number }
  | { readonly type: 'row-at-time'; readonly query: ViewQuery; readonly time: number }
  /** The file's behaviour findings (shared/findings/analyse.ts) over the records indexed so far. */
  | { readonly type: 'findings' };

/** The part of the session's view that reaches a worker (the filter set already validated). */
export interface WorkerView {
  readonly filters: FilterSet | null;
  readonly mode: 'visible' | 'hidden' | 'all';
  readonly groups: {
    readonly spec: GroupKeySpec;
    readonly keys: readonly (string | null)[];
  } | null;
  readonly window: { readonly from: number; readonly to: number } | null;
  /** The file is switched off in the view: no rows. */
  readonly off: boolean;
}

/** One file's view counts, with the filter engine's per-rule counts. */
export interface ViewCounts {
  readonly total: number;
  readonly visible: number;
  readonly hidden: number;
  readonly marked: number;
  readonly rows: number;
  readonly rules: readonly RuleCount[];
  readonly elapsedMs: number;
}

export interface WorkerGroup {
  readonly key: string | null;
  readonly count: number;
  readonly first: number | null;
  readonly last: number | null;
  readonly hidden: number;
  readonly sparkline: Uint32Array | null;
}

export interface WorkerTimeline {
  readonly totals: Uint32Array;
  readonly series: readonly {
    readonly kind: 'value' | 'other' | 'none';
    readonly key: string | null;
    readonly counts: Uint32Array;
  }[];
  readonly untimed: number;
}

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
  | { readonly type: 'view-counts'; readonly counts: ViewCounts }
  | {
      readonly type: 'groups';
      readonly records: number;
      readonly totalGroups: number;
      readonly groups: readonly WorkerGroup[];
      readonly elapsedMs: number;
    }
  | {
      readonly type: 'time-range';
      readonly range: { readonly first: number; readonly last: number } | null;
    }
  | { readonly type: 'timeline'; readonly timeline: WorkerTimeline }
  | {
      readonly type: 'find';
      readonly matches: number;
      readonly inView: number;
      readonly complete: boolean;
      readonly bytesScanned: number;
    }
  | { readonly type: 'row'; readonly row: number | null }
  | { readonly type: 'done' }
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
      /**
       * Fresh memory the worker's index is about to fill: the Session faults its pages in from
       * its own thread, ahead of the worker's writes, so the worker does not pay for them.
       */
      readonly type: 'prefault';
      readonly generation: number;
      readonly buffer: SharedArrayBuffer;
      /** The part of the buffer the index uses (the rest is never touched). */
      readonly bytes: number;
    }
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
