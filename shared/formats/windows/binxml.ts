/**
 * Binary XML as EVTX stores it ([MS-EVEN6] 2.2.3, libyal's "Windows XML Event Log (EVTX)"
 * document): a token stream per record, whose element and attribute names are stored once per
 * chunk and referenced by chunk offset, and whose common shapes are template definitions stored
 * once per chunk and instantiated by records with an array of typed substitution values.
 *
 * Everything here works on one chunk's bytes with chunk-relative offsets, so a chunk decodes on
 * its own. The input is untrusted: every read is bounds-checked, every loop consumes input or is
 * capped, recursion is depth-limited, and a template that refers to itself is refused. Failures
 * throw {@link BinXmlError}, which the chunk reader catches per record: a broken record becomes a
 * flagged row, never an exception out of the reader.
 */
import { cp1252Text, filetimeToMs, u16, u32, u64Big, utf16End, utf16Text } from './bytes-le';

export class BinXmlError extends Error {
  constructor(
    message: string,
    /** Chunk-relative offset where decoding failed. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'BinXmlError';
  }
}

function fail(message: string, offset: number): never {
  throw new BinXmlError(message, offset);
}

/** Substitution value types ([MS-EVEN6] 2.2.3.1); 0x80 marks an array of the base type. */
export const ValueType = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  Array: 0x80,
} as const;

// ---- the decoded token tree -----------------------------------------------------------------

export type Node =
  | ElementNode
  | TextNode
  | SubstitutionNode
  | CharRefNode
  | EntityRefNode
  | CDataNode
  | PINode
  | InstanceNode;

export interface ElementNode {
  readonly kind: 'element';
  readonly name: string;
  readonly attrs: readonly AttrNode[];
  readonly children: readonly Node[];
}
export interface AttrNode {
  readonly name: string;
  readonly value: readonly Node[];
}
export interface TextNode {
  readonly kind: 'text';
  readonly text: string;
}
export interface SubstitutionNode {
  readonly kind: 'sub';
  readonly index: number;
  /** The type the template declares; the instance's value carries its own, which wins. */
  readonly type: number;
  /** Optional substitution (token 0x0e): a NULL value removes what holds it. */
  readonly optional: boolean;
}
export interface CharRefNode {
  readonly kind: 'charref';
  readonly code: number;
}
export interface EntityRefNode {
  readonly kind: 'entity';
  readonly name: string;
}
export interface CDataNode {
  readonly kind: 'cdata';
  readonly text: string;
}
export interface PINode {
  readonly kind: 'pi';
  readonly target: string;
  readonly data: string;
}
export interface InstanceNode {
  readonly kind: 'instance';
  readonly template: TemplateDef;
  readonly values: readonly Value[];
}

/** One substitution value of a template instance: where its bytes are in the chunk. */
export interface Value {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
}

export interface TemplateDef {
  /** Chunk offset of the definition (what instances refer to). */
  readonly offset: number;
  /** First 32 bits of the template GUID; instances repeat it as their template id. */
  readonly guid0: number;
  /** Offset just past the definition's data. */
  readonly end: number;
  readonly nodes: readonly Node[];
  /** Filled by the chunk reader the first time a record needs it (see evtx-chunk.ts). */
  plan?: unknown;
}

/** Deepest element nesting accepted (real events nest about 5 deep). */
const MAX_ELEMENT_DEPTH = 64;
/** Deepest chain of template instances and nested Binary XML values accepted. */
export const MAX_NESTING = 12;

const DEFINITION_HEADER = 24;
const CHUNK_HEADER = 512;

/**
 * The names and template definitions of one chunk, decoded once and cached by offset. In strict
 * mode (records recovered from free space, whose references may point at data the chunk has
 * since overwritten) an instance's template id must also match the definition's GUID.
 */
export class ChunkTables {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, TemplateDef | BinXmlError>();
  private readonly parsing = new Set<number>();

  constructor(readonly bytes: Uint8Array) {}

