/**
 * Time-zone abbreviations (`MST`, `CEST`, ...) as logs write them after a wall-clock time. An
 * abbreviation is not a zone: it names the offset in force when the line was written (`MST` is
 * UTC−07:00 whether or not Denver was on daylight time), so an unambiguous one maps to a fixed
 * offset. Several abbreviations mean different offsets in different countries; for those, and
 * for ones not in the table, the time is read in the file's time-zone option, and the record's
 * notes say so. The user can map any abbreviation with the `zoneAbbreviations` format option.
 *
 * Source of the readings: the abbreviations the IANA tz database (tzdata 2024) prints for its
 * zones, plus the common English names. Abbreviations are not standardised anywhere; the table
 * is data, so adding a reading is a one-line change.
 */
import type { FormatOptions } from '../formats/types';
import { wallToUtc } from './zone';

export interface ZoneAbbreviation {
  /** Offset from UTC in minutes, positive east of Greenwich. */
  readonly offsetMinutes: number;
  readonly meaning: string;
}

function reading(offsetMinutes: number, meaning: string): ZoneAbbreviation {
  return { offsetMinutes, meaning };
}

/** Abbreviations with one reading in current use. */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, ZoneAbbreviation>> = {
  UTC: reading(0, 'Coordinated Universal Time'),
  UT: reading(0, 'Universal Time'),
  GMT: reading(0, 'Greenwich Mean Time'),
  Z: reading(0, 'UTC (Zulu)'),
  // North America. EST was also printed for Australian Eastern time by tzdata before 2014; logs
  // from Australian hosts of that era need the zoneAbbreviations option (EST → +10:00).
  EST: reading(-5 * 60, 'North American Eastern Standard Time'),
  EDT: reading(-4 * 60, 'North American Eastern Daylight Time'),
  MST: reading(-7 * 60, 'North American Mountain Standard Time'),
  MDT: reading(-6 * 60, 'North American Mountain Daylight Time'),
  PDT: reading(-7 * 60, 'North American Pacific Daylight Time'),
  AKST: reading(-9 * 60, 'Alaska Standard Time'),
  AKDT: reading(-8 * 60, 'Alaska Daylight Time'),
  HST: reading(-10 * 60, 'Hawaii Standard Time'),
  HDT: reading(-9 * 60, 'Hawaii-Aleutian Daylight Time'),
  ADT: reading(-3 * 60, 'Atlantic Daylight Time'),
  NST: reading(-(3 * 60 + 30), 'Newfoundland Standard Time'),
  NDT: reading(-(2 * 60 + 30), 'Newfoundland Daylight Time'),
  // Europe and Africa
  WET: reading(0, 'Western European Time'),
  WEST: reading(60, 'Western European Summer Time'),
  CET: reading(60, 'Central European Time'),
  CEST: reading(2 * 60, 'Central European Summer Time'),
  MET: reading(60, 'Middle European Time'),
  MEST: reading(2 * 60, 'Middle European Summer Time'),
  EET: reading(2 * 60, 'Eastern European Time'),
  EEST: reading(3 * 60, 'Eastern European Summer Time'),
  MSK: reading(3 * 60, 'Moscow Time'),
  IDT: reading(3 * 60, 'Israel Daylight Time'),
  WAT: reading(60, 'West Africa Time'),
  CAT: reading(2 * 60, 'Central Africa Time'),
  SAST: reading(2 * 60, 'South African Standard Time'),
  EAT: reading(3 * 60, 'East Africa Time'),
  // Asia and the Pacific
  PKT: reading(5 * 60, 'Pakistan Standard Time'),
  WIB: reading(7 * 60, 'Western Indonesia Time'),
  WITA: reading(8 * 60, 'Central Indonesia Time'),
  WIT: reading(9 * 60, 'Eastern Indonesia Time'),
  HKT: reading(8 * 60, 'Hong Kong Time'),
  AWST: reading(8 * 60, 'Australian Western Standard Time'),
  JST: reading(9 * 60, 'Japan Standard Time'),
  KST: reading(9 * 60, 'Korea Standard Time'),
  ACST: reading(9 * 60 + 30, 'Australian Central Standard Time'),
  ACDT: reading(10 * 60 + 30, 'Australian Central Daylight Time'),
  AEST: reading(10 * 60, 'Australian Eastern Standard Time'),
  AEDT: reading(11 * 60, 'Australian Eastern Daylight Time'),
  ChST: reading(10 * 60, 'Chamorro Standard Time'),
  NZST: reading(12 * 60, 'New Zealand Standard Time'),
  NZDT: reading(13 * 60, 'New Zealand Daylight Time'),
  SST: reading(-11 * 60, 'Samoa Standard Time'),
};

