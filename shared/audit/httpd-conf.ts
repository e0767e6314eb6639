import { showValue } from '../display';
import { parseIpAddress, parseIpv4 } from '../net/address';
import { ipv4RangeRegex } from '../net/ipv4-regex';
import {
  describeRange,
  formatCidr,
  maskedCidr,
  cidrRange,
  parseWrittenCidr,
  rangeToCidrs,
  type IpRange,
} from '../net/range';
import {
  countAddresses,
  MAX_LISTED_RANGES,
  normalizeRanges,
  overMatchProblem,
  sameRanges,
  type AuditedDirective,
} from './directive';
import { Ipv4Language } from './ipv4-language';
import { compilePattern, PatternRunner } from './regex';

/**
 * Audit of `SetEnvIf`, `SetEnvIfNoCase` and `SetEnvIfExpr` on the client address in an Apache
 * httpd.conf, read the way httpd 2.4 reads it (`ap_cfg_getline`, `ap_getword_conf` in
 * server/util.c): a `\` right before the newline joins the next line, leading and trailing white
 * space goes, `#` starts a comment only at the start of a line, arguments are split on white
 * space with `"…"`/`'…'` quoting, where `\"` and `\\` are unescaped (and `\\` outside quotes too).
 */

export interface LogicalLine {
  /** 1-based line of the first physical line. */
  readonly line: number;
  readonly text: string;
}

const APR_SPACE = /[ \t\n\v\f\r]/;

export function readApacheLines(source: string): LogicalLine[] {
  const physical = source.split('\n');
  const lines: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i += 1) {
    const start = i + 1;
    let text = '';
    for (;;) {
      const raw = (physical[i] ?? '').replace(/\r$/, '');
      if (raw.endsWith('\\') && i + 1 < physical.length) {
        text += raw.slice(0, -1);
        i += 1;
        continue;
      }
      text += raw;
      break;
    }
    const trimmed = text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
    if (trimmed !== '' && !trimmed.startsWith('#')) lines.push({ line: start, text: trimmed });
  }
  return lines;
}

/** `ap_getword_conf` applied until the line is used up. */
export function apacheWords(text: string): string[] {
  const words: string[] = [];
  let pos = 0;
  const unescape = (raw: string, quote: string | null): string => {
    let out = '';
    for (let i = 0; i < raw.length; i += 1) {
      const next = raw.charAt(i + 1);
      if (raw.charAt(i) === '\\' && (next === '\\' || (quote !== null && next === quote))) {
        out += next;
        i += 1;
      } else {
        out += raw.charAt(i);
      }
    }
    return out;
  };
  for (;;) {
    while (pos < text.length && APR_SPACE.test(text.charAt(pos))) pos += 1;
    if (pos >= text.length) return words;
    const quote = text.charAt(pos);
    if (quote === '"' || quote === "'") {
      let end = pos + 1;
      while (end < text.length && text.charAt(end) !== quote) {
        const next = text.charAt(end + 1);
        end += text.charAt(end) === '\\' && (next === quote || next === '\\') ? 2 : 1;
      }
      words.push(unescape(text.slice(pos + 1, end), quote));
      pos = end < text.length ? end + 1 : end;
    } else {
      let end = pos;
      while (end < text.length && !APR_SPACE.test(text.charAt(end))) end += 1;
      words.push(unescape(text.slice(pos, end), null));
      pos = end;
    }
  }
}

/** Variables a SetEnvIf line may set that we can safely write back: `[!]name[=value]`. */
const SAFE_VARIABLE = /^!?[A-Za-z_][A-Za-z0-9_]*(?:=[A-Za-z0-9_.:-]*)?$/;

// mod_setenvif's non_regex_pattern(): without any of these, httpd does a plain substring search.
const REGEX_METACHARACTERS = /[\^.$|()[\]*+?{}]/;

/**
 * What a simple prefix or address pattern was evidently meant to match, reading every `.` as a
 * literal dot: `^172.16.1.` → 172.16.1.0/24, `^10\.` → 10.0.0.0/8, `172.16.1.5` → that address.
 * Anything more elaborate has no guessable intent: it is taken to mean what it matches.
 */
