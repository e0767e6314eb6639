/** Small byte-level helpers shared by the text formats' scanners. */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Text(buf: Uint8Array, start: number, end: number): string {
  return decoder.decode(buf.subarray(start, end));
}

/** Index of byte `c` in [from, end), or -1. Native for long spans. */
export function find(buf: Uint8Array, c: number, from: number, end: number): number {
  const i = buf.indexOf(c, from);
  return i < 0 || i >= end ? -1 : i;
}

/** Index of the last byte `c` in [start, end), or -1. */
export function findLast(buf: Uint8Array, c: number, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (buf[i] === c) return i;
  return -1;
}

/** Decimal value of [start, end) if it is all digits (1-15 of them), else -1. */
export function parseUint(buf: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

export function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** True when [start, end) equals the ASCII string `text`. */
export function bytesEqual(buf: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * End of [start, end) without trailing spaces, tabs, CR and LF. The display parse sees a record's
 * text with its line ends trimmed (index/records.ts), so an index path that must agree with it
 * trims the same bytes first.
 */
export function trimEnd(buf: Uint8Array, start: number, end: number): number {
  while (end > start) {
    const c = buf[end - 1];
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    end--;
  }
  return end;
}

/** What a text format's display parse reads a record with: its bytes and the fields it fills. */
export interface DisplayText {
  /** The record's text as UTF-8, the bytes the format's scanner finds its ranges in. */
  readonly buf: Uint8Array;
  /** The record's named fields, in the order they are put. */
  readonly fields: Record<string, string>;
  /**
   * Text of `buf`'s [start, end), or null when the range is absent (start < 0) or empty: empty
   * ranges are no value, as on the index path (the index does not intern empty values).
   */
  readonly slice: (start: number, end: number) => string | null;
  /** Sets field `name`, unless `value` is null (no value). */
  readonly put: (name: string, value: string | null) => void;
}

/** The preamble of a display parse: `text` as bytes, and helpers that fill its fields. */
export function displayText(text: string): DisplayText {
  const buf = utf8Bytes(text);
  const fields: Record<string, string> = {};
  return {
    buf,
    fields,
    slice: (start, end) => (start < 0 || end <= start ? null : utf8Text(buf, start, end)),
    put: (name, value) => {
      if (value !== null) fields[name] = value;
    },
  };
}
