/**
 * Everything a worker thread does for one file: detect the format from the first chunk, feed
 * chunks to the ingest, answer queries from the index, and read records back through the file
 * descriptor the Session opened. Transport-free: `handle` takes a message and `post` sends one,
 * so the logic is the same under worker_threads and in tests.
 */
import { readSync } from 'node:fs';
import type { RecordDetail, RowData, ViewQuery } from '../../shared/api';
import { ROW_TEXT_LIMIT, DETAIL_TEXT_LIMIT, MAX_PAGE_ROWS } from '../../shared/api';
import { detectFormat, formatById } from '../../shared/formats/registry';
import type { FileContext, FormatId, LogFormat, TextEncoding } from '../../shared/formats/types';
import type { RecordIndex, RowIndex } from '../../shared/ids';
import { Ingest } from '../../shared/index/ingest';
import type { LogIndex } from '../../shared/index/log-index';
import { compileSearch, SearchRun } from '../../shared/query/search';
import type { SearchQuery } from '../../shared/query/search';
import { timeline, timeRange } from '../../shared/query/timeline';
import type { RecordSource } from '../../shared/index/records';
import { readRecord } from '../../shared/index/records';
import type {
  Detected,
  FromWorker,
  LoadStats,
  ToWorker,
  WorkerReply,
  WorkerRequest,
  WorkerView,
} from '../../shared/protocol';
import { DICT_COLUMNS, RECORD_FLAGS, flagIds } from '../../shared/record';
import { assertNever, userError } from '../../shared/result';
import type { UserError } from '../../shared/result';
import { TAGS } from '../../shared/tags/catalog';
import { TAG_CATALOGUE } from '../../shared/tags/default';
import { detectEncoding, splitLines } from '../../shared/text/encoding';
import type { ByteSearchFactory } from '../../shared/text/framer';
import { EVERYTHING, FileView } from './file-view';
import { FindingsCache } from './findings-cache';

const SAMPLE_BYTES = 64 * 1024;
/** Index columns at least this big are shared, for the Session to fault in (see 'prefault'). */
const PREFAULT_MIN_BYTES = 1024 * 1024;
/**
 * glibc serves a block below its mmap threshold from memory freed earlier, and calloc clears it
 * on the allocating thread; the threshold rises to 32 MiB as big blocks are freed. So once a file
 * had been closed, the next file's columns were cleared page by page on this thread (~0.35 s for
 * a 1 GiB log), and the pages the Session faulted in were ones already faulted. A block over
 * 32 MiB always comes as fresh zero pages; a column uses only its first bytes, and the rest is
 * never touched, so it costs address space, not memory. Elsewhere the allocators differ (and
 * Windows would commit the whole block), so only on Linux.
 */
const FRESH_BLOCK_BYTES = process.platform === 'linux' ? 32 * 1024 * 1024 + 4096 : 0;
const SHARED_MEMORY = typeof SharedArrayBuffer === 'function';

/** Line ends are found with Buffer's memchr-based search, ~3x the typed array's own indexOf. */
export const nativeSearch: ByteSearchFactory = (window) =>
  Buffer.from(window.buffer, window.byteOffset, window.byteLength);

interface Load {
  readonly generation: number;
  readonly file: FileContext;
  readonly fd: number;
  readonly requested: FormatId | null;
  ingest: Ingest | null;
  /** The file is not text and no binary format claims it: nothing is indexed. */
  unreadable: boolean;
  bytesIndexed: number;
  finished: boolean;
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : text.slice(0, limit) + '…';
}

/** Bytes of the file read per step of a find; the worker answers other requests between steps. */
const FIND_CHUNK = 4 * 1024 * 1024;

export class FileWorker {
  private load: Load | null = null;
  /** The view set by the Session; kept across a format override (the index is rebuilt). */
  private viewSettings: WorkerView = EVERYTHING;
  private fileView: { readonly index: LogIndex; readonly view: FileView } | null = null;
  /** Bumped by every find and every cancel; a running find stops when it changes. */
  private findGeneration = 0;
  private readonly findingsCache = new FindingsCache();

