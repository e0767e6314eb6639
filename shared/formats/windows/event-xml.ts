/**
 * Turns decoded Binary XML (token trees plus substitution values) into the event XML the detail
 * pane shows, and reads an event's fields from it. This is the complete, slower path: the index
 * reads the few columns it needs straight from the values (evtx-chunk.ts) and falls back to this
 * path for every shape it does not handle, so both always agree.
 *
 * Rendering follows [MS-EVEN6] and what Windows shows:
 * - an attribute whose value comes only from NULL substitutions is left out (`<Correlation/>`);
 * - an element holding an array substitution is repeated once per item (MS-EVEN6 3.1.4.7.5;
 *   several arrays in one element are walked in step, item i of each in copy i);
 * - nested Binary XML values (type 0x21) become child elements in place;
 * - entity and character references are resolved, then the text is escaped again for XML.
 */
import type { ChunkTables, Node, Value } from './binxml';
import {
  BinXmlError,
  MAX_NESTING,
  ValueType,
  arrayItems,
  nestedFragment,
  scalarText,
} from './binxml';

export interface XmlElement {
  readonly name: string;
  readonly attrs: [name: string, value: string][];
  readonly children: XmlChild[];
}
export interface XmlPI {
  readonly pi: string;
  readonly data: string;
}
export type XmlChild = XmlElement | XmlPI | string;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** Bound on the elements and text pieces one record may expand to (array and reuse blow-ups). */
export const MAX_OUTPUT_NODES = 100_000;

function isNull(value: Value | undefined): boolean {
  return value === undefined || value.type === ValueType.Null;
}

/** Resolves token trees against their values into an element tree, with a work budget. */
export class Materializer {
  private remaining = MAX_OUTPUT_NODES;

  constructor(
    readonly tables: ChunkTables,
    readonly strict: boolean,
  ) {}

  fragment(nodes: readonly Node[], values: readonly Value[] | null, depth: number): XmlChild[] {
    const out: XmlChild[] = [];
    for (const node of nodes) this.content(node, values, depth, out, null);
    return out;
  }

  private spend(offset: number): void {
    if (--this.remaining < 0) throw new BinXmlError('record expands to too much XML', offset);
  }

  private value(values: readonly Value[] | null, index: number): Value | undefined {
    if (values === null) throw new BinXmlError('substitution outside a template', 0);
    if (index >= values.length)
      throw new BinXmlError(`substitution ${index} of ${values.length} values`, 0);
    return values[index];
  }

  /** Which array item each array-valued substitution of the current element copy stands for. */
  private content(
    node: Node,
    values: readonly Value[] | null,
    depth: number,
    out: XmlChild[],
    item: number | null,
  ): void {
    const b = this.tables.bytes;
    switch (node.kind) {
      case 'element':
        this.element(node, values, depth, out);
        return;
      case 'text':
      case 'cdata':
        pushText(out, node.text);
        return;
      case 'charref':
        pushText(out, String.fromCharCode(node.code));
        return;
      case 'entity':
        pushText(out, ENTITIES[node.name] ?? `&${node.name};`);
        return;
      case 'pi':
        this.spend(0);
        out.push({ pi: node.target, data: node.data });
        return;
      case 'instance':
        this.instance(node.template.nodes, node.values, depth, out);
        return;
      case 'sub': {
        const value = this.value(values, node.index);
        if (value === undefined || isNull(value)) return;
        if (value.type === ValueType.BinXml) {
          const nested = nestedFragment(this.tables, value, depth, this.strict);
          for (const n of nested) this.content(n, null, depth + 1, out, null);
          return;
        }
        if ((value.type & ValueType.Array) !== 0) {
          const items = arrayItems(b, value.type, value.offset, value.size);
          pushText(out, item === null ? items.join(', ') : (items[item] ?? ''));
          return;
        }
        pushText(out, scalarText(b, value.type, value.offset, value.size));
        return;
      }
    }
  }

