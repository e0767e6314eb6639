import { showValue } from '../display';
import { formatIpAddress, parseIpAddress } from '../net/address';
import {
  cidrRange,
  formatCidr,
  maskedCidr,
  parseWrittenCidr,
  rangeToCidrs,
  type Cidr,
  type IpRange,
} from '../net/range';
import {
  complementRanges,
  countAddresses,
  normalizeRanges,
  type AuditedDirective,
} from './directive';

/**
 * Audit of the address tests in ProxySG policy: `define subnet` blocks and `client.address=`
 * conditions. CPL compares addresses as addresses (no regex traps), so the findings here are
 * entries that do not parse, networks written with host bits set, and labels defined elsewhere.
 * Syntax: `;` starts a comment, a line ending in `\` continues (CPL guide p.29).
 */

interface LogicalLine {
  readonly line: number;
  readonly text: string;
}

function readCplLines(source: string): LogicalLine[] {
  const physical = source.split('\n');
  const lines: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i += 1) {
    const start = i + 1;
    let text = '';
    for (;;) {
      const code = stripComment((physical[i] ?? '').replace(/\r$/, '')).trimEnd();
      if (code.endsWith('\\') && i + 1 < physical.length) {
        text += `${code.slice(0, -1)} `;
        i += 1;
        continue;
      }
      text += code;
      break;
    }
    const trimmed = text.trim();
    if (trimmed !== '') lines.push({ line: start, text: trimmed });
  }
  return lines;
}

/** Cuts a `;` comment that is not inside a quoted string. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const c = line.charAt(i);
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ';') {
      return line.slice(0, i);
    }
  }
  return line;
}

const CPL_LABEL = /^[A-Za-z][A-Za-z0-9_]*$/;

interface Entry {
  readonly range: IpRange;
  /** The network written back in the exact form. */
  readonly cidr: Cidr;
}

/** One address or network. How ProxySG treats host bits is not documented; we assume masking. */
function readEntry(text: string, problems: string[]): Entry | null {
  if (text.includes('/')) {
    const written = parseWrittenCidr(text);
    if (!written.ok) {
      problems.push(
        `entry ${showValue(text)} is not an address or network: ${written.error.reason}`,
      );
      return null;
    }
    const cidr = maskedCidr(written.value.address, written.value.prefix);
    if (written.value.hostBitsSet) {
      problems.push(
        `entry ${showValue(text)} has host bits set (UNVERIFIED how ProxySG reads it; LogSieve assumes ${formatCidr(cidr)})`,
      );
    }
    return { range: cidrRange(cidr), cidr };
  }
  const address = parseIpAddress(text);
  if (!address.ok) {
    problems.push(`entry ${showValue(text)} is not an address or network: ${address.error.reason}`);
    return null;
  }
  const cidr = maskedCidr(address.value, address.value.family === 4 ? 32 : 128);
  return { range: cidrRange(cidr), cidr };
}

function entryText(cidr: Cidr): string {
  const single = cidr.prefix === (cidr.family === 4 ? 32 : 128);
  return single ? formatIpAddress({ family: cidr.family, value: cidr.network }) : formatCidr(cidr);
}

function canonicalEntries(ranges: readonly IpRange[]): string[] {
  return normalizeRanges(ranges).flatMap((r) => rangeToCidrs(r).map(entryText));
}

interface Subnet {
  readonly label: string;
  readonly line: number;
  readonly lines: string[];
  readonly ranges: IpRange[];
  readonly problems: string[];
}