export function intendedRange(pattern: string): IpRange | null {
  const m = /^(\^?)((?:[0-9]+\\?\.){0,3}[0-9]+)(\\?\.)?(\$?)$/.exec(pattern);
  if (!m) return null;
  const octets = (m[2] ?? '').split(/\\?\./);
  const trailingDot = m[3] !== undefined;
  if (octets.length === 4 ? trailingDot : !trailingDot || m[4] === '$') return null;
  const padded = [...octets, ...Array<string>(4 - octets.length).fill('0')].join('.');
  const address = parseIpv4(padded);
  if (!address.ok) return null;
  const cidr = maskedCidr({ family: 4, value: address.value }, octets.length * 8);
  return cidr.network === address.value ? cidrRange(cidr) : null;
}

/** Top-level alternatives of a pattern (outside groups and classes). */
function topLevelAlternatives(pattern: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      i += 1;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (pattern.charAt(i + 1) === '^') i += 1;
      if (pattern.charAt(i + 1) === ']') i += 1;
    } else if (c === '(') {
      depth += 1;
    } else if (c === ')') {
      depth -= 1;
    } else if (c === '|' && depth === 0) {
      parts.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(pattern.slice(start));
  return parts;
}

function hasUnescapedDot(pattern: string): boolean {
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern.charAt(i);
    if (c === '\\') i += 1;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '.') return true;
  }
  return false;
}

const anchoredAtStart = (alternative: string): boolean =>
  /^(?:\((?:\?:)?)*(?:\^|\\A)/.test(alternative);
const anchoredAtEnd = (alternative: string): boolean =>
  /(?:^|[^\\])(?:\\\\)*(?:\$|\\[zZ])\)*$/.test(alternative);

function regexLines(ranges: readonly IpRange[], variables: readonly string[]): string {
  return ranges
    .map(
      (r) =>
        `SetEnvIf Remote_Addr "${ipv4RangeRegex(Number(r.first), Number(r.last))}" ${variables.join(' ')}`,
    )
    .join('\n');
}

function auditSetEnvIf(
  at: LogicalLine,
  words: readonly string[],
  caseless: boolean,
): AuditedDirective {
  const pattern = words[2] ?? '';
  const variables = words.slice(3);
  const problems: string[] = [];
  const hides = variables.some((v) => !v.startsWith('!'));
  const unsafeVariable = variables.find((v) => !SAFE_VARIABLE.test(v));
  const base = { line: at.line, text: at.text, hides };
  const cannotEvaluate = (problem: string): AuditedDirective => ({
    ...base,
    matches: null,
    ranges: [],
    rangesComplete: false,
    problems: [...problems, problem],
    exact: null,
    intended: null,
  });
  if (variables.length === 0)
    problems.push('sets no variable (Apache refuses a SetEnvIf without one)');
  if (pattern.includes('${')) {
    return cannotEvaluate(
      'uses ${…}, whose value is defined elsewhere, so the audit cannot evaluate it',
    );
  }
  const nfa = compilePattern(pattern, caseless);
  if (!nfa.ok) return cannotEvaluate(`pattern ${showValue(pattern)} ${nfa.error}`);

  const language = new Ipv4Language(new PatternRunner(nfa.value));
  const matches = language.count();
  const { ranges, complete } = language.ranges(MAX_LISTED_RANGES);
  const intended = intendedRange(pattern);
  const meant = intended ? [intended] : complete ? ranges : null;
  const overMatches = intended !== null && !(complete && sameRanges(ranges, [intended]));

  if (!REGEX_METACHARACTERS.test(pattern)) {
    problems.push(
      'has no regular-expression characters, so Apache does a substring search: it matches any address containing that text',
    );
  } else {
    if (hasUnescapedDot(pattern))
      problems.push('an unescaped `.` matches any character, not only a dot (write `\\.`)');
    if (overMatches || intended === null) {
      const alternatives = topLevelAlternatives(pattern);
      if (!alternatives.every(anchoredAtStart))
        problems.push(
          'not anchored at the start (`^`): it also matches where the text appears later in the address',
        );
      if (!alternatives.every(anchoredAtEnd))
        problems.push(
          'not anchored at the end (`$`): it also matches longer addresses that start with the same text',
        );
    }
  }
  if (intended && overMatches)
    problems.push(overMatchProblem(matches, [intended], describeRange(intended)));
  if (!complete)
    problems.push(
      `matches addresses in more than ${MAX_LISTED_RANGES} separate ranges; only the first are listed and no exact replacement is written`,
    );
  if (matches === 0) problems.push('matches no IPv4 address at all');
  if (unsafeVariable !== undefined)
    problems.push(
      `variable ${showValue(unsafeVariable)} cannot be written back safely, so no exact replacement is given`,
    );

  return {
    ...base,
    matches,
    ranges,
    rangesComplete: complete,
    problems,
    exact:
      meant !== null && meant.length > 0 && unsafeVariable === undefined && variables.length > 0
        ? regexLines(meant, variables)
        : null,
    intended: meant,
  };
}

