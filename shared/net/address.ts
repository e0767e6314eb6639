import { err, ok, type Result } from '../result';

/**
 * IP addresses as exact integers. Both families use bigint so that CIDR and range maths is one
 * code path: IPv4 values are 0 … 2^32−1, IPv6 values 0 … 2^128−1. The two families never compare
 * equal to each other (an IPv4-mapped IPv6 address is an IPv6 address here).
 */
export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/**
 * Why a piece of text is not a valid value. It names only the value's own problem ("prefix must
 * be 0–32"); the caller adds which rule and key it came from.
 */
export interface InvalidValue {
  readonly reason: string;
  readonly hint?: string;
}

export function addressBits(family: IpFamily): 32 | 128 {
  return family === 4 ? 32 : 128;
}

// One octet as Apache, ProxySG and every log we read print it: 0-255, no leading zeros. "010" is
// refused rather than read as 10 because some tools read it as octal 8.
const IPV4_OCTET = /^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

export function parseIpv4(text: string): Result<bigint, InvalidValue> {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^[0-9]+$/.test(part))) {
    return err({ reason: 'an IPv4 address is four decimal numbers 0–255 separated by dots' });
  }
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) {
      return err(
        part.length > 1 && part.startsWith('0')
          ? {
              reason: `octet \`${part}\` has a leading zero`,
              hint: 'Write octets without leading zeros (some tools read them as octal).',
            }
          : { reason: `octet \`${part}\` is over 255` },
      );
    }
    value = (value << 8n) | BigInt(Number(part));
  }
  return ok(value);
}

/**
 * Full RFC 4291 text form: eight groups of 1–4 hex digits, one `::` standing for one or more zero
 * groups, and an optional dotted IPv4 address as the last 32 bits. Zone ids (`%eth0`) and brackets
 * are refused: they name an interface, not an address.
 */
export function parseIpv6(text: string): Result<bigint, InvalidValue> {
  const invalid = (reason: string): Result<bigint, InvalidValue> => err({ reason });
  if (text.includes('%')) return invalid('zone ids (`%…`) are not allowed in an IPv6 address');
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) {
    return invalid('an IPv6 address may contain only hex digits, `:` and an embedded IPv4 address');
  }
  const halves = text.split('::');
  if (halves.length > 2) return invalid('`::` may appear only once in an IPv6 address');
  const compressed = halves.length === 2;
  const head = halves[0] === '' || halves[0] === undefined ? [] : halves[0].split(':');
  const tail =
    compressed && halves[1] !== '' && halves[1] !== undefined ? halves[1].split(':') : [];

  const groups: bigint[] = [];
  const all = [...head, ...tail];
  for (const [index, group] of all.entries()) {
    // An embedded IPv4 address is the last 32 bits, so nothing (not even `::`) may follow it.
    const isLast = index === all.length - 1 && (!compressed || tail.length > 0);
    if (group.includes('.')) {
      if (!isLast) return invalid('an embedded IPv4 address must be the last part');
      const v4 = parseIpv4(group);
      if (!v4.ok) return invalid(`embedded IPv4 address \`${group}\`: ${v4.error.reason}`);
      groups.push(v4.value >> 16n, v4.value & 0xffffn);
    } else if (group === '') {
      return invalid('empty group (a lone `:` where `::` or a group was expected)');
    } else if (!HEX_GROUP.test(group)) {
      return invalid(`group \`${group}\` has more than four hex digits`);
    } else {
      groups.push(BigInt(parseInt(group, 16)));
    }
  }
  const headGroups = head.some((g) => g.includes('.')) ? head.length + 1 : head.length;
  if (compressed ? groups.length > 7 : groups.length !== 8) {
    return invalid(
      compressed
        ? '`::` must stand for at least one zero group, so at most seven groups may be written'
        : 'an IPv6 address has eight groups (or `::` for a run of zero groups)',
    );
  }
  const zeros = 8 - groups.length;
  const expanded = [
    ...groups.slice(0, headGroups),
    ...Array<bigint>(zeros).fill(0n),
    ...groups.slice(headGroups),
  ];
  return ok(expanded.reduce((acc, g) => (acc << 16n) | g, 0n));
}

/** IPv6 if the text contains `:`, IPv4 otherwise. */
export function parseIpAddress(text: string): Result<IpAddress, InvalidValue> {
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return v6.ok ? ok({ family: 6, value: v6.value }) : v6;
  }
  const v4 = parseIpv4(text);
  return v4.ok ? ok({ family: 4, value: v4.value }) : v4;
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
}

/**
 * RFC 5952 canonical text: lower case, no leading zeros, the longest run of two or more zero groups
 * (the first one on a tie) written as `::`, and IPv4-mapped addresses as `::ffff:a.b.c.d`.
 */
export function formatIpv6(value: bigint): string {
  if (value >> 32n === 0xffffn) return `::ffff:${formatIpv4(value & 0xffffffffn)}`;
  const groups = Array.from({ length: 8 }, (_, i) => (value >> BigInt(112 - 16 * i)) & 0xffffn);
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8;) {
    if (groups[start] !== 0n) {
      start += 1;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0n) end += 1;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatIpAddress(address: IpAddress): string {
  return address.family === 4 ? formatIpv4(address.value) : formatIpv6(address.value);
}
