import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ipv4Language } from '../../../shared/audit/ipv4-language';
import { compilePattern, PatternRunner } from '../../../shared/audit/regex';
import { ipv4RangeRegex } from '../../../shared/net/ipv4-regex';
import { formatRange } from '../../../shared/net/range';

const language = (pattern: string): Ipv4Language => {
  const nfa = compilePattern(pattern);
  if (!nfa.ok) throw new Error(nfa.error);
  return new Ipv4Language(new PatternRunner(nfa.value));
};
const dotted = (n: number): string =>
  [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

describe('Ipv4Language', () => {
  it('counts the seed article’s ^172.16.1. exactly: 28,416 addresses, not 256', () => {
    const seed = language('^172.16.1.');
    expect(seed.count()).toBe(28_416);
    const { ranges, complete } = seed.ranges(256);
    expect(complete).toBe(true);
    expect(ranges.map(formatRange)).toEqual([
      '172.16.1.0-172.16.1.255',
      '172.16.10.0-172.16.19.255',
      '172.16.100.0-172.16.199.255',
    ]);
  });

  it('counts whole-space patterns', () => {
    expect(language('').count()).toBe(2 ** 32);
    expect(language('^$').count()).toBe(0);
    expect(language('x').count()).toBe(0);
    expect(language('^10\\.').count()).toBe(2 ** 24);
    expect(language('[02468]$').count()).toBe(2 ** 31);
    expect(language('\\b10\\.0\\.0\\.1\\b').count()).toBe(1);
    // Substring search: 10.0.0.1, 10.0.0.10-19 and 10.0.0.100-199 (and nothing starting later).
    expect(language('^10\\.0\\.0\\.1').count()).toBe(111);
  });

  it('stops listing ranges at the limit and says so', () => {
    const { ranges, complete } = language('[02468]$').ranges(10);
    expect(complete).toBe(false);
    expect(ranges.map(formatRange)).toEqual([
      '0.0.0.0-0.0.0.0',
      '0.0.0.2-0.0.0.2',
      '0.0.0.4-0.0.0.4',
      '0.0.0.6-0.0.0.6',
      '0.0.0.8-0.0.0.8',
      '0.0.0.10-0.0.0.10',
      '0.0.0.12-0.0.0.12',
      '0.0.0.14-0.0.0.14',
      '0.0.0.16-0.0.0.16',
      '0.0.0.18-0.0.0.18',
    ]);
  });

  // Inside 10.0.0.0/16 a brute force over all 65,536 addresses is cheap; the pattern is anchored
  // there, so the whole-space count must equal it.
  const tail = fc
    .array(
      fc.tuple(
        fc.constantFrom(
          '1',
          '2',
          '0',
          '5',
          '\\.',
          '.',
          '[0-9]',
          '[1-3]',
          '[^5]',
          '\\d',
          '(1|25)',
          '(?:0|\\.)',
        ),
        fc.constantFrom('', '', '*', '+', '?', '{2}', '{0,2}'),
      ),
      { maxLength: 6 },
    )
    .map((parts) => parts.map(([a, q]) => a + q).join(''));

  it('agrees with a brute force over 10.0.0.0/16 for random patterns', () => {
    fc.assert(
      fc.property(tail, fc.boolean(), (rest, anchoredEnd) => {
        const source = `^10\\.0\\.${rest}${anchoredEnd ? '$' : ''}`;
        const re = new RegExp(source);
        let expected = 0;
        const matched: number[] = [];
        for (let n = 0x0a000000; n <= 0x0a00ffff; n += 1) {
          if (re.test(dotted(n))) {
            expected += 1;
            matched.push(n);
          }
        }
        const lang = language(source);
        expect(lang.count(), source).toBe(expected);
        const { ranges, complete } = lang.ranges(100_000);
        expect(complete).toBe(true);
        expect(ranges.reduce((sum, r) => sum + Number(r.last - r.first + 1n), 0)).toBe(expected);
        for (const r of ranges) {
          expect(re.test(dotted(Number(r.first)))).toBe(true);
          expect(re.test(dotted(Number(r.last)))).toBe(true);
        }
        if (matched.length > 0) expect(Number(ranges[0]?.first)).toBe(matched[0]);
      }),
      { numRuns: 60 },
    );
  });
});

describe("the exporters' regexes, over all 2^32 addresses", () => {
  it('match exactly their range: every address inside, none outside', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (a, b) => {
          const first = Math.min(a, b);
          const last = Math.max(a, b);
          const lang = language(ipv4RangeRegex(first, last));
          expect(lang.count()).toBe(last - first + 1);
          const { ranges, complete } = lang.ranges(2);
          expect(complete).toBe(true);
          expect(ranges.map(formatRange)).toEqual([`${dotted(first)}-${dotted(last)}`]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('match exactly their CIDR, for every prefix length', () => {
    for (let prefix = 0; prefix <= 32; prefix += 1) {
      const size = 2 ** (32 - prefix);
      const first = Math.floor(0xac1001ff / size) * size;
      expect(language(ipv4RangeRegex(first, first + size - 1)).count()).toBe(size);
    }
  });
});
