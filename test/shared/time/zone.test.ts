import { describe, expect, it } from 'vitest';
import { wallToUtc } from '../../../shared/time/zone';

const wall = (y: number, mo: number, d: number, h: number, mi = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('wallToUtc', () => {
  it.each([
    // [zone, wall time, UTC, why]
    ['Europe/Berlin', wall(2024, 1, 15, 12), '2024-01-15T11:00:00.000Z', 'winter, CET'],
    ['Europe/Berlin', wall(2024, 7, 15, 12), '2024-07-15T10:00:00.000Z', 'summer, CEST'],
    [
      'Europe/Berlin',
      wall(2024, 3, 31, 2, 30),
      '2024-03-31T01:30:00.000Z',
      'skipped: an hour later (03:30 CEST)',
    ],
    [
      'Europe/Berlin',
      wall(2024, 10, 27, 2, 30),
      '2024-10-27T00:30:00.000Z',
      'repeated: the earlier (02:30 CEST)',
    ],
    [
      'America/New_York',
      wall(2024, 3, 10, 2, 30),
      '2024-03-10T07:30:00.000Z',
      'skipped: an hour later (03:30 EDT)',
    ],
    [
      'America/New_York',
      wall(2024, 11, 3, 1, 30),
      '2024-11-03T05:30:00.000Z',
      'repeated: the earlier (01:30 EDT)',
    ],
    [
      'Australia/Sydney',
      wall(2024, 4, 7, 2, 30),
      '2024-04-06T15:30:00.000Z',
      'repeated: the earlier (02:30 AEDT)',
    ],
    [
      'Australia/Sydney',
      wall(2024, 10, 6, 2, 30),
      '2024-10-05T16:30:00.000Z',
      'skipped: an hour later (03:30 AEDT)',
    ],
    ['Asia/Kolkata', wall(2024, 3, 5, 8), '2024-03-05T02:30:00.000Z', 'no DST, +05:30'],
  ])('%s %s → %s (%s)', (zone, wallMs, expected) => {
    expect(iso(wallToUtc(wallMs, zone))).toBe(expected);
  });

  it('passes UTC and missing zones through', () => {
    expect(wallToUtc(wall(2024, 3, 31, 2, 30), undefined)).toBe(wall(2024, 3, 31, 2, 30));
    expect(wallToUtc(wall(2024, 3, 31, 2, 30), 'UTC')).toBe(wall(2024, 3, 31, 2, 30));
  });
});
