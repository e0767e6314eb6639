/**
 * Finds how a file's bytes encode text, from its first bytes: a byte order mark when there is
 * one, else the pattern of zero bytes (UTF-16 text of mostly ASCII has a zero in every other
 * byte), else UTF-8. Text with many control bytes and no UTF-16 pattern is binary.
 */
import type { TextEncoding } from '../formats/types';

export interface EncodingGuess {
  /** null: the bytes do not look like text. */
  readonly encoding: TextEncoding | null;
  /** Length of the byte order mark to skip (0 when none). */
  readonly bomLength: number;
}

export function detectEncoding(bytes: Uint8Array): EncodingGuess {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { encoding: 'utf-8', bomLength: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { encoding: 'utf-16be', bomLength: 2 };
  const n = Math.min(bytes.length, 65536);
  if (n === 0) return { encoding: 'utf-8', bomLength: 0 };
  let zeroEven = 0;
  let zeroOdd = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) {
      if ((i & 1) === 0) zeroEven++;
      else zeroOdd++;
    } else if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
  }
  const pairs = n / 2;
  if (zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.05)
    return { encoding: 'utf-16le', bomLength: 0 };
  if (zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.05)
    return { encoding: 'utf-16be', bomLength: 0 };
  if (zeroEven + zeroOdd > 0 || control > n * 0.05) return { encoding: null, bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Decodes bytes of a record for display: invalid sequences become U+FFFD, the bytes stay in the file. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  return new TextDecoder(encoding).decode(bytes);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** True when the bytes are valid UTF-8 (the detail pane says when they are not). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Splits decoded text into lines (LF, CRLF or lone CR), without terminators. */
export function splitLines(text: string, limit = Infinity): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length && lines.length < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lines.push(text.slice(start, i));
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (start < text.length && lines.length < limit) lines.push(text.slice(start));
  return lines;
}