  constructor(private readonly post: (message: FromWorker) => void) {}

  handle(message: ToWorker): void {
    switch (message.type) {
      case 'load':
        this.load = {
          generation: message.generation,
          file: message.file,
          fd: message.fd,
          requested: message.format,
          ingest: null,
          unreadable: false,
          bytesIndexed: 0,
          finished: false,
        };
        this.fileView = null;
        return;
      case 'chunk':
        this.onChunk(message);
        return;
      case 'end':
        this.onEnd(message.generation);
        return;
      case 'request':
        this.onRequest(message.seq, message.request);
        return;
      default:
        assertNever(message, 'message to worker');
    }
  }

  private current(generation: number): Load | null {
    const load = this.load;
    return load !== null && load.generation === generation ? load : null;
  }

  private onChunk(message: Extract<ToWorker, { type: 'chunk' }>): void {
    const load = this.current(message.generation);
    const bytes = new Uint8Array(message.buffer, 0, message.length);
    if (load !== null && !load.finished) {
      if (load.ingest === null && !load.unreadable) this.start(load, bytes);
      if (load.ingest !== null) {
        load.ingest.push(bytes, message.offset);
        load.bytesIndexed = message.offset + message.length;
      }
    }
    this.post({
      type: 'chunk-done',
      generation: message.generation,
      buffer: message.buffer,
      stats: this.stats(load),
    });
  }

  private start(load: Load, first: Uint8Array): void {
    const sample = first.subarray(0, SAMPLE_BYTES);
    const { encoding, bomLength } = detectEncoding(sample);
    const text =
      encoding === null ? '' : new TextDecoder(encoding).decode(sample.subarray(bomLength));
    // The last line of the sample may be cut; detectors see only whole lines.
    const lines = splitLines(text, 201).slice(0, sample.length < first.length ? -1 : undefined);
    const detection = detectFormat({ fileName: load.file.name, bytes: sample, encoding, lines });
    const chosen = load.requested ?? detection.format;
    const format: LogFormat | undefined = chosen === null ? undefined : formatById(chosen);
    const detected: Detected = {
      format: format?.id ?? null,
      detectedFormat: detection.format,
      encoding,
      bomLength,
    };
    this.post({ type: 'detected', generation: load.generation, detected });
    if (format === undefined) {
      load.unreadable = true;
      return;
    }
    // A text format forced onto bytes that do not look like text reads them as UTF-8.
    const textEncoding: TextEncoding = encoding ?? 'utf-8';
    load.ingest = new Ingest(format, load.file, textEncoding, encoding === null ? 0 : bomLength, {
      searchIn: nativeSearch,
      memory: (bytes) => {
        // Some embedders leave SharedArrayBuffer out; the worker then faults its pages itself.
        if (bytes < PREFAULT_MIN_BYTES || !SHARED_MEMORY) return new ArrayBuffer(bytes);
        const buffer = new SharedArrayBuffer(Math.max(bytes, FRESH_BLOCK_BYTES));
        this.post({ type: 'prefault', generation: load.generation, buffer, bytes });
        return buffer;
      },
    });
  }

  private onEnd(generation: number): void {
    const load = this.current(generation);
    if (load === null) return;
    load.finished = true;
    load.ingest?.finish();
    this.fileView?.view.loaded();
    this.post({ type: 'loaded', generation, stats: this.stats(load) });
  }

  private stats(load: Load | null): LoadStats {
    const index = load?.ingest?.index;
    if (index === undefined)
      return {
        records: 0,
        parsed: 0,
        flagged: 0,
        firstTime: null,
        lastTime: null,
        memoryBytes: 0,
        tagCounts: [],
        bytesIndexed: load?.bytesIndexed ?? 0,
        columns: [],
        errors: [],
      };
    const filled = new Set(index.filledColumns());
    const format = load!.ingest!.format;
    const columns = format.columns.filter(
      (c) =>
        c === 'time' ||
        c === 'message' ||
        !(DICT_COLUMNS as readonly string[]).includes(c) ||
        filled.has(c as never),
    );
    return {
      ...index.stats(),
      bytesIndexed: load!.bytesIndexed,
      columns,
      errors: [...index.errors],
    };
  }

