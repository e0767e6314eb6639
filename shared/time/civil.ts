/**
 * Calendar arithmetic without Date objects, for the parsers' hot paths. All results are UTC
 * milliseconds since the epoch; callers subtract the record's own UTC offset.
 */

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). Howard Hinnant's algorithm. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** UTC ms of a civil date-time, or NaN when any part is out of range. */
export function civilToUtcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond = 0,
): number {
  if (
    !(month >= 1 && month <= 12) ||
    !(day >= 1 && day <= daysInMonth(year, month)) ||
    !(hour >= 0 && hour <= 23) ||
    !(minute >= 0 && minute <= 59) ||
    !(second >= 0 && second <= 60) ||
    !(millisecond >= 0 && millisecond < 1000)
  )
    return NaN;
  return (
    ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60000 +
    second * 1000 +
    millisecond
  );
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Month 1-12 from an English three-letter abbreviation (any case), or 0. */
export function monthFromName(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** Month 1-12 from three ASCII letters at `at` (any case), or 0. For byte parsers. */
export function monthFromBytes(buf: Uint8Array, at: number): number {
  const a = buf[at]! | 0x20;
  const b = buf[at + 1]! | 0x20;
  const c = buf[at + 2]! | 0x20;
  switch (a) {
    case 0x6a: // j
      if (b === 0x61 && c === 0x6e) return 1;
      if (b === 0x75) return c === 0x6e ? 6 : c === 0x6c ? 7 : 0;
      return 0;
    case 0x66: // f
      return b === 0x65 && c === 0x62 ? 2 : 0;
    case 0x6d: // m
      if (b !== 0x61) return 0;
      return c === 0x72 ? 3 : c === 0x79 ? 5 : 0;
    case 0x61: // a
      if (b === 0x70 && c === 0x72) return 4;
      return b === 0x75 && c === 0x67 ? 8 : 0;
    case 0x73: // s
      return b === 0x65 && c === 0x70 ? 9 : 0;
    case 0x6f: // o
      return b === 0x63 && c === 0x74 ? 10 : 0;
    case 0x6e: // n
      return b === 0x6f && c === 0x76 ? 11 : 0;
    case 0x64: // d
      return b === 0x65 && c === 0x63 ? 12 : 0;
    default:
      return 0;
  }
}

/** The value of `count` ASCII digits at `at`, or -1 if any is not a digit. */
export function digitsAt(buf: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const d = buf[at + i]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** ISO-8601 UTC text of a time in ms, or null. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}
