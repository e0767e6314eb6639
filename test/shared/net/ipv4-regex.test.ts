import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4RangeRegex } from '../../../shared/net/ipv4-regex';

const dotted = (n: number): string =>
  [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const cidr = (text: string): [number, number] => {
  const [address = '', prefix = '32'] = text.split('/');
  const first = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return [first, first + 2 ** (32 - Number(prefix)) - 1];
};

describe('ipv4RangeRegex', () => {
  it('writes the forms the reference notes verified', () => {
    expect(ipv4RangeRegex(...cidr('172.16.1.0/24'))).toBe(
      '^172\\.16\\.1\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$',
    );
    expect(ipv4RangeRegex(...cidr('172.16.1.5/32'))).toBe('^172\\.16\\.1\\.5$');
    expect(ipv4RangeRegex(...cidr('172.16.1.16/28'))).toBe(
      '^172\\.16\\.1\\.(3[01]|2[0-9]|1[6-9])$',
    );
  });

  it('merges values into classes and optional digits', () => {
    expect(ipv4RangeRegex(...cidr('10.0.0.0/26'))).toBe('^10\\.0\\.0\\.(6[0-3]|[1-5]?[0-9])$');
    expect(ipv4RangeRegex(cidr('10.0.0.1')[0], cidr('10.0.0.20')[0])).toBe(
      '^10\\.0\\.0\\.(20|1[0-9]|[1-9])$',
    );
    expect(ipv4RangeRegex(cidr('10.0.0.0')[0], cidr('10.0.0.9')[0])).toBe('^10\\.0\\.0\\.[0-9]$');
  });

  it('splits a range that crosses octet boundaries', () => {
    expect(ipv4RangeRegex(cidr('172.30.255.250')[0], cidr('172.31.0.5')[0])).toBe(
      '^172\\.(31\\.0\\.[0-5]|30\\.255\\.25[0-5])$',
    );
    const o = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
    expect(ipv4RangeRegex(...cidr('10.0.0.0/8'))).toBe(`^10\\.${o}\\.${o}\\.${o}$`);
    expect(ipv4RangeRegex(...cidr('0.0.0.0/0'))).toBe(`^${o}\\.${o}\\.${o}\\.${o}$`);
  });

  it('uses only characters that are inert in httpd.conf, PCRE and JavaScript alike', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (a, b) => {
          expect(ipv4RangeRegex(Math.min(a, b), Math.max(a, b))).toMatch(/^\^[0-9.\\()|[\]?-]+\$$/);
        },
      ),
    );
  });

  it('refuses what is not a range (a bug in the caller)', () => {
    expect(() => ipv4RangeRegex(5, 4)).toThrow(RangeError);
    expect(() => ipv4RangeRegex(0, 2 ** 32)).toThrow(RangeError);
  });

  // The full-space proof (every one of the 2^32 addresses) is in test/shared/exporters/proofs.test.ts,
  // through the audit's exact counter. Here: JavaScript's regex engine on the addresses around it.
  it('matches an address if and only if it is inside (every address of small prefixes and their surroundings)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 20, max: 32 }),
        (seed, prefix) => {
          const size = 2 ** (32 - prefix);
          const first = seed - (seed % size);
          const last = first + size - 1;
          const re = new RegExp(ipv4RangeRegex(first, last));
          for (let n = Math.max(0, first - 600); n <= Math.min(0xffffffff, last + 600); n += 1) {
            if (re.test(dotted(n)) !== (n >= first && n <= last))
              throw new Error(`${dotted(n)} vs ${re.source}`);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('matches an address if and only if it is inside (random large ranges, edges and samples)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 200, maxLength: 200 }),
        (a, b, samples) => {
          const first = Math.min(a, b);
          const last = Math.max(a, b);
          const re = new RegExp(ipv4RangeRegex(first, last));
          const probes = [first - 1, first, first + 1, last - 1, last, last + 1, ...samples].filter(
            (n) => n >= 0 && n <= 0xffffffff,
          );
          for (const n of probes)
            expect(re.test(dotted(n)), `${dotted(n)} vs ${re.source}`).toBe(
              n >= first && n <= last,
            );
        },
      ),
    );
  });

  it('never matches text that is not a canonical dotted quad', () => {
    const re = new RegExp(ipv4RangeRegex(...cidr('10.0.0.0/8')));
    for (const text of [
      '010.0.0.1',
      '10.00.0.1',
      '10.0.0.01',
      '10a0b0c1',
      '10.0.0.1 ',
      ' 10.0.0.1',
      '10.0.0.256',
      '10.0.0',
      '110.0.0.1',
      '10.0.0.1.5',
    ]) {
      expect(re.test(text), text).toBe(false);
    }
  });
});
