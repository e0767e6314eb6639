/**
 * Cuts a text file's byte stream into records and hands each to the format's indexer. Bytes
 * arrive in chunks of any size; a record that straddles chunks is carried over. Line ends may be
 * LF, CRLF or mixed; blank lines never make records; a record longer than `maxRecordBytes` is cut
 * and its pieces are flagged, so one damaged file cannot exhaust memory. UTF-16 files are
 * transcoded to UTF-8 on the way in (formats only ever see ASCII-compatible bytes) while every
 * record keeps the offset of its first byte in the original file.
 */
import type { ByteSearch, Framing, TextEncoding, TextIndexer } from '../formats/types';
import type { LogIndex } from '../index/log-index';
import { lastAtOrBefore } from '../index/order';
import { RecordFlag } from '../record';

export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Gives the framer a search over a window. By default the window's own `indexOf`; a host with a
 * faster native search passes its own (Node's Buffer searches with memchr, about three times as
 * fast as the typed array's, and finding line ends is a fifth of all indexing time).
 */
export type ByteSearchFactory = (window: Uint8Array) => ByteSearch;

const windowItself: ByteSearchFactory = (window) => window;

/** The part of TextDecoder the framer uses (a structural type, valid under every layer's globals). */
interface StreamDecoder {
  decode(input: Uint8Array, options: { stream: boolean }): string;
}

const LF = 10;
const CR = 13;
const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c !== 32 && c !== 9 && c !== CR && c !== 12) return false;
  }
  return true;
}

function trimEnd(buf: Uint8Array, start: number, end: number): number {
  while (end > start) {
    const c = buf[end - 1]!;
    if (c !== 32 && c !== 9 && c !== CR && c !== LF && c !== 12) break;
    end--;
  }
  return end;
}