  /**
   * The name stored at `offset`: u32 next-name link, u16 hash, u16 length, UTF-16LE, NUL. The
   * stored hash (MS-EVEN6: h = h * 65599 + unit, low 16 bits) is checked, which catches offsets
   * that point at something other than a name.
   */
  name(offset: number): string {
    const known = this.names.get(offset);
    if (known !== undefined) return known;
    const b = this.bytes;
    if (offset < CHUNK_HEADER || offset + 8 > b.length) fail(`name offset out of range`, offset);
    const count = u16(b, offset + 6);
    const end = offset + 8 + count * 2;
    if (end + 2 > b.length) fail('name runs past the chunk', offset);
    let h = 0;
    for (let i = offset + 8; i < end; i += 2) h = (Math.imul(h, 65599) + u16(b, i)) >>> 0;
    if ((h & 0xffff) !== u16(b, offset + 4)) fail('name hash does not match', offset);
    const name = utf16Text(b, offset + 8, end);
    this.names.set(offset, name);
    return name;
  }

  /** Bytes a name stored at `offset` occupies (for skipping inline names). */
  nameSize(offset: number): number {
    return 8 + u16(this.bytes, offset + 6) * 2 + 2;
  }

  /** The template definition at `offset`, parsed once; a broken one fails every time it is used. */
  template(offset: number, depth: number): TemplateDef {
    const known = this.templates.get(offset);
    if (known instanceof BinXmlError) throw known;
    if (known !== undefined) return known;
    if (this.parsing.has(offset)) fail('template refers to itself', offset);
    if (depth > MAX_NESTING) fail('templates nested too deep', offset);
    const b = this.bytes;
    if (offset < CHUNK_HEADER || offset + DEFINITION_HEADER > b.length)
      fail('template offset out of range', offset);
    const size = u32(b, offset + 20);
    const end = offset + DEFINITION_HEADER + size;
    this.parsing.add(offset);
    try {
      if (end > b.length) fail('template runs past the chunk', offset);
      const parser = new StreamParser(
        this,
        offset + DEFINITION_HEADER,
        end,
        true,
        depth + 1,
        false,
      );
      const nodes = parser.fragment();
      const def: TemplateDef = { offset, guid0: u32(b, offset + 4), end, nodes };
      this.templates.set(offset, def);
      return def;
    } catch (error) {
      const failure = error instanceof BinXmlError ? error : new BinXmlError(String(error), offset);
      this.templates.set(offset, failure);
      throw failure;
    } finally {
      this.parsing.delete(offset);
    }
  }
}

/**
 * Parses one token stream: a record's Binary XML, a template definition's data, or a nested
 * Binary XML value. `inTemplate` says whether element starts carry the 2-byte dependency id
 * (template definitions do; records and nested values do not, per MS-EVEN6 and omerbenamram/evtx).
 * When the expected layout does not fit (the element's size runs past the stream or its name
 * offset is not a name), the other layout is tried: libfwevt guesses the same thing from sizes.
 */
export class StreamParser {
  pos: number;

  constructor(
    readonly tables: ChunkTables,
    start: number,
    readonly end: number,
    readonly inTemplate: boolean,
    readonly depth: number,
    readonly strict: boolean,
  ) {
    this.pos = start;
    if (end > tables.bytes.length) fail('stream runs past the chunk', start);
  }

  private need(n: number): void {
    if (this.pos + n > this.end) fail('unexpected end of Binary XML', this.pos);
  }

  /** A fragment: optional header, then elements, template instances or PIs, up to EOF (0x00). */
  fragment(): Node[] {
    const b = this.tables.bytes;
    const nodes: Node[] = [];
    while (this.pos < this.end) {
      const token = b[this.pos]!;
      if (token === 0x00) {
        this.pos++;
        break;
      }
      if (token === 0x0f) {
        this.need(4);
        this.pos += 4;
      } else if (token === 0x0c) nodes.push(this.instance());
      else if ((token & 0xbf) === 0x01) nodes.push(this.element(0));
      else if (token === 0x0a) nodes.push(this.pi());
      else fail(`unexpected token 0x${token.toString(16)} in fragment`, this.pos);
    }
    return nodes;
  }

  private elementLayout(start: number, withDependencyId: boolean): number {
    const b = this.tables.bytes;
    const sizeAt = start + 1 + (withDependencyId ? 2 : 0);
    if (sizeAt + 8 > this.end) return -1;
    const dataEnd = sizeAt + 4 + u32(b, sizeAt);
    if (dataEnd > this.end) return -1;
    const nameOffset = u32(b, sizeAt + 4);
    if (nameOffset > sizeAt + 8 || nameOffset < CHUNK_HEADER) return -1;
    try {
      this.tables.name(nameOffset);
    } catch {
      return -1;
    }
    return sizeAt;
  }

