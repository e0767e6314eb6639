import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatIpAddress,
  formatIpv4,
  formatIpv6,
  parseIpAddress,
  parseIpv4,
  parseIpv6,
} from '../../../shared/net/address';

const v4 = (text: string): bigint | string => {
  const r = parseIpv4(text);
  return r.ok ? r.value : r.error.reason;
};
const v6 = (text: string): string => {
  const r = parseIpv6(text);
  return r.ok ? formatIpv6(r.value) : `error: ${r.error.reason}`;
};

describe('parseIpv4', () => {
  it('reads dotted quads', () => {
    expect(v4('0.0.0.0')).toBe(0n);
    expect(v4('255.255.255.255')).toBe(0xffffffffn);
    expect(v4('172.16.1.5')).toBe((172n << 24n) | (16n << 16n) | (1n << 8n) | 5n);
  });

  it.each([
    ['010.1.1.1', 'octet `010` has a leading zero'],
    ['1.1.1.00', 'octet `00` has a leading zero'],
    ['256.1.1.1', 'octet `256` is over 255'],
    ['1.1.1.1000', 'octet `1000` is over 255'],
  ])('refuses %s: %s', (text, reason) => {
    expect(v4(text)).toBe(reason);
  });

  it.each([
    '1.2.3',
    '1.2.3.4.5',
    '1..2.3',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '+1.2.3.4',
    '1.2.3.-4',
    '1.2.3.4/',
    '١.2.3.4',
    '0x1.2.3.4',
    '',
  ])('refuses %j as not four decimal numbers', (text) => {
    expect(v4(text)).toMatch(/four decimal numbers|leading zero|over 255/);
    expect(parseIpv4(text).ok).toBe(false);
  });

  it('puts the advice about octal in the hint', () => {
    const r = parseIpv4('010.0.0.1');
    expect(!r.ok && r.error.hint).toMatch(/octal/);
  });
});

describe('parseIpv6 and RFC 5952 formatting', () => {
  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'], // the longest run wins
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'], // `::` for exactly one group is legal input
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['::ffff:a00:1', '::ffff:10.0.0.1'], // IPv4-mapped is written mixed
    ['::10.0.0.1', '::a00:1'], // other embedded forms are not
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('%s → %s', (input, canonical) => {
    expect(v6(input)).toBe(canonical);
  });

  it.each([
    ['1:2:3:4:5:6:7:8:9', 'eight groups'],
    ['1:2:3:4:5:6:7', 'eight groups'],
    ['1::2::3', 'only once'],
    [':::', 'empty group'],
    [':1::', 'empty group'],
    ['1:', 'empty group'],
    ['12345::', 'more than four hex digits'],
    ['1:2:3:4:5:6:7::8', 'at most seven groups'],
    ['1.2.3.4::', 'last part'],
    ['1.2.3.4::1', 'last part'],
    ['::1.2.3', 'embedded IPv4 address'],
    ['::01.2.3.4', 'leading zero'],
    ['1:2:3:4:5:6:7:1.2.3.4', 'eight groups'],
    ['fe80::1%eth0', 'zone ids'],
    ['[::1]', 'only hex digits'],
    ['::g', 'only hex digits'],
    [':: 1', 'only hex digits'],
  ])('refuses %s (%s)', (input, reason) => {
    expect(v6(input)).toContain(reason);
  });
});

describe('round trips', () => {
  it('formats and re-reads every IPv4 value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const value = BigInt(n);
        const text = formatIpv4(value);
        expect(v4(text)).toBe(value);
      }),
    );
  });

  it('formats and re-reads every IPv6 value, including ones full of zero runs', () => {
    const group = fc.oneof(
      fc.constant(0n),
      fc.constant(0xffffn),
      fc.bigInt({ min: 0n, max: 0xffffn }),
    );
    const address = fc
      .array(group, { minLength: 8, maxLength: 8 })
      .map((groups) => groups.reduce((acc, g) => (acc << 16n) | g, 0n));
    fc.assert(
      fc.property(fc.oneof(address, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n })), (value) => {
        const text = formatIpv6(value);
        const back = parseIpv6(text);
        expect(back.ok && back.value).toBe(value);
        // Canonical text is unique: re-formatting what was read gives the same characters.
        expect(formatIpv6(value)).toBe(text);
        expect(text).toMatch(/^[0-9a-f:.]+$/);
      }),
    );
  });

  it('picks the family from the text', () => {
    const a = parseIpAddress('10.0.0.1');
    const b = parseIpAddress('::ffff:10.0.0.1');
    expect(a.ok && a.value.family).toBe(4);
    expect(b.ok && b.value.family).toBe(6);
    expect(a.ok && formatIpAddress(a.value)).toBe('10.0.0.1');
  });
});
