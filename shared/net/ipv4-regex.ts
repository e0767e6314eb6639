/**
 * Exact regular expressions for IPv4 ranges, for devices that can only test the client address
 * as text (Apache's `SetEnvIf Remote_Addr`). The output matches the dotted-quad text of exactly
 * the addresses in the range, as Apache prints them (decimal octets, no leading zeros), and no
 * other string: every dot escaped, anchored at both ends.
 *
 * It uses only `0-9 . \ ^ $ ( ) | [ ] - ?`, a set that Apache's config tokenizer, PCRE and
 * JavaScript all read the same way. The article's `^172.16.1.` is what this exists to replace:
 * its unescaped dots and open end also match 172.16.10–19.x and 172.16.100–199.x.
 */

interface DigitClass {
  readonly lo: number;
  readonly hi: number;
}

/** A run of decimal digit classes, with at most one optional class before or after it. */
interface DigitPattern {
  readonly optionalHead?: DigitClass;
  readonly classes: readonly DigitClass[];
  readonly optionalTail?: DigitClass;
}

const ANY_DIGIT: DigitClass = { lo: 0, hi: 9 };
const single = (digit: number): DigitClass => ({ lo: digit, hi: digit });
const digitAt = (text: string, index: number): number => Number(text.charAt(index));

/**
 * Digit patterns for the numbers `lo` … `hi`, both written with the same number of digits, in
 * ascending order. Standard split: the part of the lowest leading digit, the full middle leading
 * digits, the part of the highest leading digit.
 */
function sameLengthPatterns(lo: string, hi: string): DigitClass[][] {
  if (lo.length === 1) return [[{ lo: digitAt(lo, 0), hi: digitAt(hi, 0) }]];
  const loHead = digitAt(lo, 0);
  const hiHead = digitAt(hi, 0);
  const loRest = lo.slice(1);
  const hiRest = hi.slice(1);
  if (loHead === hiHead) {
    return sameLengthPatterns(loRest, hiRest).map((p) => [single(loHead), ...p]);
  }
  const zeros = '0'.repeat(loRest.length);
  const nines = '9'.repeat(loRest.length);
  const patterns: DigitClass[][] = [];
  let middleLo = loHead;
  let middleHi = hiHead;
  if (loRest !== zeros) {
    patterns.push(...sameLengthPatterns(loRest, nines).map((p) => [single(loHead), ...p]));
    middleLo += 1;
  }
  const upper: DigitClass[][] = [];
  if (hiRest !== nines) {
    upper.push(...sameLengthPatterns(zeros, hiRest).map((p) => [single(hiHead), ...p]));
    middleHi -= 1;
  }
  if (middleLo <= middleHi) {
    patterns.push([
      { lo: middleLo, hi: middleHi },
      ...Array<DigitClass>(loRest.length).fill(ANY_DIGIT),
    ]);
  }
  return [...patterns, ...upper];
}

const renderPattern = (classes: readonly DigitClass[]): string => classes.map(renderClass).join('');
const sameClasses = (a: readonly DigitClass[], b: readonly DigitClass[]): boolean =>
  renderPattern(a) === renderPattern(b);

/**
 * Two merges keep alternations short without changing what they match:
 * - head: `[1-9][0-9]` next to `[0-9]` becomes `[1-9]?[0-9]` (a pattern and the same pattern with
 *   one more leading class). The optional class leads a number of two or more digits, so it never
 *   contains 0 and no leading zero can sneak in.
 * - tail: `[1-9][0-9]` next to `[1-9]` becomes `[1-9][0-9]?` (a pattern and the same pattern with
 *   one more trailing class).
 * Head merges are tried first: they give the familiar `[1-9]?[0-9]` for 0–99.
 */
function mergeOptionalClasses(patterns: readonly DigitClass[][]): DigitPattern[] {
  const merged: DigitPattern[] = [];
  const used = new Set<number>();
  const pair = (
    matchLonger: (longer: DigitClass[], shorter: DigitClass[]) => boolean,
    make: (longer: DigitClass[], shorter: DigitClass[]) => DigitPattern,
  ): void => {
    for (const [i, shorter] of patterns.entries()) {
      if (used.has(i)) continue;
      const j = patterns.findIndex(
        (longer, k) =>
          !used.has(k) &&
          k !== i &&
          longer.length === shorter.length + 1 &&
          matchLonger(longer, shorter),
      );
      const longer = patterns[j];
      if (longer !== undefined) {
        used.add(i).add(j);
        merged.push(make(longer, shorter));
      }
    }
  };
  pair(
    (longer, shorter) => sameClasses(longer.slice(1), shorter),
    (longer, shorter) => ({ optionalHead: longer[0], classes: shorter }),
  );
  pair(
    (longer, shorter) => sameClasses(longer.slice(0, -1), shorter),
    (longer, shorter) => ({ classes: shorter, optionalTail: longer[longer.length - 1] }),
  );
  for (const [i, pattern] of patterns.entries()) {
    if (!used.has(i)) merged.push({ classes: pattern });
  }
  return merged;
}

