import { err, ok, type Result } from '../result';
import {
  addressBits,
  formatIpAddress,
  parseIpAddress,
  type InvalidValue,
  type IpAddress,
  type IpFamily,
} from './address';

/** An inclusive run of addresses of one family: `first` ≤ `last`. */
export interface IpRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

/** A network: `network` has no bits set below the prefix. */
export interface Cidr {
  readonly family: IpFamily;
  readonly network: bigint;
  /** 0–32 for IPv4, 0–128 for IPv6. */
  readonly prefix: number;
}

/** How a source-address value was written in a filter set; the range is what it covers. */
export type IpSpecKind = 'address' | 'cidr' | 'range';

export interface IpSpec extends IpRange {
  readonly kind: IpSpecKind;
}

/** A CIDR as written, before deciding whether bits below the prefix are allowed. */
export interface WrittenCidr {
  readonly address: IpAddress;
  readonly prefix: number;
  /** True when the address has bits set below the prefix (`172.16.1.5/24`). */
  readonly hostBitsSet: boolean;
}

/** The low `count` bits set. */
function lowBits(count: number): bigint {
  return (1n << BigInt(count)) - 1n;
}

function hostMask(family: IpFamily, prefix: number): bigint {
  return lowBits(addressBits(family) - prefix);
}

/** Reads `address/prefix` without judging host bits; the audit needs what devices accept. */
export function parseWrittenCidr(text: string): Result<WrittenCidr, InvalidValue> {
  const slash = text.indexOf('/');
  if (slash < 0) return err({ reason: 'a CIDR is written `address/prefix`' });
  const address = parseIpAddress(text.slice(0, slash));
  if (!address.ok) return address;
  const prefixText = text.slice(slash + 1);
  const bits = addressBits(address.value.family);
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > bits) {
    return err({ reason: `prefix must be 0–${bits}` });
  }
  const prefix = Number(prefixText);
  const hostBitsSet = (address.value.value & hostMask(address.value.family, prefix)) !== 0n;
  return ok({ address: address.value, prefix, hostBitsSet });
}

/**
 * A strict CIDR. Bits set below the prefix (`172.16.1.5/24`) are an error, not silently cleared:
 * the writer meant either the network or the one host, and guessing wrong would export a rule
 * 256 times wider or narrower than intended.
 */
export function parseCidr(text: string): Result<Cidr, InvalidValue> {
  const written = parseWrittenCidr(text);
  if (!written.ok) return written;
  const { address, prefix, hostBitsSet } = written.value;
  if (hostBitsSet) {
    const network = formatCidr(maskedCidr(address, prefix));
    return err({
      reason: `host bits are set: \`${text}\` is not the start of a /${prefix} network`,
      hint: `Write ${network} for the whole network, or ${formatIpAddress(address)} for the one host.`,
    });
  }
  return ok({ family: address.family, network: address.value, prefix });
}

/** The network containing `address` (what Apache's `-R` and most devices do with host bits). */
export function maskedCidr(address: IpAddress, prefix: number): Cidr {
  return {
    family: address.family,
    network: address.value & ~hostMask(address.family, prefix),
    prefix,
  };
}

/**
 * A source-address value from a filter set: one address (`10.9.8.7`), a strict CIDR
 * (`172.16.1.0/24`) or an inclusive range (`10.0.0.1-10.0.0.20`, both ends the same family).
 */
export function parseIpSpec(text: string): Result<IpSpec, InvalidValue> {
  if (/\s/.test(text)) return err({ reason: 'must not contain whitespace' });
  if (text === '') return err({ reason: 'must not be empty' });
  if (text.includes('/')) {
    const cidr = parseCidr(text);
    return cidr.ok ? ok({ kind: 'cidr', ...cidrRange(cidr.value) }) : cidr;
  }
  if (text.includes('-')) {
    const [firstText, lastText, ...rest] = text.split('-');
    if (rest.length > 0 || firstText === undefined || lastText === undefined) {
      return err({ reason: 'a range is written `first-last` with exactly one `-`' });
    }
    const first = parseIpAddress(firstText);
    if (!first.ok) return err({ reason: `range start: ${first.error.reason}` });
    const last = parseIpAddress(lastText);
    if (!last.ok) return err({ reason: `range end: ${last.error.reason}` });
    if (first.value.family !== last.value.family) {
      return err({ reason: 'both ends of a range must be the same family (IPv4 or IPv6)' });
    }
    if (first.value.value > last.value.value) {
      return err({ reason: 'the range starts after it ends' });
    }
    return ok({
      kind: 'range',
      family: first.value.family,
      first: first.value.value,
      last: last.value.value,
    });
  }
  const address = parseIpAddress(text);
  return address.ok
    ? ok({
        kind: 'address',
        family: address.value.family,
        first: address.value.value,
        last: address.value.value,
      })
    : address;
}

