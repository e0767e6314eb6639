/**
 * Apache access timestamps on the index road remember the last minute; every record's time must
 * still be exactly what parsing that record alone gives, and what the calendar says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../../shared/formats/registry';
import type { TextFormat } from '../../../shared/formats/types';
import { ingest } from '../../helpers/ingest';

const format = formatById('apache-access') as TextFormat;
const ZONES: readonly number[] = [0, 60, -300, 330, -570, 840];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Stamp {
  day: number;
  month: number;
  year: number;
  hour: number;
  minute: number;
  second: number;
  /** Zone offset in minutes east of UTC. */
  zone: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * The time the index gives a line that comes alone: nothing remembered. (The parsed record is no
 * witness: where its own time is missing, the index's fills in.)
 */
function timeAlone(line: string): number | null {
  return ingest(format, line).index.timeOf(0);
}

function text(s: Stamp): string {
  const zone = Math.abs(s.zone);
  const sign = s.zone < 0 ? '-' : '+';
  return `${two(s.day)}/${MONTHS[s.month - 1]}/${s.year}:${two(s.hour)}:${two(s.minute)}:${two(s.second)} ${sign}${two(Math.floor(zone / 60))}${two(zone % 60)}`;
}

function utcMs(s: Stamp): number {
  return Date.UTC(s.year, s.month - 1, s.day, s.hour, s.minute, s.second) - s.zone * 60000;
}

const stamp = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  month: fc.integer({ min: 1, max: 12 }),
  year: fc.integer({ min: 1999, max: 2031 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
  zone: fc.constantFrom(...ZONES),
});

/** What happens between one record and the next: mostly the same minute, as on a busy server. */
const step = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('second'), value: fc.nat(60) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('minute'), value: fc.nat(59) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('zone'), value: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fresh'), value: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('damage'),
      value: fc.nat(25),
      byte: fc.constantFrom('x', '9', '0', ':', '/', ' ', '+', '-', 'é'),
    }),
  },
);

describe('apache-access times on the index road', () => {
  it('equal the time of each record parsed alone, whatever came before it', () => {
    fc.assert(
      fc.property(stamp, fc.array(fc.tuple(step, stamp), { maxLength: 40 }), (first, steps) => {
        let current = first;
        const lines: string[] = [];
        const expected: (number | null)[] = [];
        const push = (stampText: string, ms: number | null): void => {
          lines.push(`10.0.0.1 - - [${stampText}] "GET / HTTP/1.1" 200 5`);
          expected.push(ms);
        };
        push(text(current), utcMs(current));
        for (const [s, fresh] of steps) {
          if (s.kind === 'damage') {
            // One byte changed: the line is kept, and its time is whatever parsing it alone says.
            const t = text(current);
            push(t.slice(0, s.value) + s.byte + t.slice(s.value + 1), null);
            continue;
          }
          if (s.kind === 'second') current = { ...current, second: s.value };
          else if (s.kind === 'minute') current = { ...current, minute: s.value };
          else if (s.kind === 'zone') current = { ...current, zone: ZONES[s.value]! };
          else current = fresh;
          // Second 60 (a leap second) is accepted and counts as the next minute's first.
          push(text(current), utcMs(current));
        }
        const { index } = ingest(format, lines.join('\n'));
        expect(index.count).toBe(lines.length);
        lines.forEach((line, i) => {
          expect(index.timeOf(i)).toBe(timeAlone(line));
          if (expected[i] !== null) expect(index.timeOf(i)).toBe(expected[i]);
        });
      }),
    );
  });

  it('reads the seconds of a record that repeats the last minute, and rejects bad ones', () => {
    const lines = [
      '05/Mar/2024:10:15:00 +0100',
      '05/Mar/2024:10:15:59 +0100',
      '05/Mar/2024:10:15:6x +0100',
      '05/Mar/2024:10:15:61 +0100',
      '05/Mar/2024:10:15:07 +0100',
    ].map((t) => `10.0.0.1 - - [${t}] "GET / HTTP/1.1" 200 5`);
    const { index } = ingest(format, lines.join('\n'));
    const at = (s: number): number => Date.UTC(2024, 2, 5, 9, 15, s);
    expect([0, 1, 2, 3, 4].map((i) => index.timeOf(i))).toEqual([at(0), at(59), null, null, at(7)]);
  });

  it('tells apart a record that differs from the last minute in any one byte', () => {
    // Every position, every likely byte: the remembered minute must cover each byte it stands for.
    const valid = '01/Jan/1999:10:00:00 +0130';
    const lines: string[] = [];
    for (let p = 0; p < valid.length; p++)
      for (const c of '0123456789:/ +-xJ') {
        lines.push(valid, valid.slice(0, p) + c + valid.slice(p + 1));
      }
    const entries = lines.map((t) => `10.0.0.1 - - [${t}] "GET / HTTP/1.1" 200 5`);
    const { index } = ingest(format, entries.join('\n'));
    const alone = entries.map(timeAlone);
    entries.forEach((line, i) => expect([line, index.timeOf(i)]).toEqual([line, alone[i]]));
    // Not vacuous: many changed stamps are valid times of their own, and many are not.
    expect(alone.filter((t, i) => i % 2 === 1 && t !== null).length).toBeGreaterThan(100);
    expect(alone.filter((t) => t === null).length).toBeGreaterThan(100);
  });
});