function renderClass(c: DigitClass): string {
  if (c.lo === c.hi) return String(c.lo);
  if (c.hi === c.lo + 1) return `[${c.lo}${c.hi}]`;
  return `[${c.lo}-${c.hi}]`;
}

function patternMax(p: DigitPattern): number {
  const head = p.optionalHead ? [p.optionalHead] : [];
  const tail = p.optionalTail ? [p.optionalTail] : [];
  return Number([...head, ...p.classes, ...tail].map((c) => c.hi).join(''));
}

function renderDigitPattern(p: DigitPattern): string {
  return (
    (p.optionalHead ? `${renderClass(p.optionalHead)}?` : '') +
    renderPattern(p.classes) +
    (p.optionalTail ? `${renderClass(p.optionalTail)}?` : '')
  );
}

/** Alternatives matching the decimal text of `lo` … `hi` (0 ≤ lo ≤ hi ≤ 255), largest first. */
function octetAlternatives(lo: number, hi: number): string[] {
  const patterns: DigitClass[][] = [];
  for (const [min, max] of [
    [0, 9],
    [10, 99],
    [100, 255],
  ] as const) {
    const from = Math.max(lo, min);
    const to = Math.min(hi, max);
    if (from <= to) patterns.push(...sameLengthPatterns(String(from), String(to)));
  }
  return mergeOptionalClasses(patterns)
    .sort((a, b) => patternMax(b) - patternMax(a))
    .map(renderDigitPattern);
}

function group(alternatives: readonly string[]): string {
  return alternatives.length === 1 ? (alternatives[0] ?? '') : `(${alternatives.join('|')})`;
}

const ANY_OCTET = group(octetAlternatives(0, 255));

/**
 * Alternatives for the dotted text of the octet tuples from `lo` to `hi` (same length, lo ≤ hi in
 * tuple order), highest first. Same split as for digits, one octet at a time.
 */
function tupleAlternatives(lo: readonly number[], hi: readonly number[]): string[] {
  const [loHead = 0, ...loRest] = lo;
  const [hiHead = 0, ...hiRest] = hi;
  if (loRest.length === 0) return octetAlternatives(loHead, hiHead);
  if (loHead === hiHead) return [`${loHead}\\.${group(tupleAlternatives(loRest, hiRest))}`];
  const startsAtZero = loRest.every((o) => o === 0);
  const endsAtMax = hiRest.every((o) => o === 255);
  const alternatives: string[] = [];
  if (!endsAtMax) {
    const from = loRest.map(() => 0);
    alternatives.push(`${hiHead}\\.${group(tupleAlternatives(from, hiRest))}`);
  }
  const middleLo = startsAtZero ? loHead : loHead + 1;
  const middleHi = endsAtMax ? hiHead : hiHead - 1;
  if (middleLo <= middleHi) {
    alternatives.push(
      group(octetAlternatives(middleLo, middleHi)) + `\\.${ANY_OCTET}`.repeat(loRest.length),
    );
  }
  if (!startsAtZero) {
    const to = loRest.map(() => 255);
    alternatives.push(`${loHead}\\.${group(tupleAlternatives(loRest, to))}`);
  }
  return alternatives;
}

function octetsOf(address: number): number[] {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
}

/**
 * The anchored regular expression for the IPv4 addresses `first` … `last` (unsigned 32-bit
 * integers, first ≤ last), e.g. 172.16.1.0/24 →
 * `^172\.16\.1\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$`.
 */
export function ipv4RangeRegex(first: number, last: number): string {
  if (!(
    Number.isInteger(first) &&
    Number.isInteger(last) &&
    0 <= first &&
    first <= last &&
    last <= 0xffffffff
  )) {
    throw new RangeError(`ipv4RangeRegex: not an IPv4 range: ${first}-${last}`);
  }
  return `^${group(tupleAlternatives(octetsOf(first), octetsOf(last)))}$`;
}
