/**
 * The Session owns the open files. It opens each one, streams its bytes in large chunks to that
 * file's worker (transferring the buffers, with at most a few in flight), turns the worker's
 * answers into {@link SessionApi} results and {@link SessionEvent}s, and keeps one file's trouble
 * (a read error, a crashed worker) away from the others. It does not know who calls it: Electron
 * IPC, the test bridge and the CLI all use it as is.
 */
import type { FileHandle } from 'node:fs/promises';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  FileSummary,
  FilterSummary,
  FindRequest,
  FindResult,
  GroupsRequest,
  GroupsResult,
  LoadProgress,
  RecordDetail,
  RowsPage,
  SessionApi,
  SessionEvent,
  TimelineRequest,
  TimelineResult,
  ViewQuery,
  ViewSettings,
} from '../../shared/api';
import { FORMATS, formatById, formatInfo } from '../../shared/formats/registry';
import type { FormatId, FormatInfo, FormatOptions, TextEncoding } from '../../shared/formats/types';
import type { FileId, RecordIndex, RowIndex } from '../../shared/ids';
import { asFileId } from '../../shared/ids';
import type {
  FromWorker,
  LoadStats,
  ToWorker,
  WorkerReply,
  WorkerRequest,
} from '../../shared/protocol';
import { transferablesOf } from '../../shared/protocol';
import { bucketWidth } from '../../shared/query/timeline';
import type { CommonColumn } from '../../shared/record';
import type { UserError } from '../../shared/result';
import type { Finding } from '../../shared/findings/analyse';
import type { LinkedFinding } from '../../shared/findings/links';
import { linkFindings } from '../../shared/findings/links';
import { TAGS } from '../../shared/tags/catalog';
import { assertNever, userError } from '../../shared/result';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { SessionError } from './errors';
import { logFilesIn } from './folders';
import { PageToucher } from './page-toucher';
import {
  NO_VIEW,
  checkedGroupsRequest,
  checkedView,
  mergeCounts,
  mergeGroups,
  mergeTimelines,
  workerView,
  type CheckedView,
} from './view';

export interface SessionOptions {
  /** The built worker entry (out/main/log.worker.js). */
  readonly workerUrl: URL;
  /** Bytes per chunk sent to a worker. */
  readonly chunkBytes?: number;
  /** Chunks a file may have in flight to its worker. */
  readonly chunksInFlight?: number;
  /** Files loading at once; the rest wait their turn. Default: the number of CPU cores. */
  readonly parallelLoads?: number;
  /** Progress events per file per second, at most. */
  readonly progressPerSecond?: number;
  readonly logger?: Logger;
  /** Calls slower than this (ms) are logged at debug level with their timing. */
  readonly slowCallMs?: number;
}

export { SessionError };

/**
 * The first chunks grow from 64 KiB by 8x each: the format is known and the first screen of rows
 * exists within milliseconds, and a page asked for meanwhile waits behind a small chunk (the
 * worker's code is still cold then), not behind a full one. (128 KiB, or growing by 4x, made the
 * first page of Apache and EVTX files later, not sooner.)
 */
const FIRST_CHUNK_BYTES = 64 * 1024;
const CHUNK_GROWTH = 8;
/**
 * How long after a file takes the spare worker the next spare starts. A thread's start (its code
 * loaded and compiled) competed with that file's first screen on a two-core machine: 30-50 ms of
 * the first page of an Apache or EVTX file.
 */
const SPARE_DELAY_MS = 1000;

const EMPTY_STATS: LoadStats = {
  records: 0,
  parsed: 0,
  flagged: 0,
  firstTime: null,
  lastTime: null,
  memoryBytes: 0,
  tagCounts: [],
  bytesIndexed: 0,
  columns: [],
  errors: [],
};

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
}

interface OpenFile {
  readonly id: FileId;
  readonly name: string;
  readonly location: string | null;
  readonly path: string;
  size: number;
  modifiedMs: number;
  handle: FileHandle | null;
  worker: Worker | null;
  generation: number;
  state: FileSummary['state'];
  format: FormatId | null;
  detectedFormat: FormatId | null;
  requestedFormat: FormatId | null;
  encoding: TextEncoding | null;
  options: FormatOptions;
  stats: LoadStats;
  /** Problems of the file itself (open failed, binary, shrank while loading, worker crashed). */
  problems: UserError[];
  readonly pending: Map<number, Pending>;
  load: LoadRun | null;
  /** Resolves when the current load has ended (for callers that wait for a whole file). */
  loaded: Promise<void>;
  markLoaded: () => void;
  disposed: boolean;
}

