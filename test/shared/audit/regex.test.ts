import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, PatternRunner } from '../../../shared/audit/regex';

const runner = (pattern: string, caseless = false): PatternRunner => {
  const nfa = compilePattern(pattern, caseless);
  if (!nfa.ok) throw new Error(nfa.error);
  return new PatternRunner(nfa.value);
};

/**
 * Patterns in the supported subset, written so that PCRE and JavaScript read them alike. Groups
 * take only `?` or `{2}`: JavaScript's backtracking engine (the oracle here, unlike the NFA under
 * test) takes minutes on a starred group that itself holds stars. Star height above one is
 * covered by the hand-written cases below.
 */
const CHAR_ATOMS = [
  '1',
  '2',
  '0',
  '5',
  '\\.',
  '.',
  'a',
  '[0-9]',
  '[1-3]',
  '[^5]',
  '[.1]',
  '\\d',
  '\\D',
  '\\w',
  '[a-c2]',
];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?', '??'];
const pattern: fc.Arbitrary<string> = fc.letrec<{ alt: string; item: string }>((tie) => ({
  item: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'regex' },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...CHAR_ATOMS), fc.constantFrom(...QUANTIFIERS))
        .map(([a, q]) => a + q),
    },
    { weight: 1, arbitrary: fc.constantFrom('^', '$', '\\b', '\\B') },
    {
      weight: 1,
      arbitrary: fc
        .tuple(tie('alt'), fc.constantFrom('(', '(?:'), fc.constantFrom('', '', '?', '{2}'))
        .map(([inner, open, q]) => `${open}${inner})${q}`),
    },
  ),
  alt: fc
    .array(
      fc.array(tie('item'), { maxLength: 5 }).map((items) => items.join('')),
      { minLength: 1, maxLength: 3, depthIdentifier: 'regex' },
    )
    .map((seqs) => seqs.join('|')),
})).alt;

const subject = fc.string({
  unit: fc.constantFrom('0', '1', '2', '5', '9', '.', 'a', 'b', 'A', ' ', '_'),
  maxLength: 12,
});

describe('PatternRunner', () => {
  it('agrees with JavaScript on every match decision for the supported subset', () => {
    fc.assert(
      fc.property(pattern, fc.array(subject, { minLength: 20, maxLength: 20 }), (source, texts) => {
        const ours = runner(source);
        const theirs = new RegExp(source);
        for (const text of texts)
          expect(ours.test(text), `${source} on ${JSON.stringify(text)}`).toBe(theirs.test(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('matches caselessly for SetEnvIfNoCase', () => {
    fc.assert(
      fc.property(pattern, fc.array(subject, { minLength: 10, maxLength: 10 }), (source, texts) => {
        const ours = runner(source, true);
        const theirs = new RegExp(source, 'i');
        for (const text of texts) expect(ours.test(text)).toBe(theirs.test(text));
      }),
      { numRuns: 300 },
    );
  });

  it('handles nested quantifiers exactly (star height above one)', () => {
    const cases: [string, string, boolean][] = [
      ['^(a*)*$', 'aaaa', true],
      ['^(a*)*$', 'aaab', false],
      ['^(?:(?:1|2)+\\.)*3$', '12.21.3', true],
      ['^(?:(?:1|2)+\\.)*3$', '12..3', false],
      ['^((1{2})+|2)*$', '1111211', true],
      ['^((1{2})+|2)*$', '111', false],
      ['(a|aa)*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac', false],
    ];
    for (const [source, text, expected] of cases) {
      expect(runner(source).test(text), `${source} on ${text}`).toBe(expected);
    }
  });

  it('searches (unanchored), as Apache does', () => {
    expect(runner('16\\.1').test('172.16.1.5')).toBe(true);
    expect(runner('^16\\.1').test('172.16.1.5')).toBe(false);
    expect(runner('').test('anything')).toBe(true);
    expect(runner('a{2,3}').test('xaax')).toBe(true);
    expect(runner('a{2,3}$').test('xa')).toBe(false);
    expect(runner('x{').test('x{')).toBe(true); // a `{` that is not a quantifier is literal in PCRE
    // PCRE reads `]` first in a class as a member (JavaScript reads `[]` as an empty class).
    expect(runner('^[]x]$').test(']')).toBe(true);
    expect(runner('^[^]x]$').test('y')).toBe(true);
    expect(runner('^[^]x]$').test(']')).toBe(false);
  });

  it.each([
    ['\\1', 'uses a backreference'],
    ['(a)\\k<a>', 'uses a backreference'],
    ['(?=1)1', 'uses lookaround'],
    ['(?<!1)2', 'uses lookaround'],
    ['(?i)a', 'uses inline options such as `(?i)`'],
    ['(?>a)', 'uses an atomic group'],
    ['a++', 'uses a possessive quantifier'],
    ['a{,3}', 'uses `{,n}`'],
    ['\\x41', 'uses the escape `\\x`'],
    ['\\Qa.b\\E', 'uses quoting with `\\Q…\\E`'],
    ['[[:digit:]]', 'uses a POSIX class'],
    ['a{1001}', 'uses a repeat count above 1000'],
    ['^*', 'uses a repeated anchor'],
    ['(*UTF)a', 'uses a backtracking verb'],
    ['a**', 'uses a quantifier directly after a quantifier'],
    ['(a', 'is not a valid PCRE pattern: missing `)`'],
    ['a)', 'is not a valid PCRE pattern: a `)` without its `(`'],
    ['[a', 'is not a valid PCRE pattern: missing `]`'],
    ['*a', 'is not a valid PCRE pattern: `*` with nothing to repeat'],
    ['[9-0]', 'is not a valid PCRE pattern: a range out of order'],
    ['a{3,2}', 'is not a valid PCRE pattern: numbers out of order'],
    ['a\\', 'is not a valid PCRE pattern: `\\` at the end of the pattern'],
  ])('refuses %s: %s', (source, reason) => {
    const r = compilePattern(source);
    expect(r.ok ? 'compiled' : r.error).toContain(reason);
  });

  it('refuses patterns too large to evaluate instead of running out of memory', () => {
    const r = compilePattern('((((a{1000}){1000}){1000}){1000})');
    expect(r.ok ? 'compiled' : r.error).toContain('too large');
  });
});
