/**
 * Drives one file's bytes through its format into a {@link LogIndex}: text formats through the
 * framer, binary formats through their own indexer. Pure, so the worker and the tests share it.
 */
import type { BinaryIndexer, FileContext, LogFormat, TextEncoding } from '../formats/types';
import { TAG_CATALOGUE } from '../tags/default';
import { RecordTagger } from '../tags/tagger';
import type { ByteSearchFactory } from '../text/framer';
import { TextFramer } from '../text/framer';
import type { ColumnMemory } from './log-index';
import { LogIndex } from './log-index';

export class Ingest {
  readonly index: LogIndex;
  /** Null once finished: it holds the window buffers and the indexer's WebAssembly memory. */
  private framer: TextFramer | null = null;
  private readonly binary: BinaryIndexer | null = null;
  private finished = false;
  private reserved = false;

  constructor(
    readonly format: LogFormat,
    readonly file: FileContext,
    /** Text encoding of the file (ignored for binary formats). */
    readonly encoding: TextEncoding,
    readonly bomLength: number,
    options: {
      readonly maxRecordBytes?: number;
      readonly searchIn?: ByteSearchFactory;
      readonly memory?: ColumnMemory;
    } = {},
  ) {
    this.index = new LogIndex(options.memory);
    const wanted = TAG_CATALOGUE.wantedFields(format.messageKind);
    // The tagger numbers the fields the way the format does: by their order in `wanted`.
    this.index.tagger = new RecordTagger(TAG_CATALOGUE, wanted);
    const tagged: FileContext = { ...file, wantedFields: wanted };
    if (format.kind === 'text')
      this.framer = new TextFramer(
        format.createIndexer(tagged),
        format.framing,
        this.index,
        encoding,
        bomLength,
        options.maxRecordBytes,
        options.searchIn,
      );
    else this.binary = format.createIndexer(tagged);
  }

  /** The next bytes of the file, in order; `fileOffset` is the offset of `bytes[0]`. */
  push(bytes: Uint8Array, fileOffset: number): void {
    if (this.finished) throw new Error('bytes pushed after the file ended');
    if (this.framer) this.framer.push(bytes, fileOffset);
    else this.binary!.push(bytes, fileOffset, this.index);
    if (!this.reserved && this.index.count >= 1000) {
      // The first thousand records tell how big a record is; size the columns for the whole file.
      this.reserved = true;
      const bytesPerRecord = (fileOffset + bytes.length) / this.index.count;
      this.index.reserve((this.file.size / bytesPerRecord) * 1.05);
    }
  }

  /** No more bytes: flush the last record and trim the index. Idempotent. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.framer) this.framer.finish();
    else this.binary!.finish(this.index);
    // The index is what stays: a loaded file keeps no window buffers, and no memory of the
    // WebAssembly scanners (a window's size each, 4 MiB for a large file).
    this.framer = null;
    this.index.compact();
  }
}