interface LoadRun {
  readonly generation: number;
  cancelled: boolean;
  readonly startedAt: number;
  readonly free: ArrayBuffer[];
  readonly waiting: ((buffer: ArrayBuffer | null) => void)[];
  lastProgressAt: number;
}

export class Session implements SessionApi {
  private readonly files = new Map<FileId, OpenFile>();
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private nextId = 1;
  private nextSeq = 1;
  /** Shared by all files: any later summary has a higher revision than any earlier one. */
  private revision = 0;
  private activeLoads = 0;
  private readonly queue: (() => void)[] = [];
  private readonly chunkBytes: number;
  private readonly chunksInFlight: number;
  private readonly parallelLoads: number;
  private readonly progressIntervalMs: number;
  private readonly logger: Logger;
  private readonly slowCallMs: number;

  private spare: Worker | null = null;
  private readonly pages = new PageToucher();
  private closed = false;
  private view: CheckedView = NO_VIEW;
  private viewVersion = 0;

  constructor(private readonly options: SessionOptions) {
    this.chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
    this.chunksInFlight = options.chunksInFlight ?? 3;
    this.parallelLoads = options.parallelLoads ?? Math.max(1, availableParallelism());
    this.progressIntervalMs = 1000 / (options.progressPerSecond ?? 10);
    this.logger = options.logger ?? silentLogger;
    this.slowCallMs = options.slowCallMs ?? 40;
    this.warmSpare();
  }

