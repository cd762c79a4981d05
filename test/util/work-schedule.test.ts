/**
 * Rollout schedules (src/util/work-schedule.ts) against the platform's own time zone data: each
 * expected instant below is written as UTC and was read off the zone's published offsets (Europe:
 * summer time from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC; the
 * United States: second Sunday of March 02:00 local to first Sunday of November 02:00 local).
 */
import { describe, expect, it } from '@jest/globals';
import { parseWeeklyWindow, scheduleState, type WorkSchedule } from '../../src/util/work-schedule.js';
import { instantOf, isTimeZone } from '../../src/util/zoned-time.js';

function schedule(windows: string[], timezone = 'Europe/Stockholm', holidays: string[] = []): WorkSchedule {
  return {
    windows: windows.map((w) => {
      const parsed = parseWeeklyWindow(w);
      if (typeof parsed === 'string') throw new Error(parsed);
      return parsed;
    }),
    timezone,
    holidays: new Set(holidays),
  };
}

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('parseWeeklyWindow', () => {
  it('reads day ranges, lists and wrapping ranges', () => {
    expect(parseWeeklyWindow('Mon-Fri 09:00-17:00')).toMatchObject({ days: new Set([1, 2, 3, 4, 5]), from: 540, to: 1020 });
    expect(parseWeeklyWindow('mon,wed,fri 10:00-12:30')).toMatchObject({ days: new Set([1, 3, 5]), from: 600, to: 750 });
    expect(parseWeeklyWindow('Fri-Mon 08:00-24:00')).toMatchObject({ days: new Set([5, 6, 0, 1]), to: 1440 });
    expect(parseWeeklyWindow('Sun 22:00-06:00')).toMatchObject({ days: new Set([0]), from: 1320, to: 1440 + 360 });
  });

  it('says what is wrong', () => {
    expect(parseWeeklyWindow('weekdays 9-5')).toMatch(/"weekdays" is not a day/);
    expect(parseWeeklyWindow('Mon-Fri 9:00-17:00')).toMatch(/"9:00" is not a time of day \(HH:MM/);
    expect(parseWeeklyWindow('Mon-Fri 09:00-24:30')).toMatch(/"24:30" is after 24:00|is not a time of day/);
    expect(parseWeeklyWindow('Mon 10:00-10:00')).toMatch(/empty/);
    expect(parseWeeklyWindow('Mon-Fri')).toMatch(/expected days and hours such as "Mon-Fri 09:00-17:00"/);
  });
});

describe('zoned time', () => {
  it('knows the platform time zones and refuses others', () => {
    expect(isTimeZone('Europe/Stockholm')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Stokholm')).toBe(false);
  });

  it('turns wall times into instants across daylight-saving changes', () => {
    // Winter (UTC+1), summer (UTC+2) in Stockholm.
    expect(iso(instantOf({ year: 2027, month: 1, day: 11 }, 9 * 60, 'Europe/Stockholm'))).toBe('2027-01-11T08:00:00.000Z');
    expect(iso(instantOf({ year: 2027, month: 6, day: 14 }, 9 * 60, 'Europe/Stockholm'))).toBe('2027-06-14T07:00:00.000Z');
    // 2027-03-28: 02:00 → 03:00. 02:30 does not exist: taken as 03:30 (01:30 UTC).
    expect(iso(instantOf({ year: 2027, month: 3, day: 28 }, 150, 'Europe/Stockholm'))).toBe('2027-03-28T01:30:00.000Z');
    // 2026-10-25: 03:00 → 02:00. 02:30 happens twice: the first (00:30 UTC).
    expect(iso(instantOf({ year: 2026, month: 10, day: 25 }, 150, 'Europe/Stockholm'))).toBe('2026-10-25T00:30:00.000Z');
    // New York, summer time from 2027-03-14.
    expect(iso(instantOf({ year: 2027, month: 3, day: 15 }, 9 * 60, 'America/New_York'))).toBe('2027-03-15T13:00:00.000Z');
  });
});

describe('scheduleState', () => {
  const office = schedule(['Mon-Fri 09:00-17:00']);

  it('is open inside a window until it closes, and closed outside it until the next one', () => {
    // Monday 2027-01-11 10:00 Stockholm = 09:00 UTC.
    expect(scheduleState(office, at('2027-01-11T09:00:00Z'))).toEqual({ open: true, closesAt: at('2027-01-11T16:00:00Z') });
    // Friday 17:00 Stockholm: closed; next Monday 09:00.
    expect(scheduleState(office, at('2027-01-15T16:00:00Z'))).toEqual({ open: false, opensAt: at('2027-01-18T08:00:00Z') });
    // Saturday.
    expect(scheduleState(office, at('2027-01-16T12:00:00Z'))).toEqual({ open: false, opensAt: at('2027-01-18T08:00:00Z') });
  });

  it('follows the time zone it is read in: one instant, open in one zone and closed in another', () => {
    const now = at('2027-01-11T15:30:00Z'); // 16:30 in Stockholm, 10:30 in New York, 00:30 Tuesday in Tokyo
    expect(scheduleState(office, now, 'Europe/Stockholm').open).toBe(true);
    expect(scheduleState(office, now, 'America/New_York').open).toBe(true);
    expect(scheduleState(office, now, 'Asia/Tokyo')).toEqual({ open: false, opensAt: at('2027-01-12T00:00:00Z') });
  });

  it('keeps 09:00 local across the change to summer time', () => {
    // Friday 2027-03-26 17:00 (UTC+1) → Monday 2027-03-29 09:00, now UTC+2.
    expect(scheduleState(office, at('2027-03-26T16:30:00Z'))).toEqual({ open: false, opensAt: at('2027-03-29T07:00:00Z') });
    // And back: Friday 2026-10-23 (UTC+2) → Monday 2026-10-26 09:00 (UTC+1).
    expect(scheduleState(office, at('2026-10-23T15:30:00Z'))).toEqual({ open: false, opensAt: at('2026-10-26T08:00:00Z') });
  });

  it('skips holidays, and windows that run past midnight', () => {
    const christmas = schedule(['Mon-Fri 09:00-17:00'], 'Europe/Stockholm', ['2026-12-24', '2026-12-25']);
    // Wednesday 23 Dec, after work → Monday 28 Dec.
    expect(scheduleState(christmas, at('2026-12-23T17:00:00Z'))).toEqual({ open: false, opensAt: at('2026-12-28T08:00:00Z') });
    const night = schedule(['Sat 22:00-06:00'], 'UTC');
    expect(scheduleState(night, at('2027-01-17T05:00:00Z'))).toEqual({ open: true, closesAt: at('2027-01-17T06:00:00Z') });
    expect(scheduleState(night, at('2027-01-17T06:00:00Z'))).toEqual({ open: false, opensAt: at('2027-01-23T22:00:00Z') });
  });

  it('says when no window opens at all', () => {
    const days: string[] = [];
    for (let d = new Date('2027-01-01T00:00:00Z'); d.getUTCFullYear() < 2029; d.setUTCDate(d.getUTCDate() + 1))
      days.push(d.toISOString().slice(0, 10));
    expect(scheduleState(schedule(['Mon-Fri 09:00-17:00'], 'UTC', days), at('2027-01-01T00:00:00Z'))).toEqual({
      open: false,
      opensAt: null,
    });
  });
});
