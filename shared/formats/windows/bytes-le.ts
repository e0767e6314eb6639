/**
 * Little-endian reads and text decoding for the Windows event log readers. Callers check bounds
 * first; these helpers only compose bytes (faster in V8 than a DataView per record).
 */

export function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

export function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** A 64-bit unsigned value as a double: exact below 2^53, which covers record ids and sizes. */
export function u64(b: Uint8Array, o: number): number {
  return u32(b, o + 4) * 4294967296 + u32(b, o);
}

export function u64Big(b: Uint8Array, o: number): bigint {
  return (BigInt(u32(b, o + 4)) << 32n) | BigInt(u32(b, o));
}

/** Milliseconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const FILETIME_EPOCH_MS = 11644473600000;

/**
 * FILETIME (100 ns ticks since 1601, UTC) to whole UTC milliseconds since 1970, rounding down.
 * Split as hi * 2^32 + lo with 2^32 = 429496 * 10000 + 7296, so every step stays exact in a
 * double (a plain `ticks / 10000` on the 64-bit value loses the last digits and can round up).
 * Returns NaN for 0, which Windows writes when it had no time.
 */
export function filetimeToMs(b: Uint8Array, o: number): number {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  if (lo === 0 && hi === 0) return NaN;
  return hi * 429496 + Math.floor((hi * 7296 + lo) / 10000) - FILETIME_EPOCH_MS;
}

const utf16 = new TextDecoder('utf-16le');

/**
 * UTF-16LE text of `[start, end)` (an odd last byte is ignored). Short strings without surrogates
 * (element names, most values) are built directly: TextDecoder costs far more per call than the
 * few characters it decodes. Anything with a surrogate goes to TextDecoder, so unpaired ones
 * become U+FFFD exactly as everywhere else.
 */
export function utf16Text(b: Uint8Array, start: number, end: number): string {
  const units = (end - start) >> 1;
  if (units <= 32) {
    let text = '';
    let i = start;
    for (; i < start + units * 2; i += 2) {
      const c = b[i]! | (b[i + 1]! << 8);
      if (c >= 0xd800 && c <= 0xdfff) break;
      text += String.fromCharCode(c);
    }
    if (i === start + units * 2) return text;
  }
  return utf16.decode(b.subarray(start, start + units * 2));
}

/** End of the UTF-16LE text in `[start, end)`: the first NUL code unit, or `end`. */
export function utf16End(b: Uint8Array, start: number, end: number): number {
  for (let i = start; i + 1 < end; i += 2) if (b[i] === 0 && b[i + 1] === 0) return i;
  return end - ((end - start) & 1);
}

/**
 * Windows-1252, the ANSI code page of Western Windows installations: the file does not say which
 * code page wrote an ANSI string, and this is libevtx's default too. 0x80-0x9F map to these code
 * points (0 = undefined in 1252, shown as the C1 control of the same value, as Windows does).
 */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0, 0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161,
  0x203a, 0x0153, 0, 0x017e, 0x0178,
];

export function cp1252Text(b: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    out += String.fromCharCode(c >= 0x80 && c < 0xa0 ? CP1252_HIGH[c - 0x80] || c : c);
  }
  return out;
}

/**
 * Transcodes UTF-16LE `[start, end)` to UTF-8 into `out` from 0, stopping at a NUL code unit, and
 * returns the number of bytes written. Lone surrogates become U+FFFD, exactly as TextDecoder does,
 * so a value indexed from these bytes and the same value decoded as text intern to one id. `out`
 * must hold 3 bytes per code unit.
 */
export function utf16ToUtf8(b: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let n = 0;
  for (let i = start; i + 1 < end; i += 2) {
    let c = b[i]! | (b[i + 1]! << 8);
    if (c === 0) break;
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 3 < end) {
        const d = b[i + 2]! | (b[i + 3]! << 8);
        if (d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          out[n++] = 0xf0 | (cp >> 18);
          out[n++] = 0x80 | ((cp >> 12) & 0x3f);
          out[n++] = 0x80 | ((cp >> 6) & 0x3f);
          out[n++] = 0x80 | (cp & 0x3f);
          i += 2;
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}

/** True when every byte of `[start, end)` is zero. */
export function allZero(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}

export function hex(n: number, width = 0): string {
  return '0x' + n.toString(16).padStart(width, '0');
}
