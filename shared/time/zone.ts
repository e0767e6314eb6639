/**
 * Local wall-clock times (Apache error logs, Event Viewer exports, RFC 3164 syslog) carry no
 * offset: the user names the zone (default UTC). Offsets come from the runtime's ICU data through
 * Intl, cached per zone and hour so that a log of millions of lines asks Intl a handful of times.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

export const UTC = 'UTC';

/** True when the runtime knows the IANA zone name. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC in ms at the UTC instant `utcMs` (positive east of Greenwich). */
export function zoneOffsetAt(zone: string, utcMs: number): number {
  if (zone === UTC) return 0;
  const hour = Math.floor(utcMs / 3_600_000);
  let cache = offsetCache.get(zone);
  if (cache === undefined) {
    cache = new Map();
    offsetCache.set(zone, cache);
  }
  const known = cache.get(hour);
  if (known !== undefined) return known;
  const parts = formatter(zone).formatToParts(new Date(hour * 3_600_000));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const offset = asUtc - hour * 3_600_000;
  if (cache.size > 100_000) cache.clear();
  cache.set(hour, offset);
  return offset;
}

/**
 * UTC ms of a wall-clock time in `zone`, given as if it were UTC (`wallMs`). In the hour a
 * clock goes back, the earlier instant is chosen; a wall time skipped when clocks go forward maps
 * to the instant an hour later, as most systems do.
 *
 * The two candidates use the zone's offsets a day before and a day after (so both sides of a
 * transition are seen whichever side of UTC the zone lies); a candidate is valid when it reads
 * back as the same wall time.
 */
export function wallToUtc(wallMs: number, zone: string | undefined): number {
  if (zone === undefined || zone === UTC || Number.isNaN(wallMs)) return wallMs;
  const before = wallMs - zoneOffsetAt(zone, wallMs - 86_400_000);
  const after = wallMs - zoneOffsetAt(zone, wallMs + 86_400_000);
  if (before === after) return before;
  const beforeValid = before + zoneOffsetAt(zone, before) === wallMs;
  const afterValid = after + zoneOffsetAt(zone, after) === wallMs;
  if (beforeValid && afterValid) return Math.min(before, after);
  if (beforeValid) return before;
  if (afterValid) return after;
  return Math.max(before, after);
}
