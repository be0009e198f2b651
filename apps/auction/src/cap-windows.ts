import type { CapPeriod } from '@pingtree/contracts';

/**
 * Cap windows in the buyer's local time: an hour starts on the local hour, a day at local midnight,
 * a week on Monday at midnight, a month on the 1st at midnight. Computed with Intl only, so a day
 * that is 23 or 25 hours long (DST) starts and ends where the buyer's clock says.
 */

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The buyer's wall clock at an instant. */
export function localParts(at: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of format(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']!,
    minute: parts['minute']!,
    second: parts['second']!,
  };
}

/** How far the local clock is ahead of UTC at an instant, in ms. */
function offsetMs(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The first instant of a local calendar date. Tries the offsets in force a day before and a day
 * after, and keeps the earliest that falls on that date: this handles a DST change on the day,
 * and zones whose midnight is skipped (the day then starts at the change, e.g. 01:00).
 */
export function localDateStart(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  const target = new Date(wall);
  const candidates = [wall - offsetMs(wall - DAY_MS, timeZone), wall - offsetMs(wall + DAY_MS, timeZone)]
    .filter((t) => {
      const p = localParts(t, timeZone);
      return p.year === target.getUTCFullYear() && p.month === target.getUTCMonth() + 1 && p.day === target.getUTCDate();
    })
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - offsetMs(wall, timeZone);
}

/** Start (epoch ms) of the cap window of this period that contains `at`, in the buyer's time zone. */
export function capWindowStart(period: CapPeriod, at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  switch (period) {
    case 'hour':
      // Minutes and seconds past the local hour are the same in absolute time, whatever the offset.
      return at - p.minute * 60_000 - p.second * 1000 - (((at % 1000) + 1000) % 1000);
    case 'day':
      return localDateStart(p.year, p.month, p.day, timeZone);
    case 'week': {
      // Date.UTC normalises day underflow into the previous month.
      const date = new Date(Date.UTC(p.year, p.month - 1, p.day));
      const sinceMonday = (date.getUTCDay() + 6) % 7;
      const monday = new Date(Date.UTC(p.year, p.month - 1, p.day - sinceMonday));
      return localDateStart(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
    }
    case 'month':
      return localDateStart(p.year, p.month, 1, timeZone);
  }
}

/** The buyer's local day around `at`: its start and end (epoch ms). 23, 24 or 25 hours long. */
export function localDay(at: number, timeZone: string): { start: number; end: number } {
  const p = localParts(at, timeZone);
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return {
    start: localDateStart(p.year, p.month, p.day, timeZone),
    end: localDateStart(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone),
  };
}
