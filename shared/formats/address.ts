/**
 * Recognises IP addresses in bytes, for formats that take a client address out of a value that
 * may carry a port (`10.0.0.1:51025`, `[2001:db8::5]:443`) or out of free text. Strict on purpose:
 * a source-address column that groups `172.888.1.1` or a port number as an address would mislead
 * the admin, so anything that is not a well-formed address is not one.
 */
import { parseIpv4Bytes } from '../index/ip-bytes';

const COLON = 58;
const DOT = 46;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const PERCENT = 37;

function hexValue(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** True when [start, end) is an IPv6 address in text form (RFC 4291 §2.2), zone id allowed. */
export function isIpv6Bytes(buf: Uint8Array, start: number, end: number): boolean {
  // A zone id (`fe80::1%eth0`) belongs to the address text; it is checked only for being non-empty.
  for (let i = start; i < end; i++) {
    if (buf[i] === PERCENT) {
      if (i === end - 1) return false;
      end = i;
      break;
    }
  }
  if (end - start < 2 || end - start > 45) return false;
  let groups = 0;
  let doubleColon = false;
  let i = start;
  if (buf[i] === COLON) {
    if (buf[i + 1] !== COLON) return false;
    doubleColon = true;
    i += 2;
    if (i === end) return true; // "::"
  }
  for (;;) {
    // One group: 1-4 hex digits, or a trailing dotted IPv4 address worth two groups.
    const groupStart = i;
    while (i < end && hexValue(buf[i]!)) i++;
    if (i < end && buf[i] === DOT) {
      let dotted = groupStart;
      while (dotted < end && buf[dotted] !== COLON) dotted++;
      if (dotted !== end || parseIpv4Bytes(buf, groupStart, end) < 0) return false;
      groups += 2;
      break;
    }
    const length = i - groupStart;
    if (length < 1 || length > 4) return false;
    groups++;
    if (i === end) break;
    if (buf[i] !== COLON) return false;
    i++;
    if (buf[i] === COLON) {
      if (doubleColon) return false;
      doubleColon = true;
      i++;
      if (i === end) break;
    } else if (i === end) return false;
  }
  return doubleColon ? groups < 8 : groups === 8;
}

/**
 * Finds the address in [start, end) when the whole range is an address with an optional port:
 * `a.b.c.d`, `a.b.c.d:port`, an IPv6 address, or `[IPv6]:port`. Writes the address's own range to
 * `out[0..1]` and returns true; returns false (and leaves `out` alone) for anything else.
 */
export function addressIn(buf: Uint8Array, start: number, end: number, out: Int32Array): boolean {
  if (end <= start) return false;
  if (buf[start] === OPEN_BRACKET) {
    let close = start + 1;
    while (close < end && buf[close] !== CLOSE_BRACKET) close++;
    if (close === end || !isIpv6Bytes(buf, start + 1, close)) return false;
    if (close + 1 !== end && !isPort(buf, close + 1, end)) return false;
    out[0] = start + 1;
    out[1] = close;
    return true;
  }
  if (parseIpv4Bytes(buf, start, end) >= 0) {
    out[0] = start;
    out[1] = end;
    return true;
  }
  // a.b.c.d:port: exactly one colon, an IPv4 address before it.
  let colon = -1;
  let colons = 0;
  for (let i = start; i < end; i++) {
    if (buf[i] === COLON) {
      colon = i;
      colons++;
    }
  }
  if (colons === 1 && parseIpv4Bytes(buf, start, colon) >= 0 && isPort(buf, colon, end)) {
    out[0] = start;
    out[1] = colon;
    return true;
  }
  if (colons >= 2 && isIpv6Bytes(buf, start, end)) {
    out[0] = start;
    out[1] = end;
    return true;
  }
  return false;
}

/** `:digits` (1-5 of them, at most 65535) at [start, end). */
function isPort(buf: Uint8Array, start: number, end: number): boolean {
  if (buf[start] !== COLON || end - start < 2 || end - start > 6) return false;
  let value = 0;
  for (let i = start + 1; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return false;
    value = value * 10 + d;
  }
  return value <= 65535;
}