  element(depth: number): ElementNode {
    if (depth > MAX_ELEMENT_DEPTH) fail('elements nested too deep', this.pos);
    const b = this.tables.bytes;
    const start = this.pos;
    const token = b[start]!;
    let sizeAt = this.elementLayout(start, this.inTemplate);
    if (sizeAt < 0) sizeAt = this.elementLayout(start, !this.inTemplate);
    if (sizeAt < 0) fail('element start is not readable', start);
    this.pos = sizeAt + 4;
    const name = this.nameRef();
    const attrs: AttrNode[] = [];
    if ((token & 0x40) !== 0) {
      this.need(4);
      const listEnd = this.pos + 4 + u32(b, this.pos);
      this.pos += 4;
      if (listEnd > this.end) fail('attribute list runs past its element', this.pos);
      while (this.pos < listEnd) {
        const attrToken = b[this.pos]!;
        if ((attrToken & 0xbf) !== 0x06) fail('expected an attribute', this.pos);
        this.pos++;
        const attrName = this.nameRef();
        attrs.push({ name: attrName, value: this.attributeValue() });
        if ((attrToken & 0x40) === 0) break;
      }
    }
    this.need(1);
    const close = b[this.pos++]!;
    if (close === 0x03) return { kind: 'element', name, attrs, children: [] };
    if (close !== 0x02)
      fail(`expected the end of a start tag, found 0x${close.toString(16)}`, this.pos - 1);
    const children: Node[] = [];
    for (;;) {
      this.need(1);
      const t = b[this.pos]!;
      switch (t) {
        case 0x04:
          this.pos++;
          return { kind: 'element', name, attrs, children };
        case 0x01:
        case 0x41:
          children.push(this.element(depth + 1));
          break;
        case 0x0c:
          children.push(this.instance());
          break;
        case 0x0a:
          children.push(this.pi());
          break;
        case 0x07:
        case 0x47:
          this.pos++;
          children.push({ kind: 'cdata', text: this.lengthPrefixedText() });
          break;
        default:
          children.push(this.contentNode(t));
      }
    }
  }

  /** Text, substitutions and references up to the next attribute or the end of the start tag. */
  private attributeValue(): Node[] {
    const b = this.tables.bytes;
    const nodes: Node[] = [];
    while (this.pos < this.end) {
      const t = b[this.pos]!;
      const base = t & 0xbf;
      if (base === 0x05 || base === 0x08 || base === 0x09 || t === 0x0d || t === 0x0e)
        nodes.push(this.contentNode(t));
      else break;
    }
    return nodes;
  }

  private contentNode(t: number): Node {
    const b = this.tables.bytes;
    switch (t) {
      case 0x05:
      case 0x45: {
        this.need(2);
        const type = b[this.pos + 1]!;
        this.pos += 2;
        if (type !== ValueType.String) fail(`value text of type 0x${type.toString(16)}`, this.pos);
        return { kind: 'text', text: this.lengthPrefixedText() };
      }
      case 0x0d:
      case 0x0e: {
        this.need(4);
        const node: SubstitutionNode = {
          kind: 'sub',
          index: u16(b, this.pos + 1),
          type: b[this.pos + 3]!,
          optional: t === 0x0e,
        };
        this.pos += 4;
        return node;
      }
      case 0x08:
      case 0x48: {
        this.need(3);
        const code = u16(b, this.pos + 1);
        this.pos += 3;
        return { kind: 'charref', code };
      }
      case 0x09:
      case 0x49:
        this.pos++;
        return { kind: 'entity', name: this.nameRef() };
      default:
        return fail(`unexpected token 0x${t.toString(16)} in element content`, this.pos);
    }
  }

  private pi(): PINode {
    const b = this.tables.bytes;
    this.pos++;
    const target = this.nameRef();
    this.need(1);
    if (b[this.pos] !== 0x0b) fail('processing instruction without data', this.pos);
    this.pos++;
    return { kind: 'pi', target, data: this.lengthPrefixedText() };
  }