/** Addresses in `-R`/`-ipmatch` as APR's apr_ipsubnet_create reads them. */
function readSubnet(text: string): { range: IpRange; problem?: string } | string {
  if (text.includes('/')) {
    const [addressText = '', maskText = ''] = text.split('/', 2);
    if (maskText.includes('.')) {
      const address = parseIpv4(addressText);
      const mask = parseIpv4(maskText);
      if (!address.ok || !mask.ok) return `cannot read ${showValue(text)} as a network`;
      const prefix = mask.value.toString(2).padStart(32, '0').indexOf('0');
      const bits = prefix < 0 ? 32 : prefix;
      if (mask.value !== (1n << 32n) - 1n - ((1n << BigInt(32 - bits)) - 1n)) {
        return `netmask ${showValue(maskText)} is not contiguous`;
      }
      text = `${addressText}/${bits}`;
    }
    const written = parseWrittenCidr(text);
    if (!written.ok) return `cannot read ${showValue(text)} as a network: ${written.error.reason}`;
    const cidr = maskedCidr(written.value.address, written.value.prefix);
    return {
      range: cidrRange(cidr),
      ...(written.value.hostBitsSet
        ? {
            problem: `${showValue(text)} has host bits set; Apache reads it as ${formatCidr(cidr)}`,
          }
        : {}),
    };
  }
  // APR also takes a partial IPv4 address ("10.1" is 10.1.0.0/16), as `Require ip` documents.
  if (/^[0-9]+(?:\.[0-9]+){0,2}$/.test(text)) {
    const octets = text.split('.');
    const address = parseIpv4([...octets, ...Array<string>(4 - octets.length).fill('0')].join('.'));
    if (!address.ok) return `cannot read ${showValue(text)} as an address: ${address.error.reason}`;
    return { range: cidrRange(maskedCidr({ family: 4, value: address.value }, octets.length * 8)) };
  }
  const address = parseIpAddress(text);
  if (!address.ok) return `cannot read ${showValue(text)} as an address: ${address.error.reason}`;
  return {
    range: { family: address.value.family, first: address.value.value, last: address.value.value },
  };
}

type ExprToken = { kind: 'op'; text: string } | { kind: 'string'; text: string };

function tokenizeExpression(expression: string): ExprToken[] | string {
  const tokens: ExprToken[] = [];
  let pos = 0;
  while (pos < expression.length) {
    const rest = expression.slice(pos);
    const space = /^\s+/.exec(rest);
    if (space) {
      pos += space[0].length;
      continue;
    }
    const quote = rest.charAt(0);
    if (quote === "'" || quote === '"') {
      const end = rest.indexOf(quote, 1);
      if (end < 0) return 'has an unterminated string';
      const content = rest.slice(1, end);
      if (content.includes('%{') || content.includes('\\'))
        return `string ${showValue(content)} is not a plain address`;
      tokens.push({ kind: 'string', text: content });
      pos += end + 1;
      continue;
    }
    const op =
      /^(?:\|\||&&|[()!]|-R\b|-ipmatch\b|%\{[A-Za-z_]+\}|-?[A-Za-z_][A-Za-z0-9_]*|\S)/.exec(rest);
    const text = op ? op[0] : rest.charAt(0);
    tokens.push({ kind: 'op', text });
    pos += text.length;
  }
  return tokens;
}