function indexOfSequence(buf: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  const last = buf.length - needle.length;
  let i = from;
  while (i <= last) {
    i = buf.indexOf(first, i);
    if (i < 0 || i > last) return -1;
    let j = 1;
    while (j < needle.length && buf[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i++;
  }
  return -1;
}

/**
 * Maps positions in the UTF-8 window back to file offsets for UTF-16 files: one entry per line
 * start, and within a line the UTF-16 length of the text before the position.
 */
class Utf16Map {
  positions: number[] = [];
  offsets: number[] = [];

  offsetAt(window: Uint8Array, pos: number): number {
    const positions = this.positions;
    const at = Math.max(
      0,
      lastAtOrBefore(0, positions.length, pos, (i) => positions[i]!),
    );
    const base = positions[at] ?? 0;
    const offset = this.offsets[at] ?? 0;
    if (base === pos) return offset;
    return offset + 2 * utf8.decode(window.subarray(base, pos)).length;
  }

  /** Re-bases the map on window position `from`, whose file offset is `anchor`. */
  rebase(from: number, anchor: number): void {
    const positions = [0];
    const offsets = [anchor];
    for (let i = 0; i < this.positions.length; i++) {
      const p = this.positions[i]!;
      if (p <= from) continue;
      positions.push(p - from);
      offsets.push(this.offsets[i]!);
    }
    this.positions = positions;
    this.offsets = offsets;
  }
}

export class TextFramer {
  private readonly continues: ((buf: Uint8Array, start: number, end: number) => boolean) | null;
  private readonly marker: Uint8Array | null;
  /** Marker framing: bytes allowed right after the marker (a 256-entry table), or null for any. */
  private readonly markerFollowers: Uint8Array | null;

  /** The indexer's own search for line ends in the window being scanned, if it has one. */
  private windowSearch: ByteSearch | null = null;
  /** Bytes of the current window not yet finished with (a pending record and/or a partial line). */
  private carry: Uint8Array | null = null;
  /** File offset of window position 0 (UTF-8 files). */
  private windowOffset = 0;
  /** How much of the carry has been scanned already (its lines were offered to `continues`). */
  private carryScanned = 0;
  /** The pending record, in window positions; start < 0 when there is none. */
  private pendingStart = -1;
  private pendingEnd = -1;
  private pendingLine = 0;
  private pendingFlags = 0;
  /** 1-based number of the next line to scan (lines framing) or of the line at `countedPos` (marker framing). */
  private nextLine = 1;
  /** Marker framing: window position up to which line ends have been counted. */
  private countedPos = 0;
  /** Marker framing: where the next marker search starts, in window positions. */
  private searchFrom = 0;
  /** A record was cut in the middle of a line: the next piece continues that line. */
  private midLine = false;
  private preambleStarted = false;
  private joinBuffer = new Uint8Array(0);

  private readonly utf16: { decoder: StreamDecoder; map: Utf16Map; units: number } | null;

  constructor(
    private readonly indexer: TextIndexer,
    framing: Framing,
    private readonly index: LogIndex,
    private readonly encoding: TextEncoding,
    private readonly bomLength: number,
    private readonly maxRecordBytes = MAX_RECORD_BYTES,
    private readonly searchIn: ByteSearchFactory = windowItself,
  ) {
    this.continues = indexer.continues ? indexer.continues.bind(indexer) : null;
    this.marker = framing.kind === 'marker' ? encoder.encode(framing.marker) : null;
    this.markerFollowers = null;
    if (framing.kind === 'marker' && framing.followedBy !== undefined) {
      const followers = new Uint8Array(256);
      for (let i = 0; i < framing.followedBy.length; i++)
        followers[framing.followedBy.charCodeAt(i) & 0xff] = 1;
      this.markerFollowers = followers;
    }
    this.utf16 =
      encoding === 'utf-8'
        ? null
        : {
            decoder: new TextDecoder(encoding, { ignoreBOM: true }),
            map: new Utf16Map(),
            units: 0,
          };
  }

  /** Feed the next bytes of the file; `fileOffset` is the offset of `bytes[0]`, starting at 0. */
  push(bytes: Uint8Array, fileOffset: number): void {
    if (fileOffset < this.bomLength) {
      // The byte order mark is not text; it may arrive split over several chunks.
      const skip = Math.min(bytes.length, this.bomLength - fileOffset);
      bytes = bytes.subarray(skip);
      fileOffset += skip;
    }
    const window = this.utf16 ? this.transcode(bytes, false) : this.join(bytes, fileOffset);
    this.scan(window, false);
  }

  /** The file ended: the last partial line and the pending record become records. */
  finish(): void {
    let window: Uint8Array;
    if (this.utf16) window = this.transcode(new Uint8Array(0), true);
    else window = this.carry ?? new Uint8Array(0);
    this.scan(window, true);
    this.carry = null;
  }

  private join(bytes: Uint8Array, fileOffset: number): Uint8Array {
    const carry = this.carry;
    if (carry === null || carry.length === 0) {
      this.windowOffset = fileOffset;
      this.carryScanned = 0;
      return bytes;
    }
    // The joined window is made in a buffer kept from push to push: a fresh 4 MiB allocation
    // per chunk costs more in page faults than the copy itself.
    const length = carry.length + bytes.length;
    if (this.joinBuffer.length < length)
      this.joinBuffer = new Uint8Array(Math.max(length, this.joinBuffer.length * 2));
    const window = this.joinBuffer.subarray(0, length);
    window.set(carry, 0);
    window.set(bytes, carry.length);
    return window;
  }

  private transcode(bytes: Uint8Array, final: boolean): Uint8Array {
    const state = this.utf16!;
    const text = state.decoder.decode(bytes, { stream: !final });
    const carry = this.carry ?? new Uint8Array(0);
    const out = new Uint8Array(carry.length + text.length * 3);
    out.set(carry, 0);
    let written = carry.length;
    let start = 0;
    while (start < text.length) {
      let nl = text.indexOf('\n', start);
      nl = nl < 0 ? text.length : nl + 1;
      state.map.positions.push(written);
      state.map.offsets.push(this.bomLength + 2 * (state.units + start));
      written += encoder.encodeInto(text.slice(start, nl), out.subarray(written)).written;
      start = nl;
    }
    state.units += text.length;
    return out.subarray(0, written);
  }

  private offsetAt(window: Uint8Array, pos: number): number {
    return this.utf16 ? this.utf16.map.offsetAt(window, pos) : this.windowOffset + pos;
  }

  private scan(window: Uint8Array, final: boolean): void {
    const copy = this.indexer.window?.(window);
    this.windowSearch = copy?.lines ?? null;
    if (copy !== undefined) window = copy.bytes;
    const keepFrom = this.marker
      ? this.scanMarkers(window, final)
      : this.scanLines(window, this.carryScanned, final);
    if (final) return;
    this.keep(window, keepFrom);
  }

  /** Keep window[from..] for the next chunk, re-basing every window position on it. */
  private keep(window: Uint8Array, from: number): void {
    if (this.utf16) this.utf16.map.rebase(from, this.utf16.map.offsetAt(window, from));
    else this.windowOffset += from;
    this.carry = window.slice(from);
    this.carryScanned -= from;
    if (this.pendingStart >= 0) {
      this.pendingStart -= from;
      this.pendingEnd -= from;
    }
    this.countedPos -= from;
    this.searchFrom -= from;
  }

  /**
   * The common case on its own: one record per line, UTF-8, nothing pending and no line cut. It
   * does what scanLines does, without the bookkeeping for continuation lines, so the indexers get
   * as much of the time as possible.
   */
  private scanSingleLines(window: Uint8Array, from: number, final: boolean): number {
    const index = this.index;
    const indexer = this.indexer;
    const base = this.windowOffset;
    const max = this.maxRecordBytes;
    const search = this.windowSearch ?? this.searchIn(window);
    let line = this.nextLine;
    let pos = from;
    let lastEnd = -1;
    for (;;) {
      let nl = search.indexOf(LF, pos);
      let next: number;
      if (nl < 0) {
        if (!final || pos >= window.length) break;
        nl = window.length;
        next = nl;
      } else next = nl + 1;
      let end = nl;
      if (end > pos && window[end - 1] === CR) end--;
      const first = window[pos];
      if (
        end > pos &&
        ((first !== 32 && first !== 9 && first !== 12) || !isBlank(window, pos, end))
      ) {
        index.beginLine(base + pos, line);
        try {
          indexer.index(window, pos, end - pos > max ? pos + max : end, index);
        } catch {
          index.flag(RecordFlag.ParseError);
        }
        index.end();
        lastEnd = end;
      }
      line++;
      pos = next;
    }
    if (lastEnd >= 0) index.endOffset = base + lastEnd;
    this.nextLine = line;
    return pos;
  }

  /** Returns the window position from which bytes must be kept. */
  private scanLines(window: Uint8Array, from: number, final: boolean): number {
    if (this.continues === null && this.utf16 === null && !this.midLine && this.pendingStart < 0) {
      const pos = this.scanSingleLines(window, from, final);
      if (final || window.length - pos <= this.maxRecordBytes) {
        this.carryScanned = pos;
        return pos;
      }
      from = pos;
    }
    const continues = this.continues;
    const search = this.windowSearch ?? this.searchIn(window);
    let pos = from;
    for (;;) {
      let nl = search.indexOf(LF, pos);
      let next: number;
      if (nl < 0) {
        if (!final || pos >= window.length) break;
        nl = window.length;
        next = nl;
      } else next = nl + 1;
      let lineEnd = nl;
      if (lineEnd > pos && window[lineEnd - 1] === CR) lineEnd--;
      const line = this.midLine ? this.nextLine - 1 : this.nextLine++;
      const cutPiece = this.midLine;
      this.midLine = false;
      if (lineEnd === pos || isBlank(window, pos, lineEnd)) {
        pos = next;
        continue;
      }
      if (this.pendingStart >= 0) {
        const glue =
          continues !== null &&
          !cutPiece &&
          lineEnd - this.pendingStart <= this.maxRecordBytes &&
          continues(window, pos, lineEnd);
        if (glue) this.pendingEnd = lineEnd;
        else {
          this.flushPending(window);
          this.startPending(pos, lineEnd, line, cutPiece ? RecordFlag.Oversized : 0);
        }
      } else this.startPending(pos, lineEnd, line, cutPiece ? RecordFlag.Oversized : 0);
      if (continues === null) this.flushPending(window);
      pos = next;
    }
    if (final) {
      this.flushPending(window);
      return window.length;
    }
    // A line with no end in sight: cut it here rather than carry it forever.
    if (window.length - pos > this.maxRecordBytes) {
      this.flushPending(window);
      this.startPending(pos, window.length, this.nextLine, RecordFlag.Oversized);
      this.flushPending(window);
      this.midLine = true;
      this.nextLine++;
      pos = window.length;
    }
    this.carryScanned = pos;
    return this.pendingStart >= 0 ? Math.min(this.pendingStart, pos) : pos;
  }

  private scanMarkers(window: Uint8Array, final: boolean): number {
    const marker = this.marker!;
    if (!this.preambleStarted) {
      // The text before the first marker (an XML declaration, a root element) is a record of its own.
      this.preambleStarted = true;
      this.startPending(0, 0, 1, RecordFlag.Directive);
    }
    const followers = this.markerFollowers;
    // With a follower rule a marker is only known once the byte after it has arrived.
    const needed = marker.length + (followers === null ? 0 : 1);
    for (;;) {
      const m = indexOfSequence(window, marker, this.searchFrom);
      if (m < 0) break;
      if (followers !== null) {
        const next = m + marker.length;
        if (next >= window.length) {
          // At the end of the file there is no next byte: not a marker. Otherwise wait for it.
          if (final) this.searchFrom = window.length;
          break;
        }
        if (followers[window[next]!] !== 1) {
          this.searchFrom = m + 1;
          continue;
        }
      }
      const line = this.lineAt(window, m);
      this.flushPending(window, m);
      this.startPending(m, m, line, 0);
      this.searchFrom = m + marker.length;
    }
    if (final) {
      this.flushPending(window, window.length);
      return window.length;
    }
    this.searchFrom = Math.max(this.searchFrom, window.length - needed + 1);
    if (this.pendingStart >= 0 && window.length - this.pendingStart > this.maxRecordBytes) {
      const line = this.lineAt(window, window.length);
      this.flushPending(window, window.length);
      this.startPending(window.length, window.length, line, RecordFlag.Oversized);
    }
    return this.pendingStart >= 0 ? Math.min(this.pendingStart, this.countedPos) : this.countedPos;
  }

  /** Line number at window position `pos` (marker framing), counting line ends incrementally. */
  private lineAt(window: Uint8Array, pos: number): number {
    let at = this.countedPos;
    for (;;) {
      const nl = window.indexOf(LF, at);
      if (nl < 0 || nl >= pos) break;
      this.nextLine++;
      at = nl + 1;
    }
    this.countedPos = pos;
    return this.nextLine;
  }

  private startPending(start: number, end: number, line: number, flags: number): void {
    this.pendingStart = start;
    this.pendingEnd = end;
    this.pendingLine = line;
    this.pendingFlags = flags;
  }

  /** Emit the pending record. Marker framing passes where the record ends; trailing blanks are trimmed. */
  private flushPending(window: Uint8Array, markerEnd?: number): void {
    const start = this.pendingStart;
    if (start < 0) return;
    this.pendingStart = -1;
    let end = markerEnd === undefined ? this.pendingEnd : trimEnd(window, start, markerEnd);
    if (end <= start || isBlank(window, start, end)) {
      if ((this.pendingFlags & RecordFlag.Directive) !== 0 || end <= start) return;
    }
    if (end - start > this.maxRecordBytes) end = start + this.maxRecordBytes;
    const index = this.index;
    index.beginLine(this.offsetAt(window, start), this.pendingLine);
    try {
      this.indexer.index(window, start, end, index);
    } catch {
      index.flag(RecordFlag.ParseError);
    }
    index.flag(this.pendingFlags);
    index.end();
    index.endOffset = this.offsetAt(window, end);
  }
}
