import { describe, expect, it } from 'vitest';
import {
  formatHostPattern,
  hostPatternMatches,
  parseHostPattern,
} from '../../../shared/net/host-pattern';

const parse = (text: string) => {
  const r = parseHostPattern(text);
  return r.ok ? r.value : r.error.reason;
};
const matches = (pattern: string, host: string): boolean => {
  const r = parseHostPattern(pattern);
  if (!r.ok) throw new Error(r.error.reason);
  return hostPatternMatches(r.value, host);
};

describe('parseHostPattern', () => {
  it('reads the three forms, in lower case', () => {
    expect(parse('Intranet.Example.COM')).toEqual({ kind: 'exact', name: 'intranet.example.com' });
    expect(parse('*.legacy.example.com')).toEqual({
      kind: 'subdomains',
      name: 'legacy.example.com',
    });
    expect(parse('.example.com')).toEqual({ kind: 'domain', name: 'example.com' });
    expect(parse('intranet')).toEqual({ kind: 'exact', name: 'intranet' });
    expect(parse('10.1.2.3')).toEqual({ kind: 'exact', name: '10.1.2.3' });
    expect(formatHostPattern({ kind: 'subdomains', name: 'a.b' })).toBe('*.a.b');
    expect(formatHostPattern({ kind: 'domain', name: 'a.b' })).toBe('.a.b');
  });

  it.each([
    ['', 'must not be empty'],
    ['*.', 'must not be empty'],
    ['.', 'must not be empty'],
    ['a..b', 'empty label'],
    ['a.b.', 'empty label'],
    ['..a', 'empty label'],
    ['*a.example.com', '`*` is allowed only as the whole first label'],
    ['a.*.example.com', '`*` is allowed only as the whole first label'],
    ['*.*.example.com', '`*` is allowed only as the whole first label'],
    ['-a.example.com', 'must not start or end with a hyphen'],
    ['a-.example.com', 'must not start or end with a hyphen'],
    ['under_score.example.com', 'contains `_`'],
    ['a b.example.com', 'contains a space'],
    ['a"b.example.com', 'contains `"`'],
    ["a'b", "contains `'`"],
    ['a;b', 'contains `;`'],
    ['a\\b', 'contains `\\`'],
    ['a\nb', 'contains U+000A'],
    ['a\u0000b', 'contains U+0000'],
    ['${HOME}.example.com', 'contains `$`'],
    ['#a', 'contains `#`'],
    ['xn--bcher-kva.example', null],
    ['bücher.example', 'contains U+00FC'],
    ['\u212Aelvin.example', 'contains U+212A'],
    [`${'a'.repeat(64)}.example.com`, 'longer than 63 characters'],
    [Array(64).fill('abcd').join('.'), 'at most 253'],
  ])('%j → %s', (text, reason) => {
    if (reason === null) expect(parse(text)).toMatchObject({ kind: 'exact' });
    else expect(parse(text)).toContain(reason);
  });
});

describe('hostPatternMatches', () => {
  it.each([
    // exact: that name only, any case
    ['intranet.example.com', 'intranet.example.com', true],
    ['intranet.example.com', 'INTRANET.Example.com', true],
    ['intranet.example.com', 'a.intranet.example.com', false],
    ['intranet.example.com', 'intranet.example.com.evil', false],
    // *.: one or more labels below, never the name itself, always on a label boundary
    ['*.legacy.example.com', 'a.legacy.example.com', true],
    ['*.legacy.example.com', 'a.b.legacy.example.com', true],
    ['*.legacy.example.com', 'legacy.example.com', false],
    ['*.legacy.example.com', 'badlegacy.example.com', false],
    ['*.legacy.example.com', '.legacy.example.com', false],
    // .domain: the name and everything below it
    ['.example.com', 'example.com', true],
    ['.example.com', 'www.example.com', true],
    ['.example.com', 'WWW.EXAMPLE.COM', true],
    ['.example.com', 'badexample.com', false],
    ['.example.com', 'example.com.evil.net', false],
  ])('%s vs %s → %s', (pattern, host, expected) => {
    expect(matches(pattern, host)).toBe(expected);
  });

  it('folds only ASCII case (the Kelvin sign is not a K)', () => {
    expect(matches('kelvin.example', '\u212Aelvin.example')).toBe(false);
    expect(matches('kelvin.example', 'KELVIN.example')).toBe(true);
  });
});
