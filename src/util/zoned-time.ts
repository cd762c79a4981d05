/**
 * Wall-clock time in an IANA time zone, with the platform's own time zone data (Intl, ICU in Node):
 * what a date and time in `Europe/Stockholm` is as an instant, and the other way round, across
 * daylight-saving changes. Pure; no clock is read here.
 */

/** A calendar date and a time of day (minutes after midnight), as read on a wall clock in some zone. */
export interface WallTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  /** 0 (Sunday) to 6 (Saturday). */
  weekday: number;
  minutes: number;
}

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/** Whether `zone` is a time zone the platform knows (`Europe/Stockholm`, `UTC`, `America/New_York`). */
export function isTimeZone(zone: string): boolean {
  try {
    formatFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time in `zone` at the instant `ms` (epoch milliseconds). */
export function wallTime(ms: number, zone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatFor(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAY[parts.weekday!]!,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** How far `zone`'s wall clock is ahead of UTC at the instant `ms`, in milliseconds. */
function offsetAt(ms: number, zone: string): number {
  const w = wallTime(ms, zone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes);
  return wallAsUtc - Math.floor(ms / 60_000) * 60_000;
}

/**
 * The instant at which `zone`'s wall clock reads the date and `minutes` after its midnight (minutes
 * may pass 24:00 into the next day). A time skipped by a daylight-saving change (02:30 on the day
 * clocks go from 02:00 to 03:00) is taken as the same length of time after the change (03:30); a
 * time that occurs twice, as its first occurrence.
 */
export function instantOf(date: { year: number; month: number; day: number }, minutes: number, zone: string): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const first = asUtc - offsetAt(asUtc, zone);
  const second = asUtc - offsetAt(first, zone);
  if (second === first) {
    // Of a repeated hour, the earlier instant: one hour earlier may read the same wall time.
    const earlier = first - 3_600_000;
    return asUtc - offsetAt(earlier, zone) === earlier ? earlier : first;
  }
  // The offset changed between the guesses: the later reading is right, unless the wall time does not exist.
  const w = wallTime(second, zone);
  return Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes) === asUtc ? second : Math.max(first, second);
}

/** The calendar date `days` after `date` (negative: before). */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `YYYY-MM-DD`. */
export function isoDate(date: { year: number; month: number; day: number }): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}
