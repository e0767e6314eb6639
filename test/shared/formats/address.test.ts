import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addressIn, isIpv6Bytes } from '../../../shared/formats/address';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function address(text: string): string | null {
  const buf = bytes(text);
  const out = new Int32Array(2);
  return addressIn(buf, 0, buf.length, out) ? text.slice(out[0], out[1]) : null;
}

describe('addressIn', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['10.0.0.1:51025', '10.0.0.1'],
    ['::1', '::1'],
    ['2001:db8::5', '2001:db8::5'],
    ['[2001:db8::5]:443', '2001:db8::5'],
    ['::ffff:172.16.1.5', '::ffff:172.16.1.5'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('finds %s', (text, expected) => {
    expect(address(text)).toBe(expected);
  });

  it.each([
    '',
    '-',
    '172.888.1.1', // Microsoft's anonymised ProxySG sample: not an address
    '10.0.0',
    '010.0.0.1',
    '10.0.0.1:',
    '10.0.0.1:99999',
    '10.0.0.1:443x',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    ':1',
    '[2001:db8::5]x',
    'server#1',
    'fe80::1%',
  ])('rejects %j', (text) => {
    expect(address(text)).toBeNull();
  });

  it('accepts only text with at most one "::" and hex groups of 1-4 digits', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('0', '1', '9', 'a', 'f', ':', '.'),
          minLength: 2,
          maxLength: 24,
        }),
        (text) => {
          const buf = bytes(text);
          if (!isIpv6Bytes(buf, 0, buf.length)) return;
          expect(text.split('::').length).toBeLessThanOrEqual(2);
          const groups = text.split(/::?/).filter((g) => g !== '');
          for (const g of groups.slice(0, -1)) expect(g).toMatch(/^[0-9a-f]{1,4}$/);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
