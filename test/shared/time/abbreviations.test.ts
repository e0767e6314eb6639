import { describe, expect, it } from 'vitest';
import {
  AMBIGUOUS_ZONE_ABBREVIATIONS,
  ZONE_ABBREVIATIONS,
  parseUtcOffset,
  resolveZoneToken,
  resolvedToUtc,
} from '../../../shared/time/abbreviations';

const WALL = Date.UTC(2024, 6, 1, 12, 0, 0); // 2024-07-01 12:00 as written

function utc(token: string | null, options = {}): string {
  return new Date(resolvedToUtc(WALL, resolveZoneToken(token, options))).toISOString();
}

describe('zone abbreviations', () => {
  it.each([
    ['MST', '2024-07-01T19:00:00.000Z'], // a fixed −07:00 even in July: MST names the offset
    ['MDT', '2024-07-01T18:00:00.000Z'],
    ['EST', '2024-07-01T17:00:00.000Z'],
    ['EDT', '2024-07-01T16:00:00.000Z'],
    ['GMT', '2024-07-01T12:00:00.000Z'],
    ['CEST', '2024-07-01T10:00:00.000Z'],
    ['ACST', '2024-07-01T02:30:00.000Z'],
    ['NST', '2024-07-01T15:30:00.000Z'],
    ['+0530', '2024-07-01T06:30:00.000Z'],
    ['UTC-03:00', '2024-07-01T15:00:00.000Z'],
  ])('%s', (token, expected) => {
    expect(utc(token)).toBe(expected);
  });

  it('never guesses an ambiguous abbreviation: it is read in the file time zone, with a note', () => {
    expect(utc('CST')).toBe('2024-07-01T12:00:00.000Z');
    expect(utc('CST', { timeZone: 'Asia/Shanghai' })).toBe('2024-07-01T04:00:00.000Z');
    expect(utc('IST', { timeZone: 'Asia/Kolkata' })).toBe('2024-07-01T06:30:00.000Z');
    const resolution = resolveZoneToken('CST', { timeZone: 'America/Chicago' });
    expect(resolution.note).toContain('CST is ambiguous');
    expect(resolution.note).toContain('China Standard Time');
    expect(resolution.note).toContain('America/Chicago');
  });

  it('reads unknown abbreviations and missing zones in the file time zone, with a note', () => {
    expect(utc('XYZT', { timeZone: 'Europe/Berlin' })).toBe('2024-07-01T10:00:00.000Z');
    expect(resolveZoneToken('XYZT', {}).note).toContain('not in LogSieve');
    expect(utc(null, { timeZone: 'America/New_York' })).toBe('2024-07-01T16:00:00.000Z');
    expect(resolveZoneToken(null, {}).note).toContain('No time zone is written');
  });

  it('lets the user map an abbreviation to an offset or a zone', () => {
    expect(utc('CST', { zoneAbbreviations: { CST: '-06:00' } })).toBe('2024-07-01T18:00:00.000Z');
    // An IANA zone applies its own rules: Chicago is on daylight time in July.
    expect(utc('CST', { zoneAbbreviations: { CST: 'America/Chicago' } })).toBe(
      '2024-07-01T17:00:00.000Z',
    );
    // Overrides win over the table, too.
    expect(utc('EST', { zoneAbbreviations: { EST: '+10:00' } })).toBe('2024-07-01T02:00:00.000Z');
  });

  it('keeps the table and the ambiguous list apart', () => {
    for (const abbreviation of Object.keys(AMBIGUOUS_ZONE_ABBREVIATIONS))
      expect(ZONE_ABBREVIATIONS[abbreviation]).toBeUndefined();
    for (const readings of Object.values(AMBIGUOUS_ZONE_ABBREVIATIONS))
      expect(new Set(readings.map((r) => r.offsetMinutes)).size).toBe(readings.length);
  });

  it('parses numeric offsets strictly', () => {
    expect(parseUtcOffset('+05:30')).toBe(330);
    expect(parseUtcOffset('-0700')).toBe(-420);
    expect(parseUtcOffset('GMT+1')).toBe(60);
    expect(parseUtcOffset('+15:00')).toBeNull();
    expect(parseUtcOffset('+05:61')).toBeNull();
    expect(parseUtcOffset('MST')).toBeNull();
  });
});
