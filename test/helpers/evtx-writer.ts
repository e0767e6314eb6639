/**
 * Writes small EVTX files for tests, from a description of templates and values, encoding Binary
 * XML the way Windows does (MS-EVEN6; layout as in libyal's EVTX document): names stored once per
 * chunk, inline at first use and by offset afterwards; template definitions inline at first use and
 * referenced by offset afterwards; element starts in template definitions carry a dependency id,
 * element streams outside templates do not; chunk and file checksums are CRC32.
 *
 * It exists because the corpus has no SCHANNEL or Secure Gateway events and exercises few value
 * types: with it the tests cover every substitution type, arrays, nested Binary XML, entity and
 * character references, CDATA and processing instructions, and known-event messages. It is a test
 * tool, written independently of the reader's decoding code (it only encodes).
 */

export type Item =
  | XmlSpec
  | { readonly text: string }
  | { readonly sub: number; readonly type: number; readonly optional?: boolean }
  | { readonly charref: number }
  | { readonly entity: string }
  | { readonly cdata: string }
  | { readonly pi: readonly [target: string, data: string] }
  | { readonly instance: TemplateSpec; readonly values: readonly ValueSpec[] };

export interface XmlSpec {
  readonly el: string;
  readonly attrs?: readonly (readonly [name: string, value: readonly Item[]])[];
  readonly children?: readonly Item[];
}

export interface TemplateSpec {
  /** Identity: the same object is stored once per chunk and referenced afterwards. */
  readonly guid: readonly number[];
  readonly root: XmlSpec;
}

export interface ValueSpec {
  readonly type: number;
  readonly bytes: Uint8Array;
}

export type RecordSpec =
  | {
      readonly id: number;
      readonly writtenMs?: number;
      readonly template: TemplateSpec;
      readonly values: readonly ValueSpec[];
    }
  | { readonly id: number; readonly writtenMs?: number; readonly stream: XmlSpec };

// ---- value encoders ------------------------------------------------------------------------------

const encoder = new TextEncoder();

export function utf16(text: string, nul = false): Uint8Array {
  const out = new Uint8Array((text.length + (nul ? 1 : 0)) * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

function le(bytes: number, value: bigint): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = BigInt.asUintN(bytes * 8, value);
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const EPOCH_DIFF_MS = 11644473600000n;

export function filetime(ms: number, extraTicks = 0): Uint8Array {
  return le(8, (BigInt(ms) + EPOCH_DIFF_MS) * 10000n + BigInt(extraTicks));
}

export const V = {
  null: (): ValueSpec => ({ type: 0x00, bytes: new Uint8Array(0) }),
  string: (s: string): ValueSpec => ({ type: 0x01, bytes: utf16(s) }),
  ansi: (bytes: readonly number[]): ValueSpec => ({ type: 0x02, bytes: Uint8Array.from(bytes) }),
  int8: (n: number): ValueSpec => ({ type: 0x03, bytes: le(1, BigInt(n)) }),
  uint8: (n: number): ValueSpec => ({ type: 0x04, bytes: le(1, BigInt(n)) }),
  int16: (n: number): ValueSpec => ({ type: 0x05, bytes: le(2, BigInt(n)) }),
  uint16: (n: number): ValueSpec => ({ type: 0x06, bytes: le(2, BigInt(n)) }),
  int32: (n: number): ValueSpec => ({ type: 0x07, bytes: le(4, BigInt(n)) }),
  uint32: (n: number): ValueSpec => ({ type: 0x08, bytes: le(4, BigInt(n)) }),
  int64: (n: bigint): ValueSpec => ({ type: 0x09, bytes: le(8, n) }),
  uint64: (n: bigint): ValueSpec => ({ type: 0x0a, bytes: le(8, n) }),
  real32: (n: number): ValueSpec => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, n, true);
    return { type: 0x0b, bytes: b };
  },
  real64: (n: number): ValueSpec => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, n, true);
    return { type: 0x0c, bytes: b };
  },
  bool: (v: boolean): ValueSpec => ({ type: 0x0d, bytes: le(4, v ? 1n : 0n) }),
  binary: (bytes: readonly number[]): ValueSpec => ({ type: 0x0e, bytes: Uint8Array.from(bytes) }),
  /** GUID from its text form, stored as Windows does (first three groups little-endian). */
  guid: (text: string): ValueSpec => {
    const h = text.replace(/[{}-]/g, '');
    const b = Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
    const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
    return { type: 0x0f, bytes: Uint8Array.from(order.map((i) => b[i]!)) };
  },
  sizeT64: (n: bigint): ValueSpec => ({ type: 0x10, bytes: le(8, n) }),
  filetime: (ms: number, extraTicks = 0): ValueSpec => ({
    type: 0x11,
    bytes: filetime(ms, extraTicks),
  }),
  systemtime: (
    y: number,
    mo: number,
    d: number,
    h: number,
    mi: number,
    s: number,
    ms: number,
  ): ValueSpec => ({
    type: 0x12,
    bytes: concat([y, mo, 0, d, h, mi, s, ms].map((n) => le(2, BigInt(n)))),
  }),
  /** SID from `S-r-a-s1-s2...`. */
  sid: (text: string): ValueSpec => {
    const [, r, a, ...subs] = text.split('-');
    const head = Uint8Array.from([Number(r), subs.length, ...le(6, BigInt(a!)).reverse()]);
    return { type: 0x13, bytes: concat([head, ...subs.map((s) => le(4, BigInt(s)))]) };
  },
  hex32: (n: number): ValueSpec => ({ type: 0x14, bytes: le(4, BigInt(n)) }),
  hex64: (n: bigint): ValueSpec => ({ type: 0x15, bytes: le(8, n) }),
  stringArray: (items: readonly string[]): ValueSpec => ({
    type: 0x81,
    bytes: concat(items.map((s) => utf16(s, true))),
  }),
  /** An array of any base type from its items' encodings (each as `V.x(...)` produces it). */
  array: (items: readonly ValueSpec[], ansi = false): ValueSpec => ({
    type: 0x80 | (items[0]?.type ?? 0x01),
    bytes: concat(items.map((v) => (ansi ? concat([v.bytes, Uint8Array.of(0)]) : v.bytes))),
  }),
  uint16Array: (items: readonly number[]): ValueSpec => ({
    type: 0x86,
    bytes: concat(items.map((n) => le(2, BigInt(n)))),
  }),
  /** Nested Binary XML: a template instance (with fragment header) built in the same chunk. */
  binxml: (template: TemplateSpec, values: readonly ValueSpec[]): ValueSpec =>
    ({
      type: 0x21,
      bytes: new Uint8Array(0),
      nested: { template, values },
    }) as ValueSpec,
  /** Nested Binary XML: a plain element stream. */
  binxmlStream: (stream: XmlSpec): ValueSpec =>
    ({ type: 0x21, bytes: new Uint8Array(0), stream }) as ValueSpec,
};