const CLIENT_ADDRESS = /client\.address=(!?)(\([^)]*\)|[^\s()]+)/gi;
const TURNS_LOG_OFF = /access_log(?:\.[^\s(]+)?\(\s*no\s*\)/i;

export function auditCplPolicy(source: string): AuditedDirective[] {
  const lines = readCplLines(source);
  const subnets = new Map<string, Subnet>();
  const blocks: Subnet[] = [];
  const conditionLines: LogicalLine[] = [];
  let open: Subnet | null = null;
  for (const line of lines) {
    if (open !== null) {
      open.lines.push(line.text);
      if (/^end(?:\s|$)/i.test(line.text)) {
        open = null;
        continue;
      }
      for (const token of line.text.split(/[\s,]+/).filter((t) => t !== '')) {
        const entry = readEntry(token, open.problems);
        if (entry) open.ranges.push(entry.range);
      }
      continue;
    }
    const definition = /^define\s+subnet\s+(\S+)\s*$/i.exec(line.text);
    if (definition) {
      open = {
        label: definition[1] ?? '',
        line: line.line,
        lines: [line.text],
        ranges: [],
        problems: [],
      };
      blocks.push(open);
      subnets.set(open.label.toLowerCase(), open);
      continue;
    }
    if (/client\.address=/i.test(line.text)) conditionLines.push(line);
  }
  if (open !== null) open.problems.push('has no `end` line');

  const usedToHide = new Set<string>();
  const directives: AuditedDirective[] = [];
  for (const line of conditionLines) {
    for (const match of line.text.matchAll(CLIENT_ADDRESS)) {
      const negated = match[1] === '!';
      const value = match[2] ?? '';
      const items = value.startsWith('(')
        ? value
            .slice(1, -1)
            .split(',')
            .map((s) => s.trim())
        : [value];
      const problems: string[] = [];
      const ranges: IpRange[] = [];
      const exactItems: string[] = [];
      let resolvable = true;
      let literals = 0;
      for (const item of items) {
        if (CPL_LABEL.test(item)) {
          const subnet = subnets.get(item.toLowerCase());
          if (subnet === undefined) {
            problems.push(
              `subnet ${showValue(item)} is not defined in this file, so what it matches is unknown here`,
            );
            resolvable = false;
          } else {
            ranges.push(...subnet.ranges);
            if (TURNS_LOG_OFF.test(line.text) && !negated)
              usedToHide.add(subnet.label.toLowerCase());
          }
          exactItems.push(item);
        } else {
          literals += 1;
          const entry = readEntry(item, problems);
          if (entry) {
            ranges.push(entry.range);
            exactItems.push(entryText(entry.cidr));
          } else {
            resolvable = false;
          }
        }
      }
      const matched = normalizeRanges(negated ? complementRanges(ranges) : ranges);
      const list = exactItems.length === 1 ? (exactItems[0] ?? '') : `(${exactItems.join(', ')})`;
      directives.push({
        line: line.line,
        text: line.text,
        matches: resolvable ? Number(countAddresses(matched, 4)) : null,
        ranges: resolvable ? matched : [],
        rangesComplete: resolvable,
        problems,
        exact: resolvable ? `client.address=${negated ? '!' : ''}${list}` : null,
        intended: resolvable ? matched : null,
        // A condition naming only labels hides what the labelled definitions hold; those are
        // reported (and imported) once, with the definition.
        hides: resolvable && !negated && literals > 0 && TURNS_LOG_OFF.test(line.text),
      });
    }
  }
  for (const block of blocks) {
    const ranges = normalizeRanges(block.ranges);
    const labelOk = CPL_LABEL.test(block.label);
    const problems = labelOk
      ? block.problems
      : [...block.problems, `label ${showValue(block.label)} is not a CPL identifier`];
    directives.push({
      line: block.line,
      text: block.lines.join('\n'),
      matches: Number(countAddresses(ranges, 4)),
      ranges,
      rangesComplete: true,
      problems,
      exact: labelOk
        ? [
            `define subnet ${block.label}`,
            ...canonicalEntries(ranges).map((e) => `    ${e}`),
            `end subnet ${block.label}`,
          ].join('\n')
        : null,
      intended: ranges,
      hides: usedToHide.has(block.label.toLowerCase()),
    });
  }
  return directives.sort((a, b) => a.line - b.line);
}
