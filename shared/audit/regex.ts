import { err, ok, type Result } from '../result';

/**
 * The part of PCRE that address patterns in deployed configurations use, compiled to a Thompson
 * NFA so that the audit can decide exactly which strings a pattern matches. Anything outside that
 * part (backreferences, lookaround, inline flags, possessive or atomic groups, `\x..`, `\Q…\E`,
 * POSIX classes, `{,n}`, …) is refused with its name: a guess would make the audit's numbers lie.
 *
 * Semantics follow PCRE with Apache's options (no multiline, no dotall, no extended): `.` is any
 * character but a newline, `^` is the start, `$` the end (strings here never end in a newline),
 * lazy quantifiers match the same set of strings as greedy ones.
 */

/** A set of UTF-16 code units: inclusive ranges, possibly negated. */
interface CharSet {
  readonly ranges: readonly (readonly [number, number])[];
  readonly negated: boolean;
}

type Assertion = 'start' | 'end' | 'word-boundary' | 'not-word-boundary';

type Node =
  | { readonly type: 'chars'; readonly set: CharSet }
  | { readonly type: 'sequence'; readonly items: readonly Node[] }
  | { readonly type: 'alternation'; readonly options: readonly Node[] }
  | {
      readonly type: 'repeat';
      readonly node: Node;
      readonly min: number;
      readonly max: number | null;
    }
  | { readonly type: 'assert'; readonly assertion: Assertion };

const code = (c: string): number => c.charCodeAt(0);
const DIGITS: CharSet = { ranges: [[48, 57]], negated: false };
const WORD: CharSet = {
  ranges: [
    [48, 57],
    [65, 90],
    [95, 95],
    [97, 122],
  ],
  negated: false,
};
// PCRE's \s: space, \t \n \v \f \r.
const SPACE: CharSet = {
  ranges: [
    [9, 13],
    [32, 32],
  ],
  negated: false,
};
const NOT_NEWLINE: CharSet = { ranges: [[10, 10]], negated: true };
const negate = (set: CharSet): CharSet => ({ ranges: set.ranges, negated: !set.negated });
const literal = (c: string): CharSet => ({ ranges: [[code(c), code(c)]], negated: false });

/** The largest NFA the audit builds; `{n,m}` expansion beyond it is refused, not truncated. */
const MAX_STATES = 20_000;
const MAX_REPEAT = 1000;

class PatternError extends Error {}