  private instance(
    nodes: readonly Node[],
    values: readonly Value[],
    depth: number,
    out: XmlChild[],
  ): void {
    if (depth > MAX_NESTING) throw new BinXmlError('templates nested too deep', 0);
    for (const n of nodes) this.content(n, values, depth + 1, out, null);
  }

  private element(
    node: Extract<Node, { kind: 'element' }>,
    values: readonly Value[] | null,
    depth: number,
    out: XmlChild[],
  ): void {
    let copies = 0;
    const arrayLength = (n: Node): void => {
      if (n.kind !== 'sub' || values === null) return;
      const value = values[n.index];
      if (value === undefined || (value.type & ValueType.Array) === 0) return;
      const items = arrayItems(this.tables.bytes, value.type, value.offset, value.size);
      copies = Math.max(copies, items.length, 1);
    };
    for (const attr of node.attrs) attr.value.forEach(arrayLength);
    node.children.forEach(arrayLength);
    const count = copies === 0 ? 1 : copies;
    for (let copy = 0; copy < count; copy++) {
      const item = copies === 0 ? null : copy;
      this.spend(0);
      const attrs: [string, string][] = [];
      for (const attr of node.attrs) {
        const parts: XmlChild[] = [];
        let onlyNull = attr.value.length > 0;
        for (const n of attr.value) {
          if (n.kind !== 'sub' || !isNull(this.value(values, n.index))) onlyNull = false;
          this.content(n, values, depth, parts, item);
        }
        if (!onlyNull) attrs.push([attr.name, textOf(parts)]);
      }
      const children: XmlChild[] = [];
      for (const child of node.children) this.content(child, values, depth, children, item);
      out.push({ name: node.name, attrs, children });
    }
  }
}

function pushText(out: XmlChild[], text: string): void {
  if (text.length === 0) return;
  const last = out.length - 1;
  if (last >= 0 && typeof out[last] === 'string') out[last] = out[last] + text;
  else out.push(text);
}

/** The text content of children (text of nested elements included, PIs left out). */
export function textOf(children: readonly XmlChild[]): string {
  let text = '';
  for (const c of children) {
    if (typeof c === 'string') text += c;
    else if ('name' in c) text += textOf(c.children);
  }
  return text;
}

/** First child element called `name`. */
export function child(e: XmlElement, name: string): XmlElement | undefined {
  for (const c of e.children) if (typeof c !== 'string' && 'name' in c && c.name === name) return c;
  return undefined;
}

export function attr(e: XmlElement | undefined, name: string): string | undefined {
  if (e === undefined) return undefined;
  for (const [n, v] of e.attrs) if (n === name) return v;
  return undefined;
}

export function elements(children: readonly XmlChild[]): XmlElement[] {
  return children.filter((c): c is XmlElement => typeof c !== 'string' && 'name' in c);
}

// ---- XML text ---------------------------------------------------------------------------------

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

/** Indented XML text of an element tree, two spaces per level, as Event Viewer's XML view shows. */
export function renderXml(children: readonly XmlChild[]): string {
  const lines: string[] = [];
  for (const c of children) renderChild(c, '', lines);
  return lines.join('\n');
}

function renderChild(c: XmlChild, indent: string, lines: string[]): void {
  if (typeof c === 'string') {
    lines.push(indent + escapeText(c));
    return;
  }
  if ('pi' in c) {
    lines.push(`${indent}<?${c.pi} ${c.data}?>`);
    return;
  }
  let open = indent + '<' + c.name;
  for (const [n, v] of c.attrs) open += ` ${n}="${escapeAttr(v)}"`;
  if (c.children.length === 0) {
    lines.push(open + '/>');
    return;
  }
  if (c.children.every((x) => typeof x === 'string')) {
    lines.push(`${open}>${escapeText(c.children.join(''))}</${c.name}>`);
    return;
  }
  lines.push(open + '>');
  for (const x of c.children) renderChild(x, indent + '  ', lines);
  lines.push(`${indent}</${c.name}>`);
}