  onEvent(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- SessionApi ----------------------------------------------------------------------------------

  async openPaths(
    paths: readonly string[],
    format: FormatId | null = null,
  ): Promise<readonly FileSummary[]> {
    const opened: FileSummary[] = [];
    for (const raw of paths) {
      const path = resolve(raw);
      let isFolder = false;
      try {
        isFolder = (await stat(path)).isDirectory();
      } catch {
        // Reported by openFile with the reason.
      }
      if (!isFolder) {
        opened.push(await this.openFile(path, { format }));
        continue;
      }
      try {
        const listing = await logFilesIn(path);
        if (listing.files.length === 0) {
          opened.push(
            this.failedFile(
              path,
              userError('folder.no-logs', `The folder ${basename(path)} has no log files in it.`, {
                hint: `${listing.skipped} other file(s) were left alone: LogSieve opens files named like logs (*.log, *.txt, *.evtx, *.evt, *.csv, *.xml, access_log…). Open a file directly to read it anyway.`,
              }),
            ),
          );
        }
        for (const file of listing.files) opened.push(await this.openFile(file, { format }));
        if (listing.capped)
          this.logger.warn(`${path}: only the first ${listing.files.length} log files were opened`);
      } catch (error) {
        opened.push(this.failedFile(path, ioError(error, path)));
      }
    }
    return opened;
  }

  listFiles(): Promise<readonly FileSummary[]> {
    return Promise.resolve([...this.files.values()].map((f) => this.summary(f)));
  }

  listFormats(): Promise<readonly FormatInfo[]> {
    return Promise.resolve(FORMATS.map(formatInfo));
  }

  async closeFile(fileId: FileId): Promise<void> {
    const file = this.file(fileId);
    this.files.delete(fileId);
    await this.dispose(file);
    this.emit({ type: 'file-removed', fileId });
  }

  cancelLoad(fileId: FileId): Promise<void> {
    const file = this.file(fileId);
    if (file.load !== null) file.load.cancelled = true;
    return Promise.resolve();
  }

  async setFormat(
    fileId: FileId,
    format: FormatId | null,
    options?: FormatOptions,
  ): Promise<FileSummary> {
    const file = this.file(fileId);
    if (format !== null && formatById(format) === undefined)
      throw new SessionError(userError('format.unknown', `There is no format "${format}".`));
    if (file.handle === null)
      throw new SessionError(userError('file.not-open', `${file.name} could not be opened.`));
    file.requestedFormat = format;
    if (options !== undefined) file.options = options;
    this.startLoad(file);
    return Promise.resolve(this.summary(file));
  }

  async rows(query: ViewQuery, start: number, end: number): Promise<RowsPage> {
    const file = this.file(query.fileId);
    if (!(Number.isFinite(start) && Number.isFinite(end)) || start < 0 || end < start)
      throw new SessionError(
        userError('rows.bad-range', `Rows ${start}-${end} is not a valid range.`),
      );
    const reply = await this.ask(file, { type: 'rows', query, start, end });
    if (reply.type !== 'rows') throw new Error(`unexpected reply ${reply.type}`);
    return {
      total: reply.total,
      rows: reply.rows,
      complete: file.state !== 'loading',
      version: this.viewVersion,
    };
  }

  async record(fileId: FileId, record: RecordIndex): Promise<RecordDetail> {
    const file = this.file(fileId);
    const reply = await this.ask(file, { type: 'record', record, fileName: file.name });
    if (reply.type !== 'record') throw new Error(`unexpected reply ${reply.type}`);
    return { ...reply.detail, fileId };
  }

  /** Full records `[start, start + count)` in file order (the CLI's `rows`). */
  async records(fileId: FileId, start: number, count: number): Promise<readonly RecordDetail[]> {
    const file = this.file(fileId);
    const reply = await this.ask(file, { type: 'records', start, count, fileName: file.name });
    if (reply.type !== 'records') throw new Error(`unexpected reply ${reply.type}`);
    return reply.details.map((d) => ({ ...d, fileId }));
  }

  async locateLine(query: ViewQuery, line: number): Promise<RowIndex | null> {
    const file = this.file(query.fileId);
    if (!Number.isInteger(line) || line < 1)
      throw new SessionError(
        userError('line.bad', `Line ${line} is not a line number (1 or more).`),
      );
    const reply = await this.ask(file, { type: 'locate-line', query, line });
    if (reply.type !== 'locate-line') throw new Error(`unexpected reply ${reply.type}`);
    return reply.row as RowIndex | null;
  }

  // ---- the view: filters, groups, time, find -----------------------------------------------------

  async setView(view: ViewSettings): Promise<FilterSummary> {
    this.view = checkedView(view);
    this.viewVersion++;
    return this.countsOf(
      this.readable().map((file) => ({
        file,
        reply: this.ask(file, { type: 'set-view', view: workerView(this.view, file.id) }),
      })),
    );
  }

  viewSummary(): Promise<FilterSummary> {
    return this.countsOf(
      this.readable().map((file) => ({ file, reply: this.ask(file, { type: 'view-counts' }) })),
    );
  }

  private async countsOf(
    asked: readonly { file: OpenFile; reply: Promise<WorkerReply> }[],
  ): Promise<FilterSummary> {
    const files = await Promise.all(
      asked.map(async ({ file, reply }) => {
        const r = await reply;
        if (r.type !== 'view-counts') throw new Error(`unexpected reply ${r.type}`);
        return { fileId: file.id, counts: r.counts };
      }),
    );
    const complete = asked.every(({ file }) => file.state !== 'loading');
    return mergeCounts(this.view, this.viewVersion, files, complete);
  }

  /** Files with a reader (not failed), in the order they were opened. */
  private readable(): OpenFile[] {
    return [...this.files.values()].filter((f) => f.worker !== null && f.handle !== null);
  }

  /** Files the view shows. */
  private shown(): OpenFile[] {
    return this.readable().filter((f) => !this.view.hiddenFiles.has(f.id));
  }

  async groups(request: GroupsRequest): Promise<GroupsResult> {
    const started = performance.now();
    const { spec, limit, sparkline, fileIds } = checkedGroupsRequest(request);
    const files =
      fileIds === null
        ? this.shown()
        : fileIds.map((id) => this.file(id)).filter((f) => f.worker !== null);
    let from = Infinity;
    let to = -Infinity;
    for (const f of files) {
      if (f.stats.firstTime !== null) from = Math.min(from, f.stats.firstTime);
      if (f.stats.lastTime !== null) to = Math.max(to, f.stats.lastTime + 1);
    }
    const range = Number.isFinite(from) && sparkline > 0 ? { buckets: sparkline, from, to } : null;
    // One file's top groups are exact; across files each file gives more, so the merge is too.
    const perFileLimit = files.length <= 1 ? limit : Math.max(limit, 100_000);
    const replies = await Promise.all(
      files.map(async (file) => {
        const [groups, counts] = await Promise.all([
          this.ask(file, { type: 'groups', spec, limit: perFileLimit, sparkline: range }),
          this.ask(file, { type: 'view-counts' }),
        ]);
        if (groups.type !== 'groups' || counts.type !== 'view-counts')
          throw new Error(`unexpected reply ${groups.type}`);
        return { groups, counts: counts.counts };
      }),
    );
    const grouped = replies.reduce((n, r) => n + r.groups.records, 0);
    const merged = mergeGroups(
      replies.map((r) => r.groups.groups),
      grouped,
      limit,
    );
    return {
      ...spec,
      version: this.viewVersion,
      total: replies.reduce((n, r) => n + r.counts.total, 0),
      visible: replies.reduce((n, r) => n + r.counts.visible, 0),
      hidden: replies.reduce((n, r) => n + r.counts.hidden, 0),
      totalGroups: files.length === 1 ? (replies[0]?.groups.totalGroups ?? 0) : merged.totalGroups,
      groups: merged.groups,
      sparklineFrom: range?.from ?? null,
      sparklineTo: range?.to ?? null,
      elapsedMs: performance.now() - started,
    };
  }

  async timeline(request: TimelineRequest): Promise<TimelineResult> {
    const files = this.shown();
    const asked: unknown = request.stackBy ?? null;
    if (asked !== null && asked !== 'level' && asked !== 'tag')
      throw new SessionError(userError('timeline.bad-stack', 'Stack by level or by tag.'));
    const stackBy = asked;
    let from = request.from;
    let to = request.to;
    if (from === undefined || to === undefined) {
      const ranges = await Promise.all(files.map((f) => this.ask(f, { type: 'time-range' })));
      let first = Infinity;
      let last = -Infinity;
      for (const r of ranges)
        if (r.type === 'time-range' && r.range !== null) {
          first = Math.min(first, r.range.first);
          last = Math.max(last, r.range.last);
        }
      if (!Number.isFinite(first))
        return {
          version: this.viewVersion,
          start: 0,
          bucketMs: 1,
          from: 0,
          to: 0,
          totals: [],
          series: [],
          untimed: 0,
          empty: true,
        };
      from ??= first;
      to ??= last + 1;
    }
    if (!(Number.isFinite(from) && Number.isFinite(to) && from < to))
      throw new SessionError(
        userError('timeline.bad-range', 'A timeline needs a start before its end.'),
      );
    const bucketMs = bucketWidth(from, to);
    const start = Math.floor(from / bucketMs) * bucketMs;
    const buckets = Math.max(1, Math.ceil((to - start) / bucketMs));
    const replies = await Promise.all(
      files.map((f) => this.ask(f, { type: 'timeline', from, to, bucketMs, stackBy })),
    );
    const merged = mergeTimelines(
      replies.flatMap((r) => (r.type === 'timeline' ? [r.timeline] : [])),
      buckets,
    );
    return {
      version: this.viewVersion,
      start,
      bucketMs,
      from,
      to,
      ...merged,
      empty: merged.totals.every((n) => n === 0),
    };
  }

  async find(request: FindRequest): Promise<FindResult> {
    const started = performance.now();
    const file = this.file(request.fileId);
    if (
      typeof request.pattern !== 'string' ||
      typeof request.regex !== 'boolean' ||
      typeof request.caseSensitive !== 'boolean'
    )
      throw new SessionError(
        userError('find.bad', 'A find needs a pattern and the regex and case switches.'),
      );
    const reply = await this.ask(file, {
      type: 'find',
      query: {
        pattern: request.pattern,
        regex: request.regex,
        caseSensitive: request.caseSensitive,
      },
    });
    if (reply.type !== 'find') throw new Error(`unexpected reply ${reply.type}`);
    return {
      matches: reply.matches,
      inView: reply.inView,
      complete: reply.complete,
      bytesScanned: reply.bytesScanned,
      elapsedMs: performance.now() - started,
    };
  }

  async cancelFind(fileId: FileId): Promise<void> {
    await this.ask(this.file(fileId), { type: 'cancel-find' });
  }

  async findNext(query: ViewQuery, from: number, backwards: boolean): Promise<RowIndex | null> {
    if (!Number.isInteger(from))
      throw new SessionError(userError('find.bad-row', `Row ${from} is not a row number.`));
    return this.rowReply(
      this.ask(this.file(query.fileId), {
        type: 'find-next',
        query,
        from,
        backwards,
      }),
    );
  }

  async rowOfRecord(query: ViewQuery, record: RecordIndex): Promise<RowIndex | null> {
    if (!Number.isInteger(record))
      throw new SessionError(userError('row.bad-record', `${record} is not a record number.`));
    return this.rowReply(
      this.ask(this.file(query.fileId), { type: 'row-of-record', query, record }),
    );
  }

  async rowAtTime(query: ViewQuery, time: number): Promise<RowIndex | null> {
    if (!Number.isFinite(time))
      throw new SessionError(userError('row.bad-time', 'A time (UTC ms) is needed.'));
    return this.rowReply(this.ask(this.file(query.fileId), { type: 'row-at-time', query, time }));
  }

  private async rowReply(reply: Promise<WorkerReply>): Promise<RowIndex | null> {
    const r = await reply;
    if (r.type !== 'row') throw new Error(`unexpected reply ${r.type}`);
    return r.row as RowIndex | null;
  }

  // ---- for the CLI, the bridge and tests ----------------------------------------------------------

  /** Resolves when the file has finished loading (or failed, or was cancelled). */
  whenLoaded(fileId: FileId): Promise<void> {
    return this.file(fileId).loaded;
  }

  summaryOf(fileId: FileId): FileSummary {
    return this.summary(this.file(fileId));
  }

  /**
   * Ends a file's worker the way a crash would (used by tests of crash isolation). The file
   * shows the failure; the others are untouched.
   */
  async crashWorkerForTest(fileId: FileId): Promise<void> {
    await this.file(fileId).worker?.terminate();
  }

  /** Close every file and stop every worker. */
  async close(): Promise<void> {
    this.closed = true;
    this.pages.clear();
    const files = [...this.files.values()];
    this.files.clear();
    const spare = this.spare;
    this.spare = null;
    await Promise.all([...files.map((f) => this.dispose(f)), spare?.terminate()]);
  }

  // ---- opening and loading ---------------------------------------------------------------------------

  /**
   * Open a file the browser uploaded through the bridge: `path` is a private temporary copy, and
   * the user knows the file by `name` (its location stays unknown to everyone).
   */
  openUpload(path: string, name: string): Promise<FileSummary> {
    return this.openFile(path, { format: null, name, hideLocation: true });
  }

  private async openFile(
    path: string,
    how: { format: FormatId | null; name?: string; hideLocation?: boolean },
  ): Promise<FileSummary> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      return this.failedFile(path, ioError(error, path));
    }
    let size: number;
    let modifiedMs: number;
    try {
      const info = await handle.stat();
      if (info.isDirectory()) {
        await handle.close();
        return this.failedFile(path, userError('file.is-folder', `${basename(path)} is a folder.`));
      }
      size = info.size;
      modifiedMs = info.mtimeMs;
    } catch (error) {
      await handle.close();
      return this.failedFile(path, ioError(error, path));
    }
    const file = this.newFile(path, 'loading', how.name, how.hideLocation);
    file.requestedFormat = how.format;
    file.handle = handle;
    file.size = size;
    file.modifiedMs = modifiedMs;
    this.files.set(file.id, file);
    this.emit({ type: 'file-added', file: this.summary(file) });
    this.startLoad(file);
    return this.summary(file);
  }

  private newFile(
    path: string,
    state: FileSummary['state'],
    name?: string,
    hideLocation = false,
  ): OpenFile {
    let markLoaded = (): void => undefined;
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    return {
      id: asFileId(this.nextId++),
      name: name ?? basename(path),
      location: hideLocation ? null : dirname(path),
      path,
      size: 0,
      modifiedMs: 0,
      handle: null,
      worker: null,
      generation: 0,
      state,
      format: null,
      detectedFormat: null,
      requestedFormat: null,
      encoding: null,
      options: {},
      stats: EMPTY_STATS,
      problems: [],
      pending: new Map(),
      load: null,
      loaded,
      markLoaded,
      disposed: false,
    };
  }

  private failedFile(path: string, problem: UserError): FileSummary {
    const file = this.newFile(path, 'error');
    file.problems.push(problem);
    file.markLoaded();
    this.files.set(file.id, file);
    this.emit({ type: 'file-added', file: this.summary(file) });
    return this.summary(file);
  }

  /**
   * A worker started in advance: a thread takes 100-500 ms to start and load its code, which
   * would otherwise come before the first screen of every file. Unreferenced while it waits, so an
   * idle spare never keeps a process alive.
   */
  private warmSpare(): void {
    if (this.spare !== null || this.closed) return;
    const spare = new Worker(this.options.workerUrl, { name: 'logsieve:spare' });
    spare.unref();
    spare.on('error', () => {
      if (this.spare === spare) this.spare = null;
    });
    this.spare = spare;
  }

  private worker(file: OpenFile): Worker {
    if (file.worker !== null) return file.worker;
    const spare = this.spare;
    this.spare = null;
    const worker = spare ?? new Worker(this.options.workerUrl, { name: `logsieve:${file.name}` });
    worker.removeAllListeners('error');
    worker.ref();
    setTimeout(() => this.warmSpare(), SPARE_DELAY_MS).unref();
    worker.on('message', (message: FromWorker) => {
      this.onWorkerMessage(file, message);
    });
    worker.on('error', (error) => {
      this.onWorkerCrash(file, error);
    });
    worker.on('exit', (code) => {
      if (!file.disposed && code !== 0) this.onWorkerCrash(file, new Error(`exit code ${code}`));
    });
    file.worker = worker;
    return worker;
  }

  private send(file: OpenFile, message: ToWorker): void {
    // A file closed while a read was on its way: the message is moot, and asking for its worker
    // would start a new one that nothing ever stops (it kept the process alive after close).
    if (file.disposed) return;
    this.worker(file).postMessage(message, transferablesOf(message));
  }

  private startLoad(file: OpenFile): void {
    file.generation++;
    const run: LoadRun = {
      generation: file.generation,
      cancelled: false,
      startedAt: performance.now(),
      free: [],
      waiting: [],
      lastProgressAt: 0,
    };
    if (file.state !== 'loading') {
      let markLoaded = (): void => undefined;
      file.loaded = new Promise<void>((resolve) => (markLoaded = resolve));
      file.markLoaded = markLoaded;
    }
    if (file.load !== null) {
      // A load already under way (format override): stop it and release its reader.
      file.load.cancelled = true;
      for (const waiter of file.load.waiting.splice(0)) waiter(null);
    }
    file.load = run;
    file.state = 'loading';
    file.stats = EMPTY_STATS;
    file.problems = file.problems.filter((p) => p.code.startsWith('file.open'));
    file.format = null;
    file.encoding = null;
    this.send(file, {
      type: 'load',
      generation: run.generation,
      file: {
        name: file.name,
        size: file.size,
        modifiedMs: file.modifiedMs,
        options: file.options,
      },
      fd: file.handle!.fd,
      format: file.requestedFormat,
    });
    // A fresh worker must show what the others show (answered before the load starts).
    void this.ask(file, { type: 'set-view', view: workerView(this.view, file.id) }).catch(
      () => undefined,
    );
    this.emit({ type: 'file-changed', file: this.summary(file) });
    const go = (): void => {
      this.activeLoads++;
      void this.stream(file, run).finally(() => {
        this.activeLoads--;
        this.queue.shift()?.();
      });
    };
    if (this.activeLoads < this.parallelLoads) go();
    else this.queue.push(go);
  }

  /** Read the file and hand it to the worker chunk by chunk, each chunk ending at a line end when it can. */
  private async stream(file: OpenFile, run: LoadRun): Promise<void> {
    const handle = file.handle!;
    const size = file.size;
    let position = 0;
    let chunkStart = 0;
    let carry: Uint8Array = new Uint8Array(0);
    let problem: UserError | undefined;
    let reason: 'eof' | 'cancelled' | 'failed' = 'eof';
    let ramp = FIRST_CHUNK_BYTES;
    for (let i = 0; i < this.chunksInFlight; i++) run.free.push(new ArrayBuffer(this.chunkBytes));
    try {
      while (position < size) {
        if (run.cancelled || file.disposed || run.generation !== file.generation) {
          reason = 'cancelled';
          break;
        }
        const buffer = await this.takeBuffer(run);
        if (buffer === null) {
          reason = 'failed';
          break;
        }
        const view = new Uint8Array(buffer);
        view.set(carry, 0);
        const room = Math.min(view.length, ramp);
        ramp *= CHUNK_GROWTH;
        const want = Math.min(room - carry.length, size - position);
        const { bytesRead } = await handle.read(view, carry.length, want, position);
        if (bytesRead === 0) {
          problem = userError(
            'file.shrank',
            `${file.name} became shorter while it was loading: ${size} bytes expected, ${position} read.`,
            {
              hint: 'The file may have been truncated or rotated. Reopen it to read what it holds now.',
            },
          );
          run.free.push(buffer);
          break;
        }
        position += bytesRead;
        const valid = carry.length + bytesRead;
        let cut = valid;
        if (position < size) {
          // End the chunk after its last line feed so the worker need not carry a partial line.
          const lastLf = view.lastIndexOf(10, valid - 1);
          if (lastLf >= 0) cut = lastLf + 1;
        }
        carry = view.slice(cut, valid);
        this.send(file, {
          type: 'chunk',
          generation: run.generation,
          offset: chunkStart,
          buffer,
          length: cut,
        });
        chunkStart += cut;
      }
      if (carry.length > 0 && reason === 'eof') {
        const buffer = await this.takeBuffer(run);
        if (buffer !== null) {
          new Uint8Array(buffer).set(carry, 0);
          this.send(file, {
            type: 'chunk',
            generation: run.generation,
            offset: chunkStart,
            buffer,
            length: carry.length,
          });
        }
      }
    } catch (error) {
      reason = 'failed';
      problem = ioError(error, file.path);
    }
    if (file.disposed || run.generation !== file.generation) return;
    if (problem !== undefined) file.problems.push(problem);
    this.send(file, {
      type: 'end',
      generation: run.generation,
      reason,
      ...(problem ? { problem } : {}),
    });
  }

  private takeBuffer(run: LoadRun): Promise<ArrayBuffer | null> {
    const buffer = run.free.pop();
    if (buffer !== undefined) return Promise.resolve(buffer);
    return new Promise((resolve) => run.waiting.push(resolve));
  }

  private returnBuffer(run: LoadRun, buffer: ArrayBuffer): void {
    const waiter = run.waiting.shift();
    if (waiter) waiter(buffer);
    else run.free.push(buffer);
  }

  // ---- worker messages -------------------------------------------------------------------------------

  private onWorkerMessage(file: OpenFile, message: FromWorker): void {
    switch (message.type) {
      case 'detected': {
        if (message.generation !== file.generation) return;
        file.format = message.detected.format;
        file.detectedFormat = message.detected.detectedFormat;
        file.encoding = message.detected.encoding;
        if (message.detected.format === null)
          file.problems.push(
            userError(
              'file.binary',
              `${file.name} does not look like a log: it holds binary data no format here reads.`,
              {
                hint: 'Open it as plain text anyway from the format menu (or with --format plain) to see what it holds.',
              },
            ),
          );
        this.emit({ type: 'file-changed', file: this.summary(file) });
        return;
      }
      case 'chunk-done': {
        const run = file.load;
        if (run !== null && run.generation === message.generation) {
          this.returnBuffer(run, message.buffer);
          file.stats = message.stats;
          const now = performance.now();
          if (now - run.lastProgressAt >= this.progressIntervalMs) {
            run.lastProgressAt = now;
            this.emit({ type: 'progress', progress: this.progress(file, run, now) });
          }
        }
        return;
      }
      case 'prefault': {
        const generation = message.generation;
        this.pages.add(
          message.buffer,
          message.bytes,
          () => !file.disposed && file.generation === generation && file.load !== null,
        );
        return;
      }
      case 'loaded': {
        if (message.generation !== file.generation) return;
        const run = file.load;
        file.stats = message.stats;
        file.state = run?.cancelled
          ? 'cancelled'
          : file.problems.some((p) => p.code === 'file.read-failed')
            ? 'error'
            : 'ready';
        for (const message_ of message.stats.errors)
          file.problems.push(userError('format.file-problem', message_));
        if (run !== null)
          this.emit({ type: 'progress', progress: this.progress(file, run, performance.now()) });
        file.load = null;
        this.emit({ type: 'file-changed', file: this.summary(file) });
        file.markLoaded();
        return;
      }
      case 'reply': {
        const pending = file.pending.get(message.seq);
        file.pending.delete(message.seq);
        if (message.elapsedMs > this.slowCallMs)
          this.logger.debug(
            `${file.name}: ${message.reply.type} took ${message.elapsedMs.toFixed(1)} ms`,
          );
        pending?.resolve(message.reply);
        return;
      }
      case 'failed': {
        const pending = file.pending.get(message.seq);
        file.pending.delete(message.seq);
        pending?.reject(new SessionError(message.error));
        return;
      }
      case 'log':
        this.logger[message.level](`${file.name}: ${message.message}`);
        return;
      default:
        assertNever(message, 'message from worker');
    }
  }

  private onWorkerCrash(file: OpenFile, error: Error): void {
    if (file.disposed || file.worker === null) return;
    this.logger.error(`${file.name}: worker stopped: ${error.stack ?? error.message}`);
    file.worker = null;
    file.problems.push(
      userError(
        'file.reader-crashed',
        `LogSieve's reader stopped on ${file.name}: ${error.message}`,
        {
          hint: 'The other files are not affected. Try another format from the format menu, and please report the file.',
        },
      ),
    );
    file.state = 'error';
    if (file.load !== null) {
      file.load.cancelled = true;
      for (const waiter of file.load.waiting.splice(0)) waiter(null);
      file.load = null;
    }
    for (const pending of file.pending.values())
      pending.reject(
        new SessionError(userError('file.reader-crashed', `The reader for ${file.name} stopped.`)),
      );
    file.pending.clear();
    this.emit({ type: 'file-changed', file: this.summary(file) });
    file.markLoaded();
  }

  private ask(file: OpenFile, request: WorkerRequest): Promise<WorkerReply> {
    if (file.worker === null || file.handle === null)
      return Promise.reject(
        new SessionError(
          userError(
            'file.not-readable',
            `${file.name} has nothing to show: ${file.problems[0]?.message ?? 'it is not open'}`,
          ),
        ),
      );
    const seq = this.nextSeq++;
    return new Promise<WorkerReply>((resolve, reject) => {
      file.pending.set(seq, { resolve, reject });
      this.send(file, { type: 'request', seq, request });
    });
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private file(fileId: FileId): OpenFile {
    const file = this.files.get(fileId);
    if (file === undefined)
      throw new SessionError(userError('file.unknown', `No open file has id ${fileId}.`));
    return file;
  }

  private progress(file: OpenFile, run: LoadRun, now: number): LoadProgress {
    const seconds = (now - run.startedAt) / 1000;
    const bytes = file.stats.bytesIndexed;
    const bytesPerSecond = seconds > 0 ? bytes / seconds : 0;
    return {
      fileId: file.id,
      bytesRead: bytes,
      bytesTotal: file.size,
      records: file.stats.records,
      recordsPerSecond: seconds > 0 ? file.stats.records / seconds : 0,
      bytesPerSecond,
      etaMs:
        bytesPerSecond > 0 && seconds > 0.2 ? ((file.size - bytes) / bytesPerSecond) * 1000 : null,
    };
  }

  private summary(file: OpenFile): FileSummary {
    const s = file.stats;
    const columns: readonly CommonColumn[] = s.columns;
    return {
      id: file.id,
      revision: ++this.revision,
      name: file.name,
      location: file.location,
      size: file.size,
      modifiedMs: file.modifiedMs,
      state: file.state,
      format: file.format,
      detectedFormat: file.detectedFormat,
      formatOverridden: file.requestedFormat !== null,
      encoding: file.encoding,
      options: file.options,
      bytesRead: s.bytesIndexed,
      records: s.records,
      parsed: s.parsed,
      flagged: s.flagged,
      firstTime: s.firstTime,
      lastTime: s.lastTime,
      indexBytes: s.memoryBytes,
      columns,
      errors: file.problems,
      tags: tagCountsById(s.tagCounts),
    };
  }

  private emit(event: SessionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`event listener failed: ${String(error)}`);
      }
    }
  }

  private async dispose(file: OpenFile): Promise<void> {
    file.disposed = true;
    if (file.load !== null) {
      file.load.cancelled = true;
      for (const waiter of file.load.waiting.splice(0)) waiter(null);
    }
    for (const pending of file.pending.values())
      pending.reject(new SessionError(userError('file.closed', `${file.name} was closed.`)));
    file.pending.clear();
    const worker = file.worker;
    file.worker = null;
    // Stop the worker before closing the descriptor it reads through.
    if (worker !== null) await worker.terminate();
    if (file.handle !== null) await file.handle.close().catch(() => undefined);
    file.handle = null;
    file.markLoaded();
  }

  // ---- findings ------------------------------------------------------------------------------------

  /**
   * The file's behaviour findings, computed by its worker over the records indexed so far, each
   * with the findings of the other open files that line up with it.
   */
  async findings(fileId: FileId): Promise<readonly LinkedFinding[]> {
    const file = this.file(fileId);
    const files = [...this.files.values()].filter(
      (f) => f === file || (f.worker !== null && f.handle !== null),
    );
    return (await this.linkedFindings(files, file))[files.indexOf(file)]!;
  }

  /** The findings of these files (in this order), linked across them: `scan` and `suggest`. */
  findingsOfFiles(fileIds: readonly FileId[]): Promise<LinkedFinding[][]> {
    return this.linkedFindings(fileIds.map((id) => this.file(id)));
  }

  /**
   * Every file's findings from its worker (the worker keeps them until its index grows), then the
   * links across files. A file other than `required` that cannot answer (closed meanwhile) just
   * has nothing to link.
   */
  private async linkedFindings(
    files: readonly OpenFile[],
    required: OpenFile | null = null,
  ): Promise<LinkedFinding[][]> {
    const lists = await Promise.all(
      files.map(async (file): Promise<readonly Finding[]> => {
        try {
          const reply = await this.ask(file, { type: 'findings' });
          if (reply.type !== 'findings') throw new Error(`unexpected reply ${reply.type}`);
          return reply.findings;
        } catch (error) {
          if (required !== null && file !== required && error instanceof SessionError) return [];
          throw error;
        }
      }),
    );
    return linkFindings(
      files.map((file, i) => ({
        fileId: file.id,
        file: file.location === null ? file.name : join(file.location, file.name),
        name: file.name,
        findings: lists[i]!,
      })),
    );
  }
}

function tagCountsById(counts: readonly number[]): Record<string, number> {
  const byId: Record<string, number> = {};
  counts.forEach((count, bit) => {
    const tag = TAGS[bit];
    if (count > 0 && tag !== undefined) byId[tag.id] = count;
  });
  return byId;
}

function ioError(error: unknown, path: string): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const name = basename(path);
  switch (code) {
    case 'ENOENT':
      return userError('file.open.not-found', `${name} does not exist (${path}).`);
    case 'EACCES':
    case 'EPERM':
      return userError(
        'file.open.permission',
        `LogSieve may not read ${name}: permission denied.`,
        {
          hint: 'Copy the file somewhere you can read it, or open LogSieve as a user who may read it.',
        },
      );
    case 'EISDIR':
      return userError('file.open.is-folder', `${name} is a folder.`);
    case 'EMFILE':
    case 'ENFILE':
      return userError('file.open.too-many', `Too many files are open to open ${name}.`, {
        hint: 'Close some files and try again.',
      });
    default:
      return userError(
        'file.read-failed',
        `${name} could not be read: ${(error as Error).message}`,
      );
  }
}