function parsePattern(source: string): Node {
  let pos = 0;
  const peek = (offset = 0): string => source.charAt(pos + offset);
  const unsupported = (what: string): never => {
    throw new PatternError(`uses ${what}, which LogSieve's audit does not evaluate`);
  };
  const invalid = (what: string): never => {
    throw new PatternError(`is not a valid PCRE pattern: ${what}`);
  };

  const classEscape = (c: string): CharSet | undefined => {
    switch (c) {
      case 'd':
        return DIGITS;
      case 'D':
        return negate(DIGITS);
      case 'w':
        return WORD;
      case 'W':
        return negate(WORD);
      case 's':
        return SPACE;
      case 'S':
        return negate(SPACE);
      default:
        return undefined;
    }
  };

  /** After a backslash: a class, or the literal character for an escaped non-alphanumeric. */
  const escapedChar = (c: string): CharSet => {
    if (c === '') invalid('`\\` at the end of the pattern');
    const set = classEscape(c);
    if (set) return set;
    if (/[A-Za-z0-9]/.test(c)) unsupported(`the escape \`\\${c}\``);
    return literal(c);
  };

  const parseClass = (): Node => {
    pos += 1; // [
    let negated = false;
    if (peek() === '^') {
      negated = true;
      pos += 1;
    }
    const ranges: [number, number][] = [];
    let first = true;
    for (;;) {
      const c = peek();
      if (c === '') invalid('missing `]` at the end of a character class');
      if (c === ']' && !first) {
        pos += 1;
        break;
      }
      first = false;
      if (c === '[' && /^\[[:.=]/.test(source.slice(pos)))
        unsupported('a POSIX class like `[:digit:]`');
      let low: number;
      if (c === '\\') {
        const set = escapedChar(peek(1));
        pos += 2;
        if (set.negated || set.ranges.length !== 1 || set.ranges[0]?.[0] !== set.ranges[0]?.[1]) {
          // \d, \w, \s inside a class, added whole; a `-` after one is literal in PCRE.
          if (set.negated) unsupported('a negated class escape inside `[…]`');
          ranges.push(...set.ranges.map(([a, b]) => [a, b] as [number, number]));
          continue;
        }
        low = set.ranges[0]?.[0] ?? 0;
      } else {
        low = code(c);
        pos += 1;
      }
      if (peek() === '-' && peek(1) !== ']' && peek(1) !== '') {
        pos += 1;
        let high: number;
        if (peek() === '\\') {
          const set = escapedChar(peek(1));
          if (set.negated || set.ranges.length !== 1 || set.ranges[0]?.[0] !== set.ranges[0]?.[1]) {
            unsupported('a class escape as the end of a range');
          }
          high = set.ranges[0]?.[0] ?? 0;
          pos += 2;
        } else {
          high = code(peek());
          pos += 1;
        }
        if (high < low) invalid('a range out of order in a character class');
        ranges.push([low, high]);
      } else {
        ranges.push([low, low]);
      }
    }
    return { type: 'chars', set: { ranges, negated } };
  };

  const parseGroupOpening = (): void => {
    // At `(`: plain, `(?:`, or a named capture; everything else is refused by name.
    pos += 1;
    if (peek() !== '?') {
      if (peek() === '*') unsupported('a backtracking verb `(*…)`');
      return;
    }
    const rest = source.slice(pos);
    if (rest.startsWith('?:')) {
      pos += 2;
      return;
    }
    const named = /^\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|'[A-Za-z_][A-Za-z0-9_]*')/.exec(rest);
    if (named) {
      pos += named[0].length;
      return;
    }
    if (/^\?(?:=|!|<=|<!)/.test(rest)) unsupported('lookaround `(?=…)`/`(?!…)`');
    if (rest.startsWith('?>')) unsupported('an atomic group `(?>…)`');
    if (rest.startsWith('?#')) unsupported('a comment group `(?#…)`');
    if (rest.startsWith('?|')) unsupported('a branch-reset group `(?|…)`');
    if (/^\?[-A-Za-z^]*[:)]/.test(rest)) unsupported('inline options such as `(?i)`');
    unsupported('a `(?…)` group');
  };

  const parseAtom = (): Node | undefined => {
    const c = peek();
    switch (c) {
      case '(': {
        parseGroupOpening();
        const inner = parseAlternation();
        if (peek() !== ')') invalid('missing `)`');
        pos += 1;
        return inner;
      }
      case '[':
        return parseClass();
      case '.':
        pos += 1;
        return { type: 'chars', set: NOT_NEWLINE };
      case '^':
        pos += 1;
        return { type: 'assert', assertion: 'start' };
      case '$':
        pos += 1;
        return { type: 'assert', assertion: 'end' };
      case '\\': {
        const e = peek(1);
        const anchors: Record<string, Assertion | undefined> = {
          b: 'word-boundary',
          B: 'not-word-boundary',
          A: 'start',
          z: 'end',
          Z: 'end',
        };
        const anchor = anchors[e];
        if (anchor) {
          pos += 2;
          return { type: 'assert', assertion: anchor };
        }
        if (/[1-9gk]/.test(e)) unsupported('a backreference');
        if (e === 'Q') unsupported('quoting with `\\Q…\\E`');
        const set = escapedChar(e);
        pos += 2;
        return { type: 'chars', set };
      }
      case '*':
      case '+':
      case '?':
        return invalid(`\`${c}\` with nothing to repeat`);
      default:
        if (c === '{' && /^\{\d+(?:,\d*)?\}/.test(source.slice(pos))) {
          return invalid('`{…}` with nothing to repeat');
        }
        pos += 1;
        return { type: 'chars', set: literal(c) };
    }
  };

  const parseQuantifier = (): { min: number; max: number | null } | undefined => {
    const c = peek();
    let bounds: { min: number; max: number | null } | undefined;
    if (c === '*') bounds = { min: 0, max: null };
    else if (c === '+') bounds = { min: 1, max: null };
    else if (c === '?') bounds = { min: 0, max: 1 };
    if (bounds) {
      pos += 1;
    } else if (c === '{') {
      const rest = source.slice(pos);
      if (/^\{,\d+\}/.test(rest)) unsupported('`{,n}` (its meaning depends on the PCRE version)');
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(rest);
      if (!m) return undefined; // a literal `{`, as in PCRE
      const min = Number(m[1]);
      const max =
        m[2] === undefined ? min : m[3] === '' || m[3] === undefined ? null : Number(m[3]);
      if (max !== null && max < min) invalid('numbers out of order in `{n,m}`');
      if (min > MAX_REPEAT || (max ?? 0) > MAX_REPEAT)
        unsupported(`a repeat count above ${MAX_REPEAT}`);
      bounds = { min, max };
      pos += m[0].length;
    } else {
      return undefined;
    }
    if (peek() === '+') unsupported('a possessive quantifier');
    if (peek() === '?') pos += 1; // lazy: same set of matched strings
    return bounds;
  };

  const startsQuantifier = (): boolean => {
    const c = peek();
    return (
      c === '*' ||
      c === '+' ||
      c === '?' ||
      (c === '{' && /^\{\d+(?:,\d*)?\}/.test(source.slice(pos)))
    );
  };

  const parseSequence = (): Node => {
    const items: Node[] = [];
    while (pos < source.length && peek() !== '|' && peek() !== ')') {
      const atom = parseAtom();
      if (atom === undefined) continue;
      const quantifier = parseQuantifier();
      if (quantifier) {
        if (atom.type === 'assert') unsupported('a repeated anchor');
        items.push({ type: 'repeat', node: atom, ...quantifier });
        if (startsQuantifier()) unsupported('a quantifier directly after a quantifier');
      } else {
        items.push(atom);
      }
    }
    return { type: 'sequence', items };
  };

  const parseAlternation = (): Node => {
    const options = [parseSequence()];
    while (peek() === '|') {
      pos += 1;
      options.push(parseSequence());
    }
    return options.length === 1 && options[0] ? options[0] : { type: 'alternation', options };
  };

  const tree = parseAlternation();
  if (pos < source.length) invalid('a `)` without its `(`');
  return tree;
}