export function cidrRange(cidr: Cidr): IpRange {
  return {
    family: cidr.family,
    first: cidr.network,
    last: cidr.network | hostMask(cidr.family, cidr.prefix),
  };
}

export function rangeSize(range: IpRange): bigint {
  return range.last - range.first + 1n;
}

export function rangeContains(range: IpRange, address: IpAddress): boolean {
  return (
    range.family === address.family && range.first <= address.value && address.value <= range.last
  );
}

/**
 * The fewest CIDR blocks whose union is exactly the range, in address order: at each step the
 * largest block that starts at the current address (is aligned to it) and does not pass the end.
 */
export function rangeToCidrs(range: IpRange): Cidr[] {
  const bits = addressBits(range.family);
  const blocks: Cidr[] = [];
  let start = range.first;
  while (start <= range.last) {
    // `size` (host bits of the block) starts at the alignment of `start`, then shrinks until the
    // block ends inside the range.
    let size = bits;
    while (size > 0 && (start & lowBits(size)) !== 0n) size -= 1;
    while (start + lowBits(size) > range.last) size -= 1;
    blocks.push({ family: range.family, network: start, prefix: bits - size });
    start += 1n << BigInt(size);
  }
  return blocks;
}

// ::ffff:0:0/96, where RFC 4291 puts IPv4 addresses written as IPv6 (::ffff:a.b.c.d).
const MAPPED_BASE = 0xffffn << 32n;

/**
 * The IPv4 addresses whose IPv4-mapped forms (`::ffff:a.b.c.d`) lie in an IPv6 range, or null.
 * LogSieve treats an IPv4 address and its mapped form as the same address (so do Node and, for
 * IPv4 networks, Apache's APR); exporters use this to write such a range for IPv4 clients too.
 */
export function mappedIpv4Part(range: IpRange): IpRange | null {
  if (range.family !== 6) return null;
  const first = range.first > MAPPED_BASE ? range.first : MAPPED_BASE;
  const top = MAPPED_BASE | 0xffffffffn;
  const last = range.last < top ? range.last : top;
  return first <= last ? { family: 4, first: first - MAPPED_BASE, last: last - MAPPED_BASE } : null;
}

/** The other way of writing the same address: `10.0.0.1` ↔ `::ffff:10.0.0.1`; null if none. */
export function otherFormOf(address: IpAddress): IpAddress | null {
  if (address.family === 4) return { family: 6, value: MAPPED_BASE | address.value };
  return address.value >> 32n === 0xffffn
    ? { family: 4, value: address.value & 0xffffffffn }
    : null;
}

/** `a.b.c.d/n`, with `/32` or `/128` always written: exporters rely on the explicit prefix. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpAddress({ family: cidr.family, value: cidr.network })}/${cidr.prefix}`;
}

/** `first-last`, the form the audit's JSON report uses for every range, even single addresses. */
export function formatRange(range: IpRange): string {
  return `${formatIpAddress({ family: range.family, value: range.first })}-${formatIpAddress({
    family: range.family,
    value: range.last,
  })}`;
}

/** The shortest way a person would write the range: one address, one CIDR, or `first-last`. */
export function describeRange(range: IpRange): string {
  if (range.first === range.last) {
    return formatIpAddress({ family: range.family, value: range.first });
  }
  const blocks = rangeToCidrs(range);
  return blocks.length === 1 && blocks[0] !== undefined
    ? formatCidr(blocks[0])
    : formatRange(range);
}
