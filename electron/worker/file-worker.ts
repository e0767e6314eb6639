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
import { inverse, recordAtLine, timeOrder } from '../../shared/index/order';
import type { RecordSource } from '../../shared/index/records';
import { readRecord } from '../../shared/index/records';
import type {
  Detected,
  FromWorker,
  LoadStats,
  ToWorker,
  WorkerReply,
  WorkerRequest,
} from '../../shared/protocol';
import { DICT_COLUMNS, RECORD_FLAGS, flagIds } from '../../shared/record';
import { assertNever, userError } from '../../shared/result';
import { TAGS } from '../../shared/tags/catalog';
import { TAG_CATALOGUE } from '../../shared/tags/default';
import { detectEncoding, splitLines } from '../../shared/text/encoding';
import { FindingsCache } from './findings-cache';

const SAMPLE_BYTES = 64 * 1024;

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

/** A cached time order, valid for the record count it was computed for. */
interface TimeOrderCache {
  readonly count: number;
  readonly order: Uint32Array | null;
  positions: Uint32Array | null;
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : text.slice(0, limit) + '…';
}

export class FileWorker {
  private load: Load | null = null;
  private timeOrderCache: TimeOrderCache | null = null;
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
        this.timeOrderCache = null;
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
    load.ingest = new Ingest(format, load.file, textEncoding, encoding === null ? 0 : bomLength);
  }

  private onEnd(generation: number): void {
    const load = this.current(generation);
    if (load === null) return;
    load.finished = true;
    load.ingest?.finish();
    this.timeOrderCache = null;
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
    try {
      const reply = this.answer(request);
      this.post({ type: 'reply', seq, reply, elapsedMs: performance.now() - started });
    } catch (error) {
      this.post({
        type: 'failed',
        seq,
        error: userError(
          'worker.request-failed',
          `The worker could not answer ${request.type}: ${String(error)}`,
        ),
      });
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

  private timeOrder(index: LogIndex): TimeOrderCache {
    const cache = this.timeOrderCache;
    // While loading, reuse an order computed for fewer records (new records follow in file order)
    // rather than sorting again on every page; it is recomputed when loading ends.
    if (cache !== null && (cache.count === index.count || !this.load?.finished)) return cache;
    const fresh: TimeOrderCache = {
      count: index.count,
      order: timeOrder(index.timeColumn(), index.count),
      positions: null,
    };
    this.timeOrderCache = fresh;
    return fresh;
  }

  /** Record index at view row `row`. */
  private recordAt(index: LogIndex, query: ViewQuery, row: number): number {
    const total = index.count;
    const position = query.descending ? total - 1 - row : row;
    if (query.order === 'file') return position;
    const cache = this.timeOrder(index);
    if (cache.order === null || position >= cache.count) return position;
    return cache.order[position]!;
  }

  private rowOf(index: LogIndex, query: ViewQuery, record: number): number {
    let position = record;
    if (query.order === 'time') {
      const cache = this.timeOrder(index);
      if (cache.order !== null && record < cache.count) {
        cache.positions ??= inverse(cache.order);
        position = cache.positions[record]!;
      }
    }
    return query.descending ? index.count - 1 - position : position;
  }

  private rows(query: ViewQuery, start: number, end: number): WorkerReply {
    const source = this.source();
    if (source === null) return { type: 'rows', total: 0, rows: [] };
    const index = source.index;
    const total = index.count;
    const from = Math.max(0, Math.floor(start));
    const to = Math.min(total, Math.floor(end), from + MAX_PAGE_ROWS);
    const rows: RowData[] = [];
    for (let row = from; row < to; row++) {
      const record = this.recordAt(index, query, row);
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
    const record = recordAtLine(index.lineColumn(), index.count, line);
    if (record < 0) return null;
    // A line after the last record's first line may still be inside it (multi-line records).
    if (record === index.count - 1 && line > index.lineOf(record)) {
      const last = readRecord(source, record, DETAIL_TEXT_LIMIT);
      if (line > last.lastLine) return null;
    }
    return this.rowOf(index, query, record);
  }
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : text.slice(0, nl).replace(/\r$/, '') + ' …';
}