/** NFA state: out-edges only. The accepting state is `Nfa.accept`. */
type Edge =
  | { readonly kind: 'epsilon'; readonly to: number }
  | { readonly kind: 'char'; readonly set: CharSet; readonly to: number }
  | { readonly kind: 'assert'; readonly assertion: Assertion; readonly to: number };

export interface Nfa {
  readonly edges: readonly (readonly Edge[])[];
  readonly start: number;
  readonly accept: number;
  /** `SetEnvIfNoCase`: letters match either case. */
  readonly caseless: boolean;
}

function buildNfa(tree: Node, caseless: boolean): Nfa {
  const edges: Edge[][] = [];
  const newState = (): number => {
    if (edges.length >= MAX_STATES)
      throw new PatternError('is too large for the audit to evaluate');
    edges.push([]);
    return edges.length - 1;
  };
  const link = (from: number, edge: Edge): void => {
    edges[from]?.push(edge);
  };
  /** Builds `node` between fresh states and returns them. */
  const build = (node: Node): { start: number; end: number } => {
    const start = newState();
    switch (node.type) {
      case 'chars': {
        const end = newState();
        link(start, { kind: 'char', set: node.set, to: end });
        return { start, end };
      }
      case 'assert': {
        const end = newState();
        link(start, { kind: 'assert', assertion: node.assertion, to: end });
        return { start, end };
      }
      case 'sequence': {
        let end = start;
        for (const item of node.items) {
          const part = build(item);
          link(end, { kind: 'epsilon', to: part.start });
          end = part.end;
        }
        return { start, end };
      }
      case 'alternation': {
        const end = newState();
        for (const option of node.options) {
          const part = build(option);
          link(start, { kind: 'epsilon', to: part.start });
          link(part.end, { kind: 'epsilon', to: end });
        }
        return { start, end };
      }
      case 'repeat': {
        let end = start;
        for (let i = 0; i < node.min; i += 1) {
          const part = build(node.node);
          link(end, { kind: 'epsilon', to: part.start });
          end = part.end;
        }
        if (node.max === null) {
          const loop = build(node.node);
          const after = newState();
          link(end, { kind: 'epsilon', to: loop.start });
          link(end, { kind: 'epsilon', to: after });
          link(loop.end, { kind: 'epsilon', to: loop.start });
          link(loop.end, { kind: 'epsilon', to: after });
          return { start, end: after };
        }
        const after = newState();
        for (let i = node.min; i < node.max; i += 1) {
          link(end, { kind: 'epsilon', to: after });
          const part = build(node.node);
          link(end, { kind: 'epsilon', to: part.start });
          end = part.end;
        }
        link(end, { kind: 'epsilon', to: after });
        return { start, end: after };
      }
    }
  };
  const { start, end } = build(tree);
  return { edges, start, accept: end, caseless };
}