type NestedValue = ValueSpec & {
  readonly nested?: { template: TemplateSpec; values: readonly ValueSpec[] };
  readonly stream?: XmlSpec;
};

// ---- chunk encoder ---------------------------------------------------------------------------------

function nameHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 65599) + name.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}

export function crc32(b: Uint8Array, start = 0, end = b.length, seed = 0): number {
  let c = ~seed >>> 0;
  for (let i = start; i < end; i++) {
    c ^= b[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

class ChunkEncoder {
  readonly buf = new Uint8Array(65536);
  pos = 512;
  private readonly names = new Map<string, number>();
  private readonly templates = new Map<TemplateSpec, number>();

  private u8(v: number): void {
    this.buf[this.pos++] = v;
  }
  private u16(v: number): void {
    this.buf.set(le(2, BigInt(v)), this.pos);
    this.pos += 2;
  }
  private u32(v: number): void {
    this.buf.set(le(4, BigInt(v)), this.pos);
    this.pos += 4;
  }
  private bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  private patch32(at: number, v: number): void {
    this.buf.set(le(4, BigInt(v)), at);
  }

  /** A name reference: the offset, and the name itself right after it when first used. */
  private nameRef(name: string): void {
    const known = this.names.get(name);
    if (known !== undefined) {
      this.u32(known);
      return;
    }
    const at = this.pos + 4;
    this.u32(at);
    this.names.set(name, at);
    this.u32(0);
    this.u16(nameHash(name));
    this.u16(name.length);
    this.bytes(utf16(name, true));
  }

  private item(item: Item, inTemplate: boolean): void {
    if ('el' in item) this.element(item, inTemplate);
    else if ('text' in item) {
      this.u8(0x05);
      this.u8(0x01);
      this.u16(item.text.length);
      this.bytes(utf16(item.text));
    } else if ('sub' in item) {
      this.u8(item.optional === true ? 0x0e : 0x0d);
      this.u16(item.sub);
      this.u8(item.type);
    } else if ('charref' in item) {
      this.u8(0x08);
      this.u16(item.charref);
    } else if ('entity' in item) {
      this.u8(0x09);
      this.nameRef(item.entity);
    } else if ('cdata' in item) {
      this.u8(0x07);
      this.u16(item.cdata.length);
      this.bytes(utf16(item.cdata));
    } else if ('pi' in item) {
      this.u8(0x0a);
      this.nameRef(item.pi[0]);
      this.u8(0x0b);
      this.u16(item.pi[1].length);
      this.bytes(utf16(item.pi[1]));
    } else this.instance(item.instance, item.values);
  }

  private element(e: XmlSpec, inTemplate: boolean): void {
    const attrs = e.attrs ?? [];
    this.u8(attrs.length > 0 ? 0x41 : 0x01);
    if (inTemplate) this.u16(0xffff);
    const sizeAt = this.pos;
    this.u32(0);
    this.nameRef(e.el);
    if (attrs.length > 0) {
      const listAt = this.pos;
      this.u32(0);
      attrs.forEach(([name, value], i) => {
        this.u8(i < attrs.length - 1 ? 0x46 : 0x06);
        this.nameRef(name);
        for (const v of value) this.item(v, inTemplate);
      });
      this.patch32(listAt, this.pos - listAt - 4);
    }
    const children = e.children ?? [];
    if (children.length === 0) this.u8(0x03);
    else {
      this.u8(0x02);
      for (const c of children) this.item(c, inTemplate);
      this.u8(0x04);
    }
    this.patch32(sizeAt, this.pos - sizeAt - 4);
  }

  instance(template: TemplateSpec, values: readonly ValueSpec[]): void {
    this.u8(0x0c);
    this.u8(0x01);
    const guid0 = new DataView(Uint8Array.from(template.guid).buffer).getUint32(0, true);
    this.u32(guid0);
    const known = this.templates.get(template);
    if (known !== undefined) this.u32(known);
    else {
      const at = this.pos + 4;
      this.u32(at);
      this.templates.set(template, at);
      this.u32(0);
      this.bytes(Uint8Array.from(template.guid));
      const sizeAt = this.pos;
      this.u32(0);
      const dataStart = this.pos;
      this.bytes(Uint8Array.from([0x0f, 0x01, 0x01, 0x00]));
      this.element(template.root, true);
      this.u8(0x00);
      this.patch32(sizeAt, this.pos - dataStart);
    }
    // Nested values are encoded first (into a scratch encoder sharing this chunk's tables is not
    // possible: their offsets are chunk offsets), so descriptors are patched after writing values.
    this.u32(values.length);
    const descriptors = this.pos;
    this.pos += values.length * 4;
    values.forEach((v, i) => {
      const start = this.pos;
      const n = v as NestedValue;
      if (n.nested !== undefined) {
        this.bytes(Uint8Array.from([0x0f, 0x01, 0x01, 0x00]));
        this.instance(n.nested.template, n.nested.values);
        this.u8(0x00);
      } else if (n.stream !== undefined) {
        this.bytes(Uint8Array.from([0x0f, 0x01, 0x01, 0x00]));
        this.element(n.stream, false);
        this.u8(0x00);
      } else this.bytes(v.bytes);
      this.buf.set(le(2, BigInt(this.pos - start)), descriptors + i * 4);
      this.buf[descriptors + i * 4 + 2] = v.type;
      this.buf[descriptors + i * 4 + 3] = 0;
    });
  }

  record(spec: RecordSpec): void {
    const start = this.pos;
    this.bytes(encoder.encode('**\0\0'));
    this.u32(0);
    this.bytes(le(8, BigInt(spec.id)));
    this.bytes(filetime(spec.writtenMs ?? Date.UTC(2024, 0, 1)));
    this.bytes(Uint8Array.from([0x0f, 0x01, 0x01, 0x00]));
    if ('template' in spec) this.instance(spec.template, spec.values);
    else this.element(spec.stream, false);
    this.u8(0x00);
    while ((this.pos + 4 - start) % 8 !== 0) this.u8(0);
    const size = this.pos + 4 - start;
    this.u32(size);
    this.patch32(start + 4, size);
    this.lastRecord = start;
  }

  lastRecord = 512;
}

/** One chunk (65536 bytes) holding `records`, with a correct header and both CRCs. */
export function chunkBytes(records: readonly RecordSpec[]): Uint8Array {
  const c = new ChunkEncoder();
  for (const r of records) c.record(r);
  const b = c.buf;
  const first = records[0]?.id ?? 0;
  const last = records.at(-1)?.id ?? 0;
  b.set(encoder.encode('ElfChnk\0'), 0);
  b.set(le(8, BigInt(first)), 8);
  b.set(le(8, BigInt(last)), 16);
  b.set(le(8, BigInt(first)), 24);
  b.set(le(8, BigInt(last)), 32);
  b.set(le(4, 128n), 40);
  b.set(le(4, BigInt(c.lastRecord)), 44);
  b.set(le(4, BigInt(c.pos)), 48);
  b.set(le(4, BigInt(crc32(b, 512, c.pos))), 52);
  b.set(le(4, BigInt(crc32(b, 128, 512, crc32(b, 0, 120)))), 124);
  return b;
}

/** A whole file: the 4096-byte header and one chunk per entry of `chunks`. */
export function evtxFile(chunks: readonly (readonly RecordSpec[])[]): Uint8Array {
  const header = new Uint8Array(4096);
  header.set(encoder.encode('ElfFile\0'), 0);
  header.set(le(8, BigInt(Math.max(0, chunks.length - 1))), 16);
  const lastId = chunks.flat().reduce((m, r) => Math.max(m, r.id), 0);
  header.set(le(8, BigInt(lastId + 1)), 24);
  header.set(le(4, 128n), 32);
  header.set(le(2, 1n), 36);
  header.set(le(2, 3n), 38);
  header.set(le(2, 4096n), 40);
  header.set(le(2, BigInt(chunks.length)), 42);
  header.set(le(4, BigInt(crc32(header, 0, 120))), 124);
  return concat([header, ...chunks.map((c) => chunkBytes(c))]);
}

// ---- the usual event shape ----------------------------------------------------------------------

const sub = (index: number, type: number, optional = true): Item => ({
  sub: index,
  type,
  optional,
});

/**
 * A System section like Windows writes for manifest and classic providers. Values: 0 Provider
 * Name, 1 EventSourceName, 2 EventID, 3 Qualifiers, 4 Level, 5 Keywords, 6 TimeCreated,
 * 7 EventRecordID, 8 Channel, 9 Computer, 10 UserID, 11 event data (Binary XML).
 */
export function eventTemplate(guidSeed: number, data: 'nested' | 'none' = 'nested'): TemplateSpec {
  return {
    guid: Array.from({ length: 16 }, (_, i) => (guidSeed * 31 + i * 7) & 0xff),
    root: {
      el: 'Event',
      attrs: [['xmlns', [{ text: 'http://schemas.microsoft.com/win/2004/08/events/event' }]]],
      children: [
        {
          el: 'System',
          children: [
            {
              el: 'Provider',
              attrs: [
                ['Name', [sub(0, 0x01)]],
                ['EventSourceName', [sub(1, 0x01)]],
              ],
            },
            { el: 'EventID', attrs: [['Qualifiers', [sub(3, 0x06)]]], children: [sub(2, 0x06)] },
            { el: 'Level', children: [sub(4, 0x04)] },
            { el: 'Keywords', children: [sub(5, 0x15)] },
            { el: 'TimeCreated', attrs: [['SystemTime', [sub(6, 0x11)]]] },
            { el: 'EventRecordID', children: [sub(7, 0x0a)] },
            { el: 'Channel', children: [sub(8, 0x01)] },
            { el: 'Computer', children: [sub(9, 0x01)] },
            { el: 'Security', attrs: [['UserID', [sub(10, 0x13)]]] },
          ],
        },
        ...(data === 'nested' ? [sub(11, 0x21)] : []),
      ],
    },
  };
}

export interface SystemValues {
  readonly provider: string;
  readonly sourceName?: string;
  readonly eventId: number;
  readonly qualifiers?: number;
  readonly level: number;
  readonly keywords?: bigint;
  readonly timeMs: number;
  readonly recordId: number;
  readonly channel?: string;
  readonly computer: string;
  readonly sid?: string;
}

export function systemValues(s: SystemValues, data: ValueSpec = V.null()): ValueSpec[] {
  return [
    V.string(s.provider),
    s.sourceName === undefined ? V.null() : V.string(s.sourceName),
    V.uint16(s.eventId),
    s.qualifiers === undefined ? V.null() : V.uint16(s.qualifiers),
    V.uint8(s.level),
    V.hex64(s.keywords ?? 0x8000000000000000n),
    V.filetime(s.timeMs),
    V.uint64(BigInt(s.recordId)),
    V.string(s.channel ?? 'System'),
    V.string(s.computer),
    s.sid === undefined ? V.null() : V.sid(s.sid),
    data,
  ];
}

/** EventData with named Data elements, one substitution each (types as given). */
export function eventDataTemplate(
  guidSeed: number,
  fields: readonly (readonly [string | null, number])[],
): TemplateSpec {
  return {
    guid: Array.from({ length: 16 }, (_, i) => (guidSeed * 17 + i * 13 + 1) & 0xff),
    root: {
      el: 'EventData',
      children: fields.map(([name, type], i) => ({
        el: 'Data',
        attrs: name === null ? [] : [['Name', [{ text: name }]]],
        children: [{ sub: i, type, optional: true }],
      })),
    },
  };
}