  // ---- queries -----------------------------------------------------------------------------------

  private onRequest(seq: number, request: WorkerRequest): void {
    const started = performance.now();
    const fail = (error: unknown): void => {
      this.post({
        type: 'failed',
        seq,
        error:
          error instanceof FindRefused
            ? error.problem
            : userError(
                'worker.request-failed',
                `The worker could not answer ${request.type}: ${String(error)}`,
              ),
      });
    };
    const send = (reply: WorkerReply): void => {
      this.post({ type: 'reply', seq, reply, elapsedMs: performance.now() - started });
    };
    try {
      if (request.type === 'find') {
        // A find reads the whole file: it goes step by step so other requests (rows, cancel) are
        // answered in between.
        this.find(request.query).then(send, fail);
        return;
      }
      send(this.answer(request));
    } catch (error) {
      fail(error);
    }
  }

  private answer(request: WorkerRequest): WorkerReply {
    switch (request.type) {
      case 'rows':
        return this.rows(request.query, request.start, request.end);
      case 'record':
        return { type: 'record', detail: this.detail(request.record, request.fileName) };
      case 'records': {
        const source = this.source();
        const count =
          source === null
            ? 0
            : Math.max(0, Math.min(request.count, source.index.count - request.start));
        const details = [];
        for (let i = 0; i < count; i++)
          details.push(this.detail(request.start + i, request.fileName));
        return { type: 'records', details };
      }
      case 'locate-line':
        return { type: 'locate-line', row: this.locateLine(request.query, request.line) };
      case 'set-view':
        this.viewSettings = request.view;
        this.view()?.setView(request.view);
        return this.viewCounts();
      case 'view-counts':
        return this.viewCounts();
      case 'groups':
        return this.groups(request);
      case 'time-range': {
        const view = this.view();
        const source = this.source();
        return {
          type: 'time-range',
          range:
            view === null || source === null ? null : timeRange(source.index, view.selection()),
        };
      }
      case 'timeline':
        return this.timeline(request);
      case 'find':
        throw new Error('find is answered asynchronously');
      case 'cancel-find':
        this.findGeneration++;
        return { type: 'done' };
      case 'find-next':
        return {
          type: 'row',
          row: this.view()?.findNext(request.query, request.from, request.backwards) ?? null,
        };
      case 'row-of-record':
        return { type: 'row', row: this.view()?.rowOf(request.query, request.record) ?? null };
      case 'row-at-time':
        return { type: 'row', row: this.view()?.rowAtTime(request.query, request.time) ?? null };
      case 'findings':
        return {
          type: 'findings',
          findings: this.findingsCache.findings(this.source()?.index ?? null),
        };
      default:
        return assertNever(request, 'worker request');
    }
  }