/** Compiles `source` as Apache would (`SetEnvIf`, or `SetEnvIfNoCase` with `caseless`). */
export function compilePattern(source: string, caseless = false): Result<Nfa, string> {
  try {
    return ok(buildNfa(parsePattern(source), caseless));
  } catch (error) {
    if (error instanceof PatternError) return err(error.message);
    throw error;
  }
}

const isWordChar = (c: number | null): boolean =>
  c !== null && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95 || (c >= 97 && c <= 122));

function setContains(set: CharSet, c: number, caseless: boolean): boolean {
  const inRanges = (x: number): boolean => set.ranges.some(([low, high]) => low <= x && x <= high);
  let found = inRanges(c);
  if (!found && caseless) {
    if (c >= 65 && c <= 90) found = inRanges(c + 32);
    else if (c >= 97 && c <= 122) found = inRanges(c - 32);
  }
  return found !== set.negated;
}

function assertionHolds(
  assertion: Assertion,
  previous: number | null,
  next: number | null,
): boolean {
  switch (assertion) {
    case 'start':
      return previous === null;
    case 'end':
      return next === null;
    case 'word-boundary':
      return isWordChar(previous) !== isWordChar(next);
    case 'not-word-boundary':
      return isWordChar(previous) === isWordChar(next);
  }
}

/**
 * Runs the NFA over text one character at a time with search semantics: a match may start at any
 * position (the start state joins the threads at every step). Thread sets are interned as small
 * integers and each (threads, previous character kind, next character) step is computed once,
 * so repeated walks (the address-space count) cost a map lookup per character.
 */
export class PatternRunner {
  private readonly sets: number[][] = [];
  private readonly setIds = new Map<string, number>();
  private readonly steps = new Map<string, { readonly matched: boolean; readonly next: number }>();
  /** Thread-set id of "no threads yet": the state before the first character. */
  readonly initial: number;

  constructor(private readonly nfa: Nfa) {
    this.initial = this.intern([]);
  }

  private intern(states: number[]): number {
    const key = states.join(',');
    let id = this.setIds.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(states);
      this.setIds.set(key, id);
    }
    return id;
  }

  /**
   * One position of the search: `previous` is the character before it (null at the start),
   * `next` the one after (null at the end). `matched` says a match ends here; `next` is the
   * thread set after consuming `next` (meaningless when `next` is null).
   */
  step(
    threads: number,
    previous: number | null,
    next: number | null,
  ): { matched: boolean; next: number } {
    const previousKind = previous === null ? 's' : isWordChar(previous) ? 'w' : 'n';
    const key = `${threads}|${previousKind}|${next ?? 'end'}`;
    const cached = this.steps.get(key);
    if (cached) return cached;

    const { edges, start, accept, caseless } = this.nfa;
    const closure = new Set<number>();
    const stack = [...(this.sets[threads] ?? []), start];
    while (stack.length > 0) {
      const state = stack.pop() ?? start;
      if (closure.has(state)) continue;
      closure.add(state);
      for (const edge of edges[state] ?? []) {
        if (edge.kind === 'epsilon') stack.push(edge.to);
        else if (edge.kind === 'assert' && assertionHolds(edge.assertion, previous, next))
          stack.push(edge.to);
      }
    }
    const matched = closure.has(accept);
    const following = new Set<number>();
    if (!matched && next !== null) {
      for (const state of closure) {
        for (const edge of edges[state] ?? []) {
          if (edge.kind === 'char' && setContains(edge.set, next, caseless)) following.add(edge.to);
        }
      }
    }
    const result = { matched, next: this.intern([...following].sort((a, b) => a - b)) };
    this.steps.set(key, result);
    return result;
  }

  /** Whether the pattern matches anywhere in `text` (PCRE search, as Apache runs it). */
  test(text: string): boolean {
    let threads = this.initial;
    let previous: number | null = null;
    for (let i = 0; i <= text.length; i += 1) {
      const next = i < text.length ? text.charCodeAt(i) : null;
      const result = this.step(threads, previous, next);
      if (result.matched) return true;
      threads = result.next;
      previous = next;
    }
    return false;
  }
}
