/**
 * W3C entry times on the index road remember the last date and minute; every entry's time must
 * still be exactly what parsing that entry alone gives, and what the calendar says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../../shared/formats/registry';
import type { TextFormat } from '../../../shared/formats/types';
import { ingest } from '../../helpers/ingest';

const format = formatById('w3c') as TextFormat;
const HEADER = '#Fields: date time c-ip sc-status';

interface Stamp {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

function text(s: Stamp): string {
  return `${s.year}-${two(s.month)}-${two(s.day)} ${two(s.hour)}:${two(s.minute)}:${two(s.second)}`;
}

function utcMs(s: Stamp): number {
  return Date.UTC(s.year, s.month - 1, s.day, s.hour, s.minute, s.second);
}

function entry(stampText: string): string {
  return `${stampText} 10.0.0.1 200`;
}

/**
 * The time the index gives an entry that comes alone after the header: nothing remembered. (The
 * parsed record is no witness: where its own time is missing, the index's fills in.)
 */
function timeAlone(line: string): number | null {
  return ingest(format, `${HEADER}\n${line}`).index.timeOf(1);
}

const stamp = fc.record({
  year: fc.integer({ min: 1999, max: 2031 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
});

/** What happens between one entry and the next: mostly the same minute, as on a busy proxy. */
const step = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('second'), value: fc.nat(60) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('minute'), value: fc.nat(59) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('day'), value: fc.integer({ min: 1, max: 28 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fresh'), value: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('damage'),
      value: fc.nat(18),
      byte: fc.constantFrom('x', '9', '0', ':', '-', '.', 'é'),
    }),
  },
);

describe('w3c times on the index road', () => {
  it('equal the time of each entry parsed alone, whatever came before it', () => {
    fc.assert(
      fc.property(stamp, fc.array(fc.tuple(step, stamp), { maxLength: 40 }), (first, steps) => {
        let current = first;
        const lines = [HEADER];
        const expected: (number | null)[] = [null];
        const push = (stampText: string, ms: number | null): void => {
          lines.push(entry(stampText));
          expected.push(ms);
        };
        push(text(current), utcMs(current));
        for (const [s, fresh] of steps) {
          if (s.kind === 'damage') {
            // One byte changed: the entry is kept, and its time is whatever parsing it alone says.
            const t = text(current);
            push(t.slice(0, s.value) + s.byte + t.slice(s.value + 1), null);
            continue;
          }
          if (s.kind === 'second') current = { ...current, second: s.value };
          else if (s.kind === 'minute') current = { ...current, minute: s.value };
          else if (s.kind === 'day') current = { ...current, day: s.value };
          else current = fresh;
          // Second 60 (a leap second) is accepted and counts as the next minute's first.
          push(text(current), utcMs(current));
        }
        const { index } = ingest(format, lines.join('\n'));
        expect(index.count).toBe(lines.length);
        lines.forEach((line, i) => {
          if (i === 0) return;
          expect(index.timeOf(i)).toBe(timeAlone(line));
          if (expected[i] !== null) expect(index.timeOf(i)).toBe(expected[i]);
        });
      }),
    );
  });

  it('tells apart an entry that differs from the last minute in any one byte', () => {
    // Every position, every likely byte: the remembered minute must cover each byte it stands for.
    const valid = '2024-03-05 10:00:00';
    const lines = [HEADER];
    for (let p = 0; p < valid.length; p++)
      for (const c of '0123456789:-. x')
        lines.push(entry(valid), entry(valid.slice(0, p) + c + valid.slice(p + 1)));
    const { index } = ingest(format, lines.join('\n'));
    const alone = lines.map((line, i) => (i === 0 ? null : timeAlone(line)));
    lines.forEach((line, i) => expect([line, index.timeOf(i)]).toEqual([line, alone[i]]));
    // Not vacuous: many changed entries have valid times of their own, and many have none.
    expect(alone.filter((t, i) => i % 2 === 0 && t !== null).length).toBeGreaterThan(80);
    expect(alone.filter((t) => t === null).length).toBeGreaterThan(80);
  });

  it('reads fractions of a second and times without seconds in full', () => {
    const { index } = ingest(
      format,
      [
        HEADER,
        '2024-03-05 10:15:00 10.0.0.1 200',
        '2024-03-05 10:15:07.25 10.0.0.1 200',
        '2024-03-05 10:15 10.0.0.1 200',
        '2024-03-05 10:15:09 10.0.0.1 200',
      ].join('\n'),
    );
    const at = (s: number): number => Date.UTC(2024, 2, 5, 10, 15, 0) + s * 1000;
    expect([1, 2, 3, 4].map((i) => index.timeOf(i))).toEqual([at(0), at(7.25), at(0), at(9)]);
  });
});