  private lengthPrefixedText(): string {
    this.need(2);
    const count = u16(this.tables.bytes, this.pos);
    this.pos += 2;
    this.need(count * 2);
    const text = utf16Text(this.tables.bytes, this.pos, this.pos + count * 2);
    this.pos += count * 2;
    return text;
  }

  /** A u32 name offset; the name itself follows inline when the offset points right here. */
  private nameRef(): string {
    this.need(4);
    const offset = u32(this.tables.bytes, this.pos);
    this.pos += 4;
    if (offset > this.pos) fail('name offset points forward', this.pos - 4);
    const name = this.tables.name(offset);
    if (offset === this.pos) {
      this.pos += this.tables.nameSize(offset);
      if (this.pos > this.end) fail('inline name runs past the stream', offset);
    }
    return name;
  }

  /** A template instance at the current position (see {@link readInstance}). */
  instance(): InstanceNode {
    const t = instanceScratch;
    readInstance(this.tables, this.pos, this.end, this.depth, this.strict, t);
    // Nothing between reading into the shared scratch and copying out of it reads another instance.
    const values: Value[] = new Array<Value>(t.count);
    for (let i = 0; i < t.count; i++)
      values[i] = { type: t.types[i]!, offset: t.offsets[i]!, size: t.sizes[i]! };
    this.pos = t.end;
    return { kind: 'instance', template: t.template!, values };
  }
}

/**
 * The values of one template instance as parallel arrays, reused from record to record: the
 * index's fast path reads hundreds of thousands of instances a second and must not allocate an
 * object per value.
 */
export class ValueTable {
  types = new Uint8Array(32);
  offsets = new Int32Array(32);
  sizes = new Int32Array(32);
  count = 0;
  template: TemplateDef | null = null;
  /** Offset just past the instance. */
  end = 0;

  reserve(count: number): void {
    if (count <= this.types.length) return;
    const n = Math.max(count, this.types.length * 2);
    this.types = new Uint8Array(n);
    this.offsets = new Int32Array(n);
    this.sizes = new Int32Array(n);
  }
}

const instanceScratch = new ValueTable();

/**
 * Reads the template instance at `pos` (the 0x0c token) into `out`: 0x0c, u8, u32 template id,
 * u32 definition offset (the definition follows inline when it points right after this field,
 * else it was stored earlier in the chunk), then u32 value count, count x (u16 size, u8 type,
 * u8 0), and the values back to back. The one implementation of these rules, used by the full
 * decode and the fast path alike.
 */
export function readInstance(
  tables: ChunkTables,
  pos: number,
  end: number,
  depth: number,
  strict: boolean,
  out: ValueTable,
): void {
  const b = tables.bytes;
  const start = pos;
  if (pos + 10 > end) fail('unexpected end of Binary XML', pos);
  const templateId = u32(b, pos + 2);
  const defOffset = u32(b, pos + 6);
  pos += 10;
  if (defOffset > pos) fail('template definition offset points forward', start);
  const template = tables.template(defOffset, depth);
  if (defOffset === pos) pos = template.end;
  if (strict && templateId !== template.guid0)
    fail('template id does not match the definition', start);
  if (pos + 4 > end) fail('unexpected end of Binary XML', pos);
  const count = u32(b, pos);
  pos += 4;
  if (count > (end - pos) / 4) fail('too many template values', pos - 4);
  out.reserve(count);
  let at = pos + count * 4;
  for (let i = 0; i < count; i++) {
    const d = pos + i * 4;
    const size = u16(b, d);
    out.types[i] = b[d + 2]!;
    out.offsets[i] = at;
    out.sizes[i] = size;
    at += size;
  }
  if (at > end) fail('template values run past the record', pos);
  out.count = count;
  out.template = template;
  out.end = at;
}

/** Parses a nested Binary XML value (type 0x21) of a record. */
export function nestedFragment(
  tables: ChunkTables,
  value: Value,
  depth: number,
  strict: boolean,
): Node[] {
  if (depth > MAX_NESTING) fail('Binary XML values nested too deep', value.offset);
  if (value.size === 0) return [];
  return new StreamParser(
    tables,
    value.offset,
    value.offset + value.size,
    false,
    depth + 1,
    strict,
  ).fragment();
}

// ---- values as text ---------------------------------------------------------------------------

function hexBytes(b: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += b[i]!.toString(16).padStart(2, '0');
  return out.toUpperCase();
}

function guidText(b: Uint8Array, o: number): string {
  const h = (i: number) => b[o + i]!.toString(16).padStart(2, '0');
  return (
    '{' +
    h(3) +
    h(2) +
    h(1) +
    h(0) +
    '-' +
    h(5) +
    h(4) +
    '-' +
    h(7) +
    h(6) +
    '-' +
    h(8) +
    h(9) +
    '-' +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15) +
    '}'
  ).toUpperCase();
}

