/**
 * Writes legacy `.evt` logs for tests: EVENTLOGRECORDs ([MS-EVEN], libyal's EVT document) laid
 * out in the ring as Windows does, including a log that has wrapped (the oldest record starts
 * mid-ring and the record reaching the end continues at offset 48), the end-of-file record, stale
 * records in the free space, and a header that lags behind (dirty). Encoding only.
 */

export interface EvtRecordSpec {
  readonly number: number;
  readonly generated: number;
  readonly written?: number;
  readonly eventId: number;
  readonly type: number;
  readonly category?: number;
  readonly source: string;
  readonly computer: string;
  readonly sid?: Uint8Array;
  readonly strings?: readonly string[];
  readonly data?: Uint8Array;
}

function utf16z(text: string): number[] {
  const out: number[] = [];
  for (const ch of text + '\0') out.push(ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8);
  return out;
}

function u32(out: Uint8Array, at: number, v: number): void {
  new DataView(out.buffer, out.byteOffset).setUint32(at, v >>> 0, true);
}

export function evtRecord(r: EvtRecordSpec): Uint8Array {
  const names = [...utf16z(r.source), ...utf16z(r.computer)];
  while ((56 + names.length) % 4 !== 0) names.push(0);
  const sid = r.sid ?? new Uint8Array(0);
  const sidOffset = 56 + names.length;
  const strings = (r.strings ?? []).flatMap(utf16z);
  const stringOffset = sidOffset + sid.length;
  const data = r.data ?? new Uint8Array(0);
  const dataOffset = stringOffset + strings.length;
  let size = dataOffset + data.length + 4;
  size += (4 - (size % 4)) % 4;
  const out = new Uint8Array(size);
  u32(out, 0, size);
  out.set([0x4c, 0x66, 0x4c, 0x65], 4);
  u32(out, 8, r.number);
  u32(out, 12, r.generated);
  u32(out, 16, r.written ?? r.generated);
  u32(out, 20, r.eventId);
  new DataView(out.buffer).setUint16(24, r.type, true);
  new DataView(out.buffer).setUint16(26, r.strings?.length ?? 0, true);
  new DataView(out.buffer).setUint16(28, r.category ?? 0, true);
  u32(out, 36, stringOffset);
  u32(out, 40, sid.length);
  u32(out, 44, sid.length === 0 ? 0 : sidOffset);
  u32(out, 48, data.length);
  u32(out, 52, data.length === 0 ? 0 : dataOffset);
  out.set(names, 56);
  out.set(sid, sidOffset);
  out.set(strings, stringOffset);
  out.set(data, dataOffset);
  u32(out, size - 4, size);
  return out;
}

export interface RingSpec {
  /** Records oldest first. */
  readonly records: readonly EvtRecordSpec[];
  /** Log size (ring end). */
  readonly size: number;
  /** Ring offset where the oldest record starts (48 for a log that has not wrapped). */
  readonly firstOffset?: number;
  /** Stale bytes to leave in the free space (copied in after the EOF record). */
  readonly stale?: Uint8Array;
  /** Leave the header as it was before the last `lag` records were written (a dirty log). */
  readonly headerLag?: number;
  /** Omit the end-of-file record. */
  readonly noEof?: boolean;
}

/** Lays records out in the ring and writes header and EOF record; returns the file. */
export function evtFile(spec: RingSpec): Uint8Array {
  const file = new Uint8Array(spec.size);
  const ring = (at: number) => (at >= spec.size ? 48 + (at - spec.size) : at);
  let at = spec.firstOffset ?? 48;
  const offsets: number[] = [];
  for (const r of spec.records) {
    const bytes = evtRecord(r);
    offsets.push(at);
    for (let i = 0; i < bytes.length; i++) file[ring(at + i)] = bytes[i]!;
    at = ring(at + bytes.length);
  }
  const eof = at;
  const first = spec.firstOffset ?? 48;
  const next = (spec.records.at(-1)?.number ?? 0) + 1;
  const oldest = spec.records[0]?.number ?? 1;
  if (spec.noEof !== true) {
    const e = new Uint8Array(40);
    u32(e, 0, 40);
    u32(e, 4, 0x11111111);
    u32(e, 8, 0x22222222);
    u32(e, 12, 0x33333333);
    u32(e, 16, 0x44444444);
    u32(e, 20, first);
    u32(e, 24, eof);
    u32(e, 28, next);
    u32(e, 32, oldest);
    u32(e, 36, 40);
    for (let i = 0; i < 40; i++) file[ring(eof + i)] = e[i]!;
    if (spec.stale)
      for (let i = 0; i < spec.stale.length; i++) file[ring(eof + 40 + i)] = spec.stale[i]!;
  }
  const lag = spec.headerLag ?? 0;
  const headerEof = lag > 0 ? offsets[offsets.length - lag]! : eof;
  u32(file, 0, 48);
  file.set([0x4c, 0x66, 0x4c, 0x65], 4);
  u32(file, 8, 1);
  u32(file, 12, 1);
  u32(file, 16, first);
  u32(file, 20, headerEof);
  u32(file, 24, next - lag);
  u32(file, 28, oldest);
  u32(file, 32, spec.size);
  u32(file, 36, (first !== 48 ? 2 : 0) | (lag > 0 ? 1 : 0));
  u32(file, 40, 0);
  u32(file, 44, 48);
  return file;
}
