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
});
