import { showValue } from '../display';
import { err, ok, userError, type Result } from '../result';

/**
 * A strict JSON reader that remembers where every value and key was, so that a bad filter-set
 * file is explained at its line and column ("rule 3 `lb`: srcIp … at 12:18"), not just "invalid".
 * `JSON.parse` cannot do that, and it silently keeps the last of two equal keys: a file with
 * `"srcIp"` twice in one rule would lose addresses without a word. Here duplicate keys are errors.
 *
 * Objects come back with a null prototype, so a key such as `__proto__` is just an unknown key.
 * Nesting deeper than `MAX_DEPTH` is refused instead of overflowing the stack.
 */

export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
}

export interface ParsedJson {
  readonly value: unknown;
  /** Where each value starts, by JSON pointer (`/rules/2/when/srcIp/0`; `` for the root). */
  readonly valueAt: ReadonlyMap<string, SourcePosition>;
  /** Where each object key starts, by the pointer of the value it names. */
  readonly keyAt: ReadonlyMap<string, SourcePosition>;
}

const MAX_DEPTH = 64;

const SIMPLE_ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

/** RFC 6901 pointer for a path, e.g. `['rules', 2, 'when']` → `/rules/2/when`. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseJsonWithPositions(text: string): Result<ParsedJson> {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  }
  const positionOf = (offset: number): SourcePosition => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };

  const valueAt = new Map<string, SourcePosition>();
  const keyAt = new Map<string, SourcePosition>();
  // A byte-order mark is what Windows editors put first; it is not part of the JSON.
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(message, at);
  };
  const describeHere = (): string => {
    if (pos >= text.length) return 'the end of the file';
    const c = text.charAt(pos);
    return /[\x21-\x7e]/.test(c)
      ? `\`${c}\``
      : `character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  };
  const skipWhitespace = (): void => {
    for (;;) {
      const c = text.charAt(pos);
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        pos += 1;
      } else if (c === '/' && (text.charAt(pos + 1) === '/' || text.charAt(pos + 1) === '*')) {
        fail('comments are not allowed in JSON');
      } else {
        return;
      }
    }
  };

  const parseString = (): string => {
    const start = pos;
    pos += 1; // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start);
      const c = text.charAt(pos);
      if (c === '"') {
        pos += 1;
        return out;
      }
      if (c === '\\') {
        const e = text.charAt(pos + 1);
        const unescaped = SIMPLE_ESCAPES.get(e);
        if (unescaped !== undefined) {
          out += unescaped;
          pos += 2;
        } else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else {
          fail('invalid escape in string (JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
        }
      } else if (c.charCodeAt(0) < 0x20) {
        fail('control character in string (write it as an escape, e.g. \\n)');
      } else {
        out += c;
        pos += 1;
      }
    }
  };

  const parseNumber = (): number => {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(pos));
    if (!match) return fail(`unexpected ${describeHere()}`);
    pos += match[0].length;
    return Number(match[0]);
  };

  const parseValue = (path: readonly (string | number)[], depth: number): unknown => {
    skipWhitespace();
    if (depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`);
    valueAt.set(jsonPointer(path), positionOf(pos));
    const c = text.charAt(pos);
    if (c === '{') return parseObject(path, depth);
    if (c === '[') return parseArray(path, depth);
    if (c === '"') return parseString();
    if (c === '-' || (c >= '0' && c <= '9')) return parseNumber();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return fail(`unexpected ${describeHere()} where a value was expected`);
  };

  const parseObject = (path: readonly (string | number)[], depth: number): unknown => {
    const object = Object.create(null) as Record<string, unknown>;
    pos += 1;
    skipWhitespace();
    if (text.charAt(pos) === '}') {
      pos += 1;
      return object;
    }
    for (;;) {
      skipWhitespace();
      if (text.charAt(pos) !== '"') {
        fail(
          text.charAt(pos) === '}'
            ? 'trailing comma before `}` is not allowed in JSON'
            : `expected a quoted key, found ${describeHere()}`,
        );
      }
      const keyStart = pos;
      const key = parseString();
      const childPath = [...path, key];
      if (Object.prototype.hasOwnProperty.call(object, key)) {
        fail(
          `duplicate key ${showValue(key)} (JSON readers would silently keep only the last one)`,
          keyStart,
        );
      }
      keyAt.set(jsonPointer(childPath), positionOf(keyStart));
      skipWhitespace();
      if (text.charAt(pos) !== ':')
        fail(`expected \`:\` after key ${showValue(key)}, found ${describeHere()}`);
      pos += 1;
      Object.defineProperty(object, key, {
        value: parseValue(childPath, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      skipWhitespace();
      if (text.charAt(pos) === ',') {
        pos += 1;
        continue;
      }
      if (text.charAt(pos) === '}') {
        pos += 1;
        return object;
      }
      fail(`expected \`,\` or \`}\` after the value of ${showValue(key)}, found ${describeHere()}`);
    }
  };

  const parseArray = (path: readonly (string | number)[], depth: number): unknown => {
    const items: unknown[] = [];
    pos += 1;
    skipWhitespace();
    if (text.charAt(pos) === ']') {
      pos += 1;
      return items;
    }
    for (;;) {
      skipWhitespace();
      if (text.charAt(pos) === ']') fail('trailing comma before `]` is not allowed in JSON');
      items.push(parseValue([...path, items.length], depth + 1));
      skipWhitespace();
      if (text.charAt(pos) === ',') {
        pos += 1;
        continue;
      }
      if (text.charAt(pos) === ']') {
        pos += 1;
        return items;
      }
      fail(`expected \`,\` or \`]\` in a list, found ${describeHere()}`);
    }
  };

  try {
    const value = parseValue([], 0);
    skipWhitespace();
    if (pos < text.length) fail(`unexpected ${describeHere()} after the end of the JSON value`);
    return ok({ value, valueAt, keyAt });
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = positionOf(error.offset);
    return err(
      userError('json.syntax', `Not valid JSON: ${error.message}.`, {
        line: at.line,
        column: at.column,
        hint: 'Filter-set files are plain JSON; check the file at this line and column.',
      }),
    );
  }
}