/** `-R 'x' || %{REMOTE_ADDR} -ipmatch 'y' || ( … )`: the only expressions the audit evaluates. */
function evaluateExpression(
  tokens: readonly ExprToken[],
): { ranges: IpRange[]; problems: string[] } | string {
  let pos = 0;
  const ranges: IpRange[] = [];
  const problems: string[] = [];
  const unsupported =
    'is not an OR (||) of -R / -ipmatch tests, the only expressions the audit evaluates';
  const term = (): string | null => {
    const token = tokens[pos];
    if (token?.kind === 'op' && token.text === '(') {
      pos += 1;
      const inner = disjunction();
      if (inner !== null) return inner;
      if (tokens[pos]?.text !== ')') return 'has a `(` without its `)`';
      pos += 1;
      return null;
    }
    let subnet: ExprToken | undefined;
    if (token?.kind === 'op' && token.text === '-R') {
      subnet = tokens[pos + 1];
      pos += 2;
    } else if (
      token?.kind === 'op' &&
      /^%\{REMOTE_ADDR\}$/i.test(token.text) &&
      tokens[pos + 1]?.text === '-ipmatch'
    ) {
      subnet = tokens[pos + 2];
      pos += 3;
    } else {
      return unsupported;
    }
    if (subnet?.kind !== 'string') return unsupported;
    const read = readSubnet(subnet.text);
    if (typeof read === 'string') return read;
    ranges.push(read.range);
    if (read.problem !== undefined) problems.push(read.problem);
    return null;
  };
  const disjunction = (): string | null => {
    for (;;) {
      const problem = term();
      if (problem !== null) return problem;
      if (tokens[pos]?.text !== '||') return null;
      pos += 1;
    }
  };
  const problem = disjunction();
  if (problem !== null) return problem;
  if (pos < tokens.length) return unsupported;
  return { ranges, problems };
}

function auditSetEnvIfExpr(at: LogicalLine, words: readonly string[]): AuditedDirective | null {
  const expression = words[1] ?? '';
  if (!/-R\b|REMOTE_ADDR/i.test(expression)) return null;
  const variables = words.slice(2);
  const hides = variables.some((v) => !v.startsWith('!'));
  const base = { line: at.line, text: at.text, hides };
  const tokens = tokenizeExpression(expression);
  const evaluated = typeof tokens === 'string' ? tokens : evaluateExpression(tokens);
  if (typeof evaluated === 'string') {
    return {
      ...base,
      matches: null,
      ranges: [],
      rangesComplete: false,
      problems: [`expression ${evaluated}`],
      exact: null,
      intended: null,
    };
  }
  const ranges = normalizeRanges(evaluated.ranges);
  const problems = [...evaluated.problems];
  const unsafeVariable = variables.find((v) => !SAFE_VARIABLE.test(v));
  if (variables.length === 0)
    problems.push('sets no variable (Apache refuses a SetEnvIfExpr without one)');
  if (unsafeVariable !== undefined)
    problems.push(
      `variable ${showValue(unsafeVariable)} cannot be written back safely, so no exact replacement is given`,
    );
  const terms = ranges.flatMap((r) => rangeToCidrs(r).map((c) => `-R '${formatCidr(c)}'`));
  return {
    ...base,
    matches: Number(countAddresses(ranges, 4)),
    ranges,
    rangesComplete: true,
    problems,
    exact:
      unsafeVariable === undefined && variables.length > 0 && terms.length > 0
        ? `SetEnvIfExpr "${terms.join(' || ')}" ${variables.join(' ')}`
        : null,
    intended: ranges,
  };
}

export function auditHttpdConf(source: string): AuditedDirective[] {
  const directives: AuditedDirective[] = [];
  for (const line of readApacheLines(source)) {
    const words = apacheWords(line.text);
    const name = (words[0] ?? '').toLowerCase();
    if (
      (name === 'setenvif' || name === 'setenvifnocase') &&
      (words[1] ?? '').toLowerCase() === 'remote_addr'
    ) {
      directives.push(auditSetEnvIf(line, words, name === 'setenvifnocase'));
    } else if (name === 'setenvifexpr') {
      const audited = auditSetEnvIfExpr(line, words);
      if (audited) directives.push(audited);
    }
  }
  return directives;
}