/**
 * Abbreviations with more than one reading in current use: these are never guessed. The list of
 * readings is what the detail pane shows so the user can choose.
 */
export const AMBIGUOUS_ZONE_ABBREVIATIONS: Readonly<Record<string, readonly ZoneAbbreviation[]>> = {
  CST: [
    reading(-6 * 60, 'North American Central Standard Time'),
    reading(8 * 60, 'China Standard Time'),
    reading(-5 * 60, 'Cuba Standard Time'),
  ],
  CDT: [
    reading(-5 * 60, 'North American Central Daylight Time'),
    reading(-4 * 60, 'Cuba Daylight Time'),
  ],
  PST: [
    reading(-8 * 60, 'North American Pacific Standard Time'),
    reading(8 * 60, 'Philippine Standard Time'),
  ],
  IST: [
    reading(5 * 60 + 30, 'India Standard Time'),
    reading(2 * 60, 'Israel Standard Time'),
    reading(60, 'Irish Standard Time (summer)'),
  ],
  BST: [reading(60, 'British Summer Time'), reading(6 * 60, 'Bangladesh Standard Time')],
  AST: [reading(-4 * 60, 'Atlantic Standard Time'), reading(3 * 60, 'Arabia Standard Time')],
};

/** How a wall-clock time followed by a zone token becomes UTC. */
export type ZoneResolution =
  | {
      readonly kind: 'offset';
      readonly offsetMinutes: number;
      /** Why: the table's reading, a numeric offset in the text, or the user's override. */
      readonly note: string | null;
    }
  | {
      readonly kind: 'zone';
      /** IANA zone (or undefined = UTC) the wall time is read in. */
      readonly zone: string | undefined;
      /** Why the file's zone was used, for the record's notes (null: nothing to explain). */
      readonly note: string | null;
    };

/** `+05:30`, `-0700`, `+07`, optionally after `UTC`/`GMT`: offset in minutes, or null. */
export function parseUtcOffset(text: string): number | null {
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text);
  if (m === null) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function zoneName(zone: string | undefined): string {
  return zone ?? 'UTC';
}

/**
 * Resolves the zone token written after a time. Order: the user's override for the token, a
 * numeric offset, the table's single reading, and finally the file's time zone (for ambiguous,
 * unknown or missing tokens), with a note saying why.
 */
export function resolveZoneToken(token: string | null, options: FormatOptions): ZoneResolution {
  const zone = options.timeZone;
  if (token === null || token === '')
    return {
      kind: 'zone',
      zone,
      note: `No time zone is written; read in the file's time zone ${zoneName(zone)}.`,
    };
  const override = options.zoneAbbreviations?.[token];
  if (override !== undefined) {
    const offset = parseUtcOffset(override);
    if (offset !== null)
      return {
        kind: 'offset',
        offsetMinutes: offset,
        note: `${token} read as ${formatOffset(offset)} (zone-abbreviation option).`,
      };
    return {
      kind: 'zone',
      zone: override,
      note: `${token} read in ${override} (zone-abbreviation option).`,
    };
  }
  const numeric = parseUtcOffset(token);
  if (numeric !== null) return { kind: 'offset', offsetMinutes: numeric, note: null };
  const known = ZONE_ABBREVIATIONS[token];
  if (known !== undefined)
    return {
      kind: 'offset',
      offsetMinutes: known.offsetMinutes,
      note: `${token} read as ${known.meaning} (${formatOffset(known.offsetMinutes)}).`,
    };
  const readings = AMBIGUOUS_ZONE_ABBREVIATIONS[token];
  if (readings !== undefined) {
    const list = readings.map((r) => `${r.meaning} ${formatOffset(r.offsetMinutes)}`).join(', ');
    return {
      kind: 'zone',
      zone,
      note: `${token} is ambiguous (${list}); read in the file's time zone ${zoneName(zone)}. Set the time zone, or map ${token} in the zone-abbreviation option.`,
    };
  }
  return {
    kind: 'zone',
    zone,
    note: `The time zone "${token}" is not in LogSieve's table; read in the file's time zone ${zoneName(zone)}. Set the time zone, or map ${token} in the zone-abbreviation option.`,
  };
}

/** UTC ms of a wall-clock time (`wallMs`, given as if it were UTC) under a resolution. */
export function resolvedToUtc(wallMs: number, resolution: ZoneResolution): number {
  if (Number.isNaN(wallMs)) return NaN;
  return resolution.kind === 'offset'
    ? wallMs - resolution.offsetMinutes * 60_000
    : wallToUtc(wallMs, resolution.zone);
}
