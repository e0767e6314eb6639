/**
 * Shows a value from a file or a log inside a message, in backticks. Anything outside printable
 * ASCII is written as `\u{…}`: messages reach terminals and dialogs, and a value must not be able
 * to move the cursor, recolour the terminal or reverse the text around it (escape sequences, bidi
 * controls). Long values are cut, since the message has to stay readable.
 */
export function showValue(text: string, maxLength = 80): string {
  const chars = Array.from(text);
  const cut = chars.length > maxLength;
  const shown = (cut ? chars.slice(0, maxLength) : chars)
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code >= 0x20 && code < 0x7f ? c : `\\u{${code.toString(16)}}`;
    })
    .join('');
  return `\`${shown}${cut ? '…' : ''}\``;
}

/** 28416 → `28,416`; fixed separators so reports and golden files do not depend on the locale. */
export function formatCount(count: number | bigint): string {
  return count.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
