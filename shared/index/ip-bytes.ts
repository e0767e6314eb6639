/**
 * Reads a dotted-quad IPv4 address straight from bytes, for the index's hot path. Strict: four
 * decimal octets 0-255 without leading zeros, nothing else in the range. Returns the address as
 * an unsigned 32-bit number, or -1 when the bytes are not exactly such an address.
 */
export function parseIpv4Bytes(buf: Uint8Array, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}
