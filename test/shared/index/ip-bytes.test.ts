/** The index's IPv4 reader accepts exactly the strict dotted quads, and reads them right. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4Bytes } from '../../../shared/index/ip-bytes';

const encoder = new TextEncoder();
const STRICT = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** The oracle: the regex, then every octet at most 255. */
function expected(text: string): number {
  const m = STRICT.exec(text);
  if (m === null) return -1;
  const octets = m.slice(1).map(Number);
  return octets.some((o) => o > 255) ? -1 : octets.reduce((v, o) => v * 256 + o, 0);
}

function parsed(text: string): number {
  // Surrounded by digits and dots, so a reader that strays out of its range is caught.
  const bytes = encoder.encode(`9.${text}.9`);
  return parseIpv4Bytes(bytes, 2, bytes.length - 2);
}

describe('parseIpv4Bytes', () => {
  it('agrees with the strict dotted-quad grammar on address-like text', () => {
    const octet = fc.oneof(
      fc.integer({ min: 0, max: 255 }).map(String),
      fc.constantFrom('256', '999', '00', '01', '0255', '1000', '', 'a', '-1', '1 '),
    );
    fc.assert(
      fc.property(fc.array(octet, { minLength: 1, maxLength: 6 }), fc.boolean(), (parts, trail) => {
        const text = parts.join('.') + (trail ? '.' : '');
        expect(parsed(text)).toBe(expected(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on any short text of digits and dots', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.'), maxLength: 16 }),
        (text) => {
          expect(parsed(text)).toBe(expected(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads the extremes', () => {
    expect(parsed('0.0.0.0')).toBe(0);
    expect(parsed('255.255.255.255')).toBe(4294967295);
    expect(parsed('10.0.0.1')).toBe(0x0a000001);
    expect(parsed('1.2.3.04')).toBe(-1);
    expect(parsed('1.2.3.256')).toBe(-1);
  });
});
