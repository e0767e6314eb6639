/**
 * The dictionary gives one id per distinct value, whichever road the value arrives by (bytes in
 * a bigger buffer, text, a number), and gives the value back exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dictionary } from '../../../shared/index/dictionary';

const encoder = new TextEncoder();

/** Values of every kind the dictionary keeps apart: small and large integers, addresses, text. */
const value = fc.oneof(
  fc.integer({ min: 0, max: 1100 }).map(String),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String),
  fc.constantFrom('0', '00', '007', '404', '4294967296', '-1', '1.5'),
  fc
    .tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 255 })))
    .map((parts) => parts.join('.')),
  fc.constantFrom('10.0.0.1', '010.0.0.1', '::1', 'fe80::1', 'GET', 'gw.example.com'),
  fc.string({ minLength: 1, maxLength: 12 }),
);

/** Interns `text` by one of the roads the formats use. */
function intern(dictionary: Dictionary, text: string, road: number): number {
  if (road === 0) return dictionary.internText(text);
  if (road === 1 && /^(0|[1-9]\d{0,9})$/.test(text) && Number(text) < 2 ** 32)
    return dictionary.internNumber(Number(text));
  const bytes = encoder.encode(`"${text}"`);
  return dictionary.internBytes(bytes, 1, bytes.length - 1);
}

describe('Dictionary', () => {
  it('gives one id per distinct value, whichever road it comes by, and the value back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, fc.integer({ min: 0, max: 2 })), { maxLength: 200 }),
        (arrivals) => {
          const dictionary = new Dictionary();
          const model = new Map<string, number>();
          for (const [text, road] of arrivals) {
            const id = intern(dictionary, text, road);
            const known = model.get(text);
            if (known === undefined) {
              expect(id).toBe(model.size + 1);
              model.set(text, id);
            } else expect(id).toBe(known);
          }
          expect(dictionary.size).toBe(model.size);
          for (const [text, id] of model) {
            expect(dictionary.value(id)).toBe(text);
            expect(dictionary.lookup(text)).toBe(id);
          }
        },
      ),
    );
  });

  it('gives a value from another dictionary the id its own bytes get, invalid UTF-8 included', () => {
    const bytesOf = fc.oneof(
      value.map((text) => encoder.encode(text)),
      fc.uint8Array({ minLength: 1, maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(bytesOf, { minLength: 1, maxLength: 60 }), (values) => {
        const host = new Dictionary();
        const viaHost = new Dictionary();
        const direct = new Dictionary();
        for (const bytes of values) {
          const id = host.internBytes(bytes, 0, bytes.length);
          expect(viaHost.internValueOf(host, id)).toBe(direct.internBytes(bytes, 0, bytes.length));
        }
        expect(viaHost.allValues()).toEqual(direct.allValues());
      }),
    );
    expect(new Dictionary().internValueOf(new Dictionary(), 0)).toBe(0);
  });

  it('tells apart values of 17 to 32 bytes that differ in one byte, wherever it is', () => {
    // Such values have a cache of their own, that compares eight words: many values differing
    // in one place only share its slots, and every word must count.
    for (const length of [17, 20, 23, 24, 28, 31, 32])
      for (let at = 0; at < length; at++) {
        const dictionary = new Dictionary();
        const seen = new Set<number>();
        for (let b = 0; b < 200; b++) {
          const bytes = new Uint8Array(length).fill(0x6e);
          bytes[at] = 0x21 + b;
          const id = dictionary.internBytes(bytes, 0, length);
          expect(seen.has(id), `length ${length}, byte ${at} = ${bytes[at]}`).toBe(false);
          seen.add(id);
          expect(dictionary.internBytes(bytes.slice(), 0, length)).toBe(id);
        }
      }
  });

  it('keeps statuses apart from text that looks like them', () => {
    const dictionary = new Dictionary();
    const status = dictionary.internNumber(404);
    expect(intern(dictionary, '404', 2)).toBe(status);
    expect(intern(dictionary, '0404', 2)).not.toBe(status);
    expect(dictionary.internNumber(1023)).not.toBe(dictionary.internNumber(1024));
    expect(dictionary.value(dictionary.internNumber(1024))).toBe('1024');
  });

  it('has no id for nothing', () => {
    const dictionary = new Dictionary();
    expect(dictionary.internText('')).toBe(0);
    expect(dictionary.internBytes(encoder.encode('abc'), 1, 1)).toBe(0);
    expect(dictionary.value(0)).toBeNull();
    expect(dictionary.lookup('absent')).toBe(0);
  });

  it('finds tens of thousands of values again by their bytes, alone or among others', () => {
    // Addresses, numbers and names of 4 to 32 bytes go through caches of their bytes that grow
    // with the dictionary and lose values to collisions: every answer must still be exact.
    const values = Array.from({ length: 20000 }, (_, i) =>
      i % 3 === 0
        ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
        : i % 3 === 1
          ? String(1000 + i * 7)
          : `h${i}.example`.slice(0, 4 + (i % 13)),
    );
    // 16-byte names that differ only in their middle or their end: many share a slot, so each
    // word counts.
    for (let i = 0; i < 10000; i++)
      values.push(
        `gateway-${String(i).padStart(4, '0')}.lan`,
        `edge-proxy.a${String(i).padStart(4, '0')}`,
      );
    // Longer names, found by a hash of their words and compared word by word, then byte by byte.
    for (let i = 0; i < 3000; i++)
      values.push(
        `cdn-${i % 10}.eu.example.com/${String(i).padStart(4, '0')}`.slice(0, 17 + (i % 24)),
      );
    const dictionary = new Dictionary();
    const ids = new Map<string, number>();
    for (const value of values) {
      const id = intern(dictionary, value, 2);
      expect(ids.get(value) ?? id).toBe(id);
      ids.set(value, id);
    }
    for (const value of [...values].reverse()) {
      expect(intern(dictionary, value, 2)).toBe(ids.get(value));
      expect(dictionary.value(ids.get(value)!)).toBe(value);
    }
    expect(dictionary.size).toBe(ids.size);
    // The same bytes at another place in another buffer, and a value one byte away from a known one.
    expect(intern(dictionary, '10.0.0.3', 0)).toBe(ids.get('10.0.0.3'));
    expect(intern(dictionary, '10.0.0.30', 2)).toBe(ids.get('10.0.0.30'));
    expect(intern(dictionary, '10.0.0.31', 2)).toBe(ids.size + 1);
  });
});