  private source(): (RecordSource & { index: LogIndex }) | null {
    const load = this.load;
    const ingest = load?.ingest;
    if (load === null || ingest === null || ingest === undefined) return null;
    const fd = load.fd;
    return {
      index: ingest.index,
      format: ingest.format,
      file: load.file,
      encoding: ingest.encoding,
      read: (offset, length) => {
        const buffer = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const n = readSync(fd, buffer, done, length - done, offset + done);
          if (n === 0) break;
          done += n;
        }
        return done === length ? buffer : buffer.subarray(0, done);
      },
    };
  }

  /** The file's view over the index being built now (null before the format is known). */
  private view(): FileView | null {
    const source = this.source();
    if (source === null) return null;
    const current = this.fileView;
    if (current !== null && current.index === source.index) return current.view;
    const view = new FileView(
      source.index,
      (record) => {
        const text = readRecord(source, record, DETAIL_TEXT_LIMIT);
        const r = text.record;
        return {
          srcIp: source.index.valueOf('srcIp', record),
          certHost: source.index.valueOf('certHost', record),
          host: source.index.valueOf('host', record),
          code: source.index.valueOf('code', record),
          source: source.index.valueOf('source', record),
          level: source.index.valueOf('level', record),
          tags: TAG_CATALOGUE.ids(source.index.tagsOf(record)),
          message: r.message ?? text.raw,
          fields: r.fields,
        };
      },
      () => this.load?.finished !== true,
    );
    view.setView(this.viewSettings);
    this.fileView = { index: source.index, view };
    return view;
  }

  private viewCounts(): WorkerReply {
    const view = this.view();
    if (view === null)
      return {
        type: 'view-counts',
        counts: { total: 0, visible: 0, hidden: 0, marked: 0, rows: 0, rules: [], elapsedMs: 0 },
      };
    const counts = view.counts(0 as never);
    return {
      type: 'view-counts',
      counts: {
        total: counts.total,
        visible: counts.visible,
        hidden: counts.hidden,
        marked: counts.marked,
        rows: counts.rows,
        rules: view.ruleCounts(),
        elapsedMs: view.lastElapsedMs,
      },
    };
  }

  private groups(request: Extract<WorkerRequest, { type: 'groups' }>): WorkerReply {
    const started = performance.now();
    const view = this.view();
    if (view === null)
      return { type: 'groups', records: 0, totalGroups: 0, groups: [], elapsedMs: 0 };
    const grouping = view.groups(request.spec, request.limit, request.sparkline);
    return {
      type: 'groups',
      records: grouping.records,
      totalGroups: grouping.totalGroups,
      groups: grouping.groups.map((g) => ({
        key: g.key,
        count: g.count,
        first: g.first,
        last: g.last,
        hidden: g.hidden ?? 0,
        sparkline: g.sparkline ?? null,
      })),
      elapsedMs: performance.now() - started,
    };
  }

  private timeline(request: Extract<WorkerRequest, { type: 'timeline' }>): WorkerReply {
    const view = this.view();
    const source = this.source();
    if (view === null || source === null) {
      const buckets = Math.max(1, Math.ceil((request.to - request.from) / request.bucketMs));
      return {
        type: 'timeline',
        timeline: { totals: new Uint32Array(buckets), series: [], untimed: 0 },
      };
    }
    const t = timeline(source.index, view.selection(), {
      from: request.from,
      to: request.to,
      bucketMs: request.bucketMs,
      ...(request.stackBy === null ? {} : { stackBy: request.stackBy }),
    });
    return {
      type: 'timeline',
      timeline: {
        totals: t.totals,
        series: t.series.map((x) => ({ kind: x.kind, key: x.key, counts: x.counts })),
        untimed: t.untimed,
      },
    };
  }

  /** Searches the records indexed now, a step at a time; stops when another find or a cancel comes. */
  private async find(query: SearchQuery): Promise<WorkerReply> {
    const generation = ++this.findGeneration;
    const compiled = compileSearch(query);
    if (!compiled.ok) throw new FindRefused(compiled.error);
    const source = this.source();
    const view = this.view();
    if (source === null || view === null)
      return { type: 'find', matches: 0, inView: 0, complete: true, bytesScanned: 0 };
    const index = source.index;
    const end = index.count;
    const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    let complete = true;
    let bytesScanned = 0;
    let found: Uint32Array;
    if (source.format.kind === 'binary') {
      const hits: number[] = [];
      for (let r = 0; r < end; r++) {
        if (compiled.value.test(readRecord(source, r, DETAIL_TEXT_LIMIT).raw)) hits.push(r);
        if ((r & 1023) === 1023) {
          await yieldNow();
          if (generation !== this.findGeneration) {
            complete = false;
            break;
          }
        }
      }
      found = Uint32Array.from(hits);
    } else {
      const run = new SearchRun(compiled.value, index, source.encoding, { to: end });
      for (let offset = run.byteStart; offset < run.byteEnd && !run.done;) {
        const chunk = source.read(offset, Math.min(FIND_CHUNK, run.byteEnd - offset));
        if (chunk.length === 0) break;
        run.push(chunk, offset);
        offset += chunk.length;
        bytesScanned = offset - run.byteStart;
        await yieldNow();
        if (generation !== this.findGeneration) {
          complete = false;
          break;
        }
      }
      found = run.matches().slice();
    }
    if (this.view() === view) view.setMatches(found);
    return {
      type: 'find',
      matches: found.length,
      inView: view.matchesInView(),
      complete,
      bytesScanned,
    };
  }

  private rows(query: ViewQuery, start: number, end: number): WorkerReply {
    const source = this.source();
    if (source === null) return { type: 'rows', total: 0, rows: [] };
    const index = source.index;
    const view = this.view()!;
    const total = view.rowCount;
    const from = Math.max(0, Math.floor(start));
    const to = Math.min(total, Math.floor(end), from + MAX_PAGE_ROWS);
    const rows: RowData[] = [];
    for (let row = from; row < to; row++) {
      const record = view.recordAt(query.order, query.descending, row);
      const text = readRecord(source, record, ROW_TEXT_LIMIT * 4);
      rows.push({
        row: row as RowIndex,
        record: record as RecordIndex,
        line: text.line,
        offset: text.offset,
        time: index.timeOf(record),
        srcIp: index.valueOf('srcIp', record),
        level: index.valueOf('level', record),
        code: index.valueOf('code', record),
        source: index.valueOf('source', record),
        host: index.valueOf('host', record),
        certHost: index.valueOf('certHost', record),
        message: truncate(firstLine(text.record.message ?? text.raw), ROW_TEXT_LIMIT),
        raw: truncate(text.raw, ROW_TEXT_LIMIT),
        flags: flagIds(text.record.flags),
        tags: TAG_CATALOGUE.ids(index.tagsOf(record)),
      });
    }
    return { type: 'rows', total, rows };
  }

  private detail(record: number, fileName: string): Omit<RecordDetail, 'fileId'> {
    const source = this.source();
    if (source === null || record < 0 || record >= source.index.count)
      throw new Error(`record ${record} is not in the index`);
    const text = readRecord(source, record, DETAIL_TEXT_LIMIT);
    const r = text.record;
    const index = source.index;
    return {
      fileName,
      format: source.format.id,
      record: record as RecordIndex,
      line: text.line,
      lastLine: text.lastLine,
      offset: text.offset,
      length: text.length,
      // The index is the authority on indexed columns (e.g. a damaged timestamp placed by its neighbours).
      time: index.timeOf(record) ?? r.time,
      srcIp: r.srcIp,
      level: r.level,
      code: r.code,
      source: r.source,
      host: r.host,
      certHost: r.certHost,
      message: r.message,
      raw: text.raw,
      truncated: text.truncated,
      invalidUtf8: text.invalidUtf8,
      fields: Object.entries(r.fields),
      tags: TAG_CATALOGUE.ids(index.tagsOf(record)).map((id) => {
        const tag = TAGS.find((t) => t.id === id)!;
        return { id, title: tag.title, explanation: tag.explanation };
      }),
      flags: RECORD_FLAGS.filter((f) => (r.flags & f.bit) !== 0).map(
        ({ id, title, description, problem }) => ({
          id,
          title,
          description,
          problem,
        }),
      ),
      notes: r.notes,
    };
  }

  private locateLine(query: ViewQuery, line: number): number | null {
    const source = this.source();
    if (source === null) return null;
    const index = source.index;
    const record = index.recordAtLine(line);
    if (record < 0) return null;
    // A line after the last record's first line may still be inside it (multi-line records).
    if (record === index.count - 1 && line > index.lineOf(record)) {
      const last = readRecord(source, record, DETAIL_TEXT_LIMIT);
      if (line > last.lastLine) return null;
    }
    return this.view()?.rowOf(query, record) ?? null;
  }
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : text.slice(0, nl).replace(/\r$/, '') + ' …';
}

/** A find the user must correct (an empty pattern, a bad regex): its message is shown as it is. */
class FindRefused extends Error {
  constructor(readonly problem: UserError) {
    super(problem.message);
  }
}
