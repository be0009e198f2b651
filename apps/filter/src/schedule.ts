import { WEEKDAYS, type Schedule, type Weekday } from '@pingtree/contracts';

/** The wall clock in a time zone: weekday and minutes since local midnight. */
export interface LocalClock {
  weekday: Weekday;
  minutes: number;
}

const SHORT_DAYS: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/** Formatters are costly to build; one per time zone serves every lead. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl applies the zone's rules (DST included) for that instant, so no offset is ever assumed. */
export function localClock(timeZone: string, at: Date): LocalClock {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { weekday: SHORT_DAYS[parts['weekday']!]!, minutes: Number(parts['hour']) * 60 + Number(parts['minute']) };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Open when the local time falls in one of today's windows, or in the after-midnight part of an
 * overnight window that started yesterday (`['22:00', '02:00']` on Friday covers Saturday 01:30).
 */
export function isOpen(schedule: Schedule, at: Date): boolean {
  const { weekday, minutes } = localClock(schedule.timezone, at);
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]!;
  const today = schedule.weekly[weekday].some(([from, to]) => {
    const start = toMinutes(from);
    const end = toMinutes(to);
    return start < end ? minutes >= start && minutes < end : minutes >= start;
  });
  if (today) return true;
  return schedule.weekly[yesterday].some(([from, to]) => {
    const end = toMinutes(to);
    return end < toMinutes(from) && minutes < end;
  });
}

/** For the trail: when it was, in the buyer's zone. */
export function describeLocal(schedule: Schedule, at: Date): string {
  const { weekday, minutes } = localClock(schedule.timezone, at);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${weekday} ${hh}:${mm} in ${schedule.timezone}`;
}
