/** How numbers, sizes, durations and times are written in the UI (one place, one style). */
import { LOCAL_TIME_ZONE } from '../../shared/settings/settings';

const count = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return count.format(Math.round(n));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      ...(zone === LOCAL_TIME_ZONE ? {} : { timeZone: zone }),
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
    });
    zoneFormatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * A time as `2024-03-05 08:14:02.250`, in UTC unless another zone is given (an IANA name, or
 * `local` for this computer's zone). Logs are indexed in UTC; only the display changes.
 */
export function formatTime(ms: number | null, zone = 'UTC'): string {
  if (ms === null || !Number.isFinite(ms)) return '';
  if (zone === 'UTC') {
    const iso = new Date(ms).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  }
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of zoneFormatter(zone).formatToParts(ms)) part[p.type] = p.value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}.${part.fractionalSecond}`;
}

/** The zone's name for headers: `UTC`, `Europe/Berlin`, or this computer's zone for `local`. */
export function zoneLabel(zone: string): string {
  return zone === LOCAL_TIME_ZONE ? Intl.DateTimeFormat().resolvedOptions().timeZone : zone;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
