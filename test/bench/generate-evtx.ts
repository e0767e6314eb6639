/**
 * Writes a large, valid EVTX file deterministically, for the ingest benchmark. Nothing in it is
 * invented: it is the corpus's intact chunks (signature and both checksums good, record chain
 * complete, every record decodes) repeated in a fixed order, with what must change to make one
 * consistent log fixed up:
 * - each record's header id and its EventRecordID value (found through the record's template, as
 *   the reader finds it) run 1, 2, 3, ... across the file (chunks with a record whose EventRecordID
 *   is not a template value, such as a forwarded plain element stream, are not used);
 * - each chunk header's first/last record numbers and ids follow, and both chunk CRCs are
 *   recomputed;
 * - the file header counts the chunks (capped at 65535, as the field is 16 bits; real dirty files
 *   undercount too) and its CRC is recomputed.
 * Times are left as recorded, so the timeline repeats; chunk-local names and templates are untouched,
 * so every chunk decodes exactly as its original does. Streams to disk; never holds the file.
 */
import { CORPUS } from '../helpers/corpus';
import { readFileSync, readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Node } from '../../shared/formats/windows/binxml';
import { StreamParser } from '../../shared/formats/windows/binxml';
import { crc32 } from '../../shared/formats/windows/crc32';
import { CHUNK_SIZE, EvtxChunk, FILE_HEADER_SIZE } from '../../shared/formats/windows/evtx-chunk';

/** The corpus's EVTX folder, relative to this source file (pass another when running bundled). */
export const EVTX_CORPUS = CORPUS + 'evtx/';

interface SourceChunk {
  readonly bytes: Uint8Array;
  /** Chunk offsets of each record, and of its EventRecordID value (-1 when it has none). */
  readonly records: readonly { readonly offset: number; readonly idValue: number }[];
}

/** Index of the substitution holding Event/System/EventRecordID in a template, or -1. */
function eventRecordIdSub(nodes: readonly Node[]): number {
  for (const event of nodes) {
    if (event.kind !== 'element' || event.name !== 'Event') continue;
    for (const system of event.children) {
      if (system.kind !== 'element' || system.name !== 'System') continue;
      for (const e of system.children) {
        const only = e.kind === 'element' && e.name === 'EventRecordID' ? e.children[0] : undefined;
        if (only?.kind === 'sub') return only.index;
      }
    }
  }
  return -1;
}

/** The corpus chunks that are intact, in file-name order, ready to copy. */
export function sourceChunks(corpus = EVTX_CORPUS): SourceChunk[] {
  const chunks: SourceChunk[] = [];
  for (const name of readdirSync(corpus).sort()) {
    const file = new Uint8Array(readFileSync(join(corpus, name)));
    for (let at = FILE_HEADER_SIZE; at + CHUNK_SIZE <= file.length; at += CHUNK_SIZE) {
      const bytes = file.slice(at, at + CHUNK_SIZE);
      const chunk = new EvtxChunk(bytes, 0, at, true);
      if (!chunk.signatureOk || !chunk.headerChecksumOk || !chunk.dataChecksumOk) continue;
      if (chunk.problems.length > 0 || chunk.records.length === 0) continue;
      const live = chunk.records.filter((r) => !r.recovered);
      const records: { offset: number; idValue: number }[] = [];
      let intact = live.length === chunk.records.length;
      for (const r of live) {
        try {
          chunk.decode(r);
          const parser = new StreamParser(
            chunk.tables,
            r.offset + 28,
            r.offset + r.size - 4,
            false,
            0,
            false,
          );
          let idValue = -1;
          if (bytes[r.offset + 28] === 0x0c) {
            const instance = parser.instance();
            const sub = eventRecordIdSub(instance.template.nodes);
            const value = sub >= 0 ? instance.values[sub] : undefined;
            if (value?.size === 8) idValue = value.offset;
          }
          // A record whose EventRecordID is not a template value cannot be renumbered in place.
          if (idValue < 0) intact = false;
          records.push({ offset: r.offset, idValue });
        } catch {
          intact = false;
        }
      }
      if (intact) chunks.push({ bytes, records });
    }
  }
  if (chunks.length === 0) throw new Error('no intact EVTX chunks in the corpus');
  return chunks;
}

function setU64(b: Uint8Array, o: number, value: number): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  view.setBigUint64(o, BigInt(value), true);
}

/** Writes about `bytes` bytes (whole chunks, at least one) of EVTX to `path`. */
export async function writeEvtx(
  path: string,
  bytes: number,
  corpus = EVTX_CORPUS,
): Promise<{ records: number; chunks: number }> {
  const sources = sourceChunks(corpus);
  const chunkCount = Math.max(1, Math.floor((bytes - FILE_HEADER_SIZE) / CHUNK_SIZE));
  const out = await open(path, 'w');
  try {
    let nextId = 1;
    const batch = new Uint8Array(CHUNK_SIZE * 16);
    let fill = 0;
    let position = FILE_HEADER_SIZE;
    for (let n = 0; n < chunkCount; n++) {
      const source = sources[n % sources.length]!;
      const chunk = batch.subarray(fill, fill + CHUNK_SIZE);
      chunk.set(source.bytes);
      const first = nextId;
      for (const r of source.records) {
        setU64(chunk, r.offset + 8, nextId);
        if (r.idValue >= 0) setU64(chunk, r.idValue, nextId);
        nextId++;
      }
      const last = nextId - 1;
      setU64(chunk, 8, first);
      setU64(chunk, 16, last);
      setU64(chunk, 24, first);
      setU64(chunk, 32, last);
      const view = new DataView(chunk.buffer, chunk.byteOffset, CHUNK_SIZE);
      view.setUint32(52, crc32(chunk, 512, view.getUint32(48, true)), true);
      view.setUint32(124, crc32(chunk, 128, 512, crc32(chunk, 0, 120)), true);
      fill += CHUNK_SIZE;
      if (fill === batch.length || n === chunkCount - 1) {
        await out.write(batch, 0, fill, position);
        position += fill;
        fill = 0;
      }
    }
    const header = new Uint8Array(FILE_HEADER_SIZE);
    const view = new DataView(header.buffer);
    header.set(new TextEncoder().encode('ElfFile\0'), 0);
    view.setBigUint64(8, 0n, true);
    view.setBigUint64(16, BigInt(chunkCount - 1), true);
    view.setBigUint64(24, BigInt(nextId), true);
    view.setUint32(32, 128, true);
    view.setUint16(36, 1, true);
    view.setUint16(38, 3, true);
    view.setUint16(40, FILE_HEADER_SIZE, true);
    view.setUint16(42, Math.min(chunkCount, 0xffff), true);
    view.setUint32(124, crc32(header, 0, 120), true);
    await out.write(header, 0, FILE_HEADER_SIZE, 0);
    return { records: nextId - 1, chunks: chunkCount };
  } finally {
    await out.close();
  }
}
