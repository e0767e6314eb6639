/**
 * Marks the last search's matches in the text of a cell. The worker decides which records match;
 * this only finds where in the shown text, with the same terms, so the cell can draw the matches
 * as separate text spans (never as HTML: the text comes from a log).
 */

export interface HighlightTerms {
  readonly pattern: string;
  readonly regex: boolean;
  readonly caseSensitive: boolean;
}

export interface TextPart {
  readonly text: string;
  readonly match: boolean;
}

/** Most matches marked in one cell: a pattern like `.` would otherwise make thousands of spans. */
const MAX_MARKS = 200;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The terms as a global regular expression, or null when there is nothing to mark. */
export function highlightPattern(terms: HighlightTerms): RegExp | null {
  if (terms.pattern === '') return null;
  const flags = `g${terms.caseSensitive ? '' : 'i'}`;
  const source = terms.regex ? terms.pattern : escapeRegex(terms.pattern);
  for (const unicode of ['u', '']) {
    try {
      return new RegExp(source, flags + unicode);
    } catch {
      // Not valid with the `u` flag (or at all): try without, then give up marking.
    }
  }
  return null;
}

/** The text cut into matching and other parts, in order; joined, they are the text again. */
export function splitMatches(text: string, pattern: RegExp): TextPart[] {
  const parts: TextPart[] = [];
  const re = new RegExp(
    pattern.source,
    pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
  );
  let at = 0;
  let marks = 0;
  for (let m = re.exec(text); m !== null && marks < MAX_MARKS; m = re.exec(text)) {
    if (m[0] === '') {
      // An empty match marks nothing; step over it so the search moves on.
      re.lastIndex++;
      continue;
    }
    if (m.index > at) parts.push({ text: text.slice(at, m.index), match: false });
    parts.push({ text: m[0], match: true });
    at = m.index + m[0].length;
    marks++;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}
