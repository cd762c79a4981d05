/**
 * A rollout schedule (`rollout.schedule`, issue 21): weekly windows such as `Mon-Fri 09:00-17:00` read
 * on the wall clock of a time zone, minus holidays. Pure: whether an instant is inside, and when the
 * next window opens. Time zone arithmetic: ./zoned-time.ts.
 */
import { addDays, instantOf, isoDate, wallTime } from './zoned-time.js';

/** One weekly window: on each of `days` (0 Sunday … 6 Saturday), from `from` to `to` minutes after midnight. */
export interface WeeklyWindow {
  text: string;
  days: ReadonlySet<number>;
  from: number;
  /** After `from`; above 1440 when the window runs past midnight into the next day. */
  to: number;
}

export interface WorkSchedule {
  windows: readonly WeeklyWindow[];
  /** IANA time zone the windows are read in. */
  timezone: string;
  /** `YYYY-MM-DD` dates (in the zone) on which no window opens. */
  holidays: ReadonlySet<string>;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;
const SHAPE = 'expected days and hours such as "Mon-Fri 09:00-17:00" (days: Mon Tue Wed Thu Fri Sat Sun, ranges and commas)';

function day(name: string): number | string {
  const i = DAYS.indexOf(name.toLowerCase());
  return i >= 0 ? i : `"${name}" is not a day (Mon Tue Wed Thu Fri Sat Sun)`;
}

function time(text: string): number | string {
  const m = TIME.exec(text);
  if (!m) return `"${text}" is not a time of day (HH:MM, 00:00 to 24:00)`;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > 1440 ? `"${text}" is after 24:00` : minutes;
}

/** Parses `Mon-Fri 09:00-17:00` (also `Mon,Wed,Fri 10:00-12:00`, `Sat-Sun 22:00-06:00`); a string is what is wrong. */
export function parseWeeklyWindow(text: string): WeeklyWindow | string {
  const m = /^\s*(\S+)\s+(\S+)-(\S+)\s*$/.exec(text);
  if (!m) return `"${text}": ${SHAPE}`;
  const days = new Set<number>();
  for (const part of m[1]!.split(',')) {
    const [a, b, extra] = part.split('-');
    if (extra !== undefined || !a) return `"${text}": ${SHAPE}`;
    const first = day(a);
    const last = b === undefined ? first : day(b);
    if (typeof first === 'string') return `"${text}": ${first}`;
    if (typeof last === 'string') return `"${text}": ${last}`;
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
  }
  const from = time(m[2]!);
  const to = time(m[3]!);
  if (typeof from === 'string') return `"${text}": ${from}`;
  if (typeof to === 'string') return `"${text}": ${to}`;
  if (from === to) return `"${text}": the window is empty (it starts when it ends)`;
  if (from === 1440) return `"${text}": a window cannot start at 24:00`;
  return { text: text.trim(), days, from, to: to > from ? to : to + 1440 };
}

export type ScheduleState = { open: true; closesAt: number } | { open: false; opensAt: number | null };

/** How many days ahead the next window is looked for (holidays may close weeks). */
const HORIZON_DAYS = 400;

/** Whether `schedule` is open at `now` (epoch ms) in `timezone` (default the schedule's), and until or from when. */
export function scheduleState(schedule: WorkSchedule, now: number, timezone: string = schedule.timezone): ScheduleState {
  const today = wallTime(now, timezone);
  let next: number | null = null;
  // From yesterday (a window past midnight may still be open) to the horizon, in date order.
  for (let offset = -1; offset <= HORIZON_DAYS; offset++) {
    const date = addDays(today, offset);
    if (schedule.holidays.has(isoDate(date))) continue;
    const weekday = (today.weekday + offset + 7 * 1000) % 7;
    for (const w of schedule.windows) {
      if (!w.days.has(weekday)) continue;
      const start = instantOf(date, w.from, timezone);
      const end = instantOf(date, w.to, timezone);
      if (start <= now && now < end) return { open: true, closesAt: end };
      if (start > now && (next === null || start < next)) next = start;
    }
    if (next !== null && offset >= 1) break;
  }
  return { open: false, opensAt: next };
}

/** `Mon-Fri 09:00-17:00 Europe/Stockholm`, for messages. */
export function describeSchedule(schedule: WorkSchedule, timezone: string = schedule.timezone): string {
  return `${schedule.windows.map((w) => w.text).join(', ')} ${timezone}${schedule.holidays.size ? `, ${schedule.holidays.size} holiday${schedule.holidays.size === 1 ? '' : 's'}` : ''}`;
}
