import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cidrRange,
  describeRange,
  formatCidr,
  formatRange,
  parseCidr,
  parseIpSpec,
  rangeContains,
  rangeSize,
  rangeToCidrs,
  type IpRange,
} from '../../../shared/net/range';

const spec = (text: string) => {
  const r = parseIpSpec(text);
  return r.ok
    ? { kind: r.value.kind, range: formatRange(r.value) }
    : { error: r.error.reason, hint: r.error.hint };
};

describe('parseIpSpec', () => {
  it('reads an address, a CIDR and a range', () => {
    expect(spec('10.9.8.7')).toEqual({ kind: 'address', range: '10.9.8.7-10.9.8.7' });
    expect(spec('172.16.1.0/24')).toEqual({ kind: 'cidr', range: '172.16.1.0-172.16.1.255' });
    expect(spec('10.0.0.1-10.0.0.20')).toEqual({ kind: 'range', range: '10.0.0.1-10.0.0.20' });
    expect(spec('0.0.0.0/0')).toEqual({ kind: 'cidr', range: '0.0.0.0-255.255.255.255' });
    expect(spec('2001:db8::/32')).toEqual({
      kind: 'cidr',
      range: '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
    });
    expect(spec('::1-::3')).toEqual({ kind: 'range', range: '::1-::3' });
    expect(spec('::/0')).toEqual({
      kind: 'cidr',
      range: '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    });
  });

  it('refuses a CIDR with host bits set, and says both ways to fix it', () => {
    expect(spec('172.16.1.5/24')).toEqual({
      error: 'host bits are set: `172.16.1.5/24` is not the start of a /24 network',
      hint: 'Write 172.16.1.0/24 for the whole network, or 172.16.1.5 for the one host.',
    });
    expect(spec('2001:db8::1/64')).toMatchObject({
      hint: 'Write 2001:db8::/64 for the whole network, or 2001:db8::1 for the one host.',
    });
  });

  it.each([
    ['172.16.1.0/33', 'prefix must be 0–32'],
    ['::/129', 'prefix must be 0–128'],
    ['10.0.0.0/08', 'prefix must be 0–32'],
    ['10.0.0.0/', 'prefix must be 0–32'],
    ['10.0.0.0/-1', 'prefix must be 0–32'],
    ['10.0.0.0/8/8', 'prefix must be 0–32'],
    ['10.0.0.20-10.0.0.1', 'the range starts after it ends'],
    ['10.0.0.1-::1', 'same family'],
    ['10.0.0.1-10.0.0.2-10.0.0.3', 'exactly one `-`'],
    ['10.0.0.1-', 'range end'],
    ['10.0.0.1 - 10.0.0.2', 'whitespace'],
    ['10.0.0.1\n', 'whitespace'],
    ['', 'empty'],
    ['example.com', 'four decimal numbers'],
  ])('refuses %j: %s', (text, reason) => {
    expect(spec(text)).toMatchObject({ error: expect.stringContaining(reason) as unknown });
  });

  it('parseCidr is strict as well', () => {
    expect(parseCidr('10.0.0.1/32').ok).toBe(true);
    expect(parseCidr('10.0.0.1/31').ok).toBe(false);
    expect(parseCidr('10.0.0.1').ok).toBe(false);
  });
});

/** Independent minimal cover: dynamic programming over every aligned block, for small ranges. */
function minimalBlockCount(first: number, last: number): number {
  const best = new Map<number, number>();
  const solve = (start: number): number => {
    if (start > last) return 0;
    const known = best.get(start);
    if (known !== undefined) return known;
    let result = Infinity;
    for (let size = 1; start % size === 0 && start + size - 1 <= last; size *= 2) {
      result = Math.min(result, 1 + solve(start + size));
    }
    best.set(start, result);
    return result;
  };
  return solve(first);
}

describe('rangeToCidrs', () => {
  it('splits the issue example', () => {
    const r = parseIpSpec('10.0.0.1-10.0.0.20');
    expect(r.ok && rangeToCidrs(r.value).map(formatCidr)).toEqual([
      '10.0.0.1/32',
      '10.0.0.2/31',
      '10.0.0.4/30',
      '10.0.0.8/29',
      '10.0.0.16/30',
      '10.0.0.20/32',
    ]);
  });

  it('covers the whole space with one block', () => {
    expect(rangeToCidrs({ family: 4, first: 0n, last: 0xffffffffn }).map(formatCidr)).toEqual([
      '0.0.0.0/0',
    ]);
    expect(rangeToCidrs({ family: 6, first: 0n, last: (1n << 128n) - 1n }).map(formatCidr)).toEqual(
      ['::/0'],
    );
  });

  const v4Range = fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }))
    .map(([a, b]): IpRange => ({
      family: 4,
      first: BigInt(Math.min(a, b)),
      last: BigInt(Math.max(a, b)),
    }));
  const v6Range = fc
    .tuple(
      fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
      fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
    )
    .map(([a, b]): IpRange => ({ family: 6, first: a < b ? a : b, last: a < b ? b : a }));

  it('returns aligned, ascending, adjacent blocks whose union is exactly the range', () => {
    fc.assert(
      fc.property(fc.oneof(v4Range, v6Range), (range) => {
        const blocks = rangeToCidrs(range).map(cidrRange);
        expect(blocks[0]?.first).toBe(range.first);
        expect(blocks[blocks.length - 1]?.last).toBe(range.last);
        for (let i = 1; i < blocks.length; i += 1)
          expect(blocks[i]?.first).toBe((blocks[i - 1]?.last ?? 0n) + 1n);
        for (const cidr of rangeToCidrs(range)) {
          const hostBits = BigInt((range.family === 4 ? 32 : 128) - cidr.prefix);
          expect(cidr.network % (1n << hostBits)).toBe(0n); // aligned: a real network
        }
        expect(blocks.reduce((n, b) => n + rangeSize(b), 0n)).toBe(rangeSize(range));
      }),
    );
  });

  it('uses the fewest blocks possible (checked against an exhaustive search)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4096 }),
        fc.integer({ min: 0, max: 600 }),
        (first, span) => {
          const range: IpRange = { family: 4, first: BigInt(first), last: BigInt(first + span) };
          expect(rangeToCidrs(range)).toHaveLength(minimalBlockCount(first, first + span));
        },
      ),
    );
  });
});

describe('helpers', () => {
  it('describes a range the way a person writes it', () => {
    expect(describeRange({ family: 4, first: 0x0a000005n, last: 0x0a000005n })).toBe('10.0.0.5');
    expect(describeRange({ family: 4, first: 0xac100100n, last: 0xac1001ffn })).toBe(
      '172.16.1.0/24',
    );
    expect(describeRange({ family: 4, first: 0x0a000001n, last: 0x0a000014n })).toBe(
      '10.0.0.1-10.0.0.20',
    );
  });

  it('never lets families meet', () => {
    const v4 = { family: 4, first: 0n, last: 0xffffffffn } as const;
    expect(rangeContains(v4, { family: 6, value: 1n })).toBe(false);
    expect(rangeContains(v4, { family: 4, value: 1n })).toBe(true);
  });
});