/** SID: revision, sub-authority count, 48-bit big-endian authority, 32-bit sub-authorities. */
function sidText(b: Uint8Array, o: number, end: number): { text: string; size: number } | null {
  if (o + 8 > end) return null;
  const count = b[o + 1]!;
  const size = 8 + count * 4;
  if (o + size > end) return null;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + b[o + i]!;
  let text = `S-${b[o]!}-${authority}`;
  for (let i = 0; i < count; i++) text += `-${u32(b, o + 8 + i * 4)}`;
  return { text, size };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** ISO 8601 UTC with the 9 fraction digits Windows' own XML rendering uses. */
export function filetimeText(b: Uint8Array, o: number): string {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  const ms = filetimeToMs(b, o);
  const d = new Date(Number.isNaN(ms) ? -11644473600000 : ms);
  if (Number.isNaN(d.getTime())) return hexBytes(b, o, o + 8);
  // 100 ns ticks within the second: (hi * 2^32 + lo) mod 10^7, with 2^32 mod 10^7 = 4967296 so
  // every product stays below 2^53.
  const ticks = ((((hi % 10000000) * 4967296) % 10000000) + (lo % 10000000)) % 10000000;
  return isoSeconds(d) + '.' + pad(ticks, 7) + '00Z';
}

function isoSeconds(d: Date): string {
  const year = d.getUTCFullYear();
  return (
    (year < 0 ? '-' + pad(-year, 6) : year > 9999 ? '+' + pad(year, 6) : pad(year, 4)) +
    '-' +
    pad(d.getUTCMonth() + 1, 2) +
    '-' +
    pad(d.getUTCDate(), 2) +
    'T' +
    pad(d.getUTCHours(), 2) +
    ':' +
    pad(d.getUTCMinutes(), 2) +
    ':' +
    pad(d.getUTCSeconds(), 2)
  );
}

/** SYSTEMTIME: year, month, day of week, day, hour, minute, second, milliseconds (u16 each). */
function systemtimeText(b: Uint8Array, o: number): string {
  const f = (i: number) => u16(b, o + i * 2);
  return (
    pad(f(0), 4) +
    '-' +
    pad(f(1), 2) +
    '-' +
    pad(f(3), 2) +
    'T' +
    pad(f(4), 2) +
    ':' +
    pad(f(5), 2) +
    ':' +
    pad(f(6), 2) +
    '.' +
    pad(f(7), 3) +
    '000000Z'
  );
}

/** Element size of fixed-size array types, by base type. */
function itemSize(base: number, total: number): number {
  switch (base) {
    case ValueType.Int8:
    case ValueType.UInt8:
      return 1;
    case ValueType.Int16:
    case ValueType.UInt16:
      return 2;
    case ValueType.Int32:
    case ValueType.UInt32:
    case ValueType.Real32:
    case ValueType.Bool:
    case ValueType.HexInt32:
      return 4;
    case ValueType.Int64:
    case ValueType.UInt64:
    case ValueType.Real64:
    case ValueType.FileTime:
    case ValueType.HexInt64:
      return 8;
    case ValueType.SizeT:
      return total % 8 === 0 ? 8 : 4;
    case ValueType.Guid:
    case ValueType.SysTime:
      return 16;
    default:
      return 0;
  }
}

/**
 * Text of one scalar value of type `type` in `[o, o + size)`, as Windows renders event XML:
 * decimal integers, lowercase 0x-hex for the hex types, uppercase braced GUIDs, uppercase hex for
 * binary, `S-1-…` SIDs, ISO times. A value whose size does not fit its type is shown as hex.
 */
export function scalarText(b: Uint8Array, type: number, o: number, size: number): string {
  const end = o + size;
  const fixed = (n: number) => size === n;
  switch (type) {
    case ValueType.Null:
      return '';
    case ValueType.String:
      return utf16Text(b, o, utf16End(b, o, end));
    case ValueType.AnsiString: {
      let e = o;
      while (e < end && b[e] !== 0) e++;
      return cp1252Text(b, o, e);
    }
    case ValueType.Int8:
      if (fixed(1)) return String((b[o]! << 24) >> 24);
      break;
    case ValueType.UInt8:
      if (fixed(1)) return String(b[o]!);
      break;
    case ValueType.Int16:
      if (fixed(2)) return String((u16(b, o) << 16) >> 16);
      break;
    case ValueType.UInt16:
      if (fixed(2)) return String(u16(b, o));
      break;
    case ValueType.Int32:
      if (fixed(4)) return String(u32(b, o) | 0);
      break;
    case ValueType.UInt32:
      if (fixed(4)) return String(u32(b, o));
      break;
    case ValueType.Int64:
      if (fixed(8)) return BigInt.asIntN(64, u64Big(b, o)).toString();
      break;
    case ValueType.UInt64:
      if (fixed(8)) return u64Big(b, o).toString();
      break;
    case ValueType.Real32:
      if (fixed(4)) {
        const v = new DataView(b.buffer, b.byteOffset + o, 4).getFloat32(0, true);
        return String(Number(v.toPrecision(7)));
      }
      break;
    case ValueType.Real64:
      if (fixed(8)) return String(new DataView(b.buffer, b.byteOffset + o, 8).getFloat64(0, true));
      break;
    case ValueType.Bool:
      if (fixed(4) || fixed(1) || fixed(2)) {
        let v = 0;
        for (let i = o; i < end; i++) v |= b[i]!;
        return v !== 0 ? 'true' : 'false';
      }
      break;
    case ValueType.Binary:
      return hexBytes(b, o, end);
    case ValueType.Guid:
      if (fixed(16)) return guidText(b, o);
      break;
    case ValueType.SizeT:
    case ValueType.HexInt32:
    case ValueType.HexInt64:
      if (fixed(4)) return '0x' + u32(b, o).toString(16);
      if (fixed(8)) return '0x' + u64Big(b, o).toString(16);
      break;
    case ValueType.FileTime:
      if (fixed(8)) return filetimeText(b, o);
      break;
    case ValueType.SysTime:
      if (fixed(16)) return systemtimeText(b, o);
      break;
    case ValueType.Sid: {
      const sid = sidText(b, o, end);
      if (sid) return sid.text;
      break;
    }
  }
  return hexBytes(b, o, end);
}

/** The items of an array value (type has the 0x80 bit): strings split at NULs, fixed sizes by width. */
export function arrayItems(b: Uint8Array, type: number, o: number, size: number): string[] {
  const base = type & 0x7f;
  const end = o + size;
  const items: string[] = [];
  if (base === ValueType.String) {
    let start = o;
    for (let i = o; i + 1 < end; i += 2) {
      if (b[i] === 0 && b[i + 1] === 0) {
        items.push(utf16Text(b, start, i));
        start = i + 2;
      }
    }
    if (start + 1 < end) items.push(utf16Text(b, start, end));
    return items;
  }
  if (base === ValueType.AnsiString) {
    let start = o;
    for (let i = o; i < end; i++) {
      if (b[i] === 0) {
        items.push(cp1252Text(b, start, i));
        start = i + 1;
      }
    }
    if (start < end) items.push(cp1252Text(b, start, end));
    return items;
  }
  if (base === ValueType.Sid) {
    for (let at = o; at < end;) {
      const sid = sidText(b, at, end);
      if (!sid) {
        items.push(hexBytes(b, at, end));
        break;
      }
      items.push(sid.text);
      at += sid.size;
    }
    return items;
  }
  const width = itemSize(base, size);
  if (width === 0) return [hexBytes(b, o, end)];
  for (let at = o; at + width <= end; at += width) items.push(scalarText(b, base, at, width));
  if (size % width !== 0) items.push(hexBytes(b, end - (size % width), end));
  return items;
}
