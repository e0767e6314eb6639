/**
 * Reads a dotted-quad IPv4 address straight from bytes, for the index's hot path. Strict: four
 * decimal octets 0-255 without leading zeros, nothing else in the range. Returns the address as
 * an unsigned 32-bit number, or -1 when the bytes are not exactly such an address.
 */
export function parseIpv4Bytes(buf: Uint8Array, start: number, end: number): number {
  // Octet by octet rather than byte by byte: one or two decisions per digit instead of four.
  let value = 0;
  let i = start;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= end || buf[i] !== 46) return -1;
      i++;
    }
    if (i >= end) return -1;
    let octet = buf[i]! - 48;
    if (octet < 0 || octet > 9) return -1;
    i++;
    if (i < end) {
      const second = buf[i]! - 48;
      if (second >= 0 && second <= 9) {
        if (octet === 0) return -1; // leading zero
        octet = octet * 10 + second;
        i++;
        if (i < end) {
          const third = buf[i]! - 48;
          if (third >= 0 && third <= 9) {
            octet = octet * 10 + third;
            if (octet > 255) return -1;
            i++;
          }
        }
      }
    }
    value = value * 256 + octet;
  }
  return i === end ? value : -1;
}
