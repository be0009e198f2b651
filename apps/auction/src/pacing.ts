import { WEEKDAYS, type Schedule } from '@pingtree/contracts';
import { localDay, localParts } from './cap-windows';

/** An open period of the buyer's local day, in minutes since local midnight: [from, to). */
export interface OpenSpan {
  from: number;
  to: number;
}

/** Share of the buyer's selling time that has passed at `at` (0..1): of its open hours if given, else of the whole day. */
export function elapsedShareOfDay(at: number, timeZone: string, openSpans?: OpenSpan[]): number {
  if (!openSpans) {
    const day = localDay(at, timeZone);
    return (at - day.start) / (day.end - day.start);
  }
  const p = localParts(at, timeZone);
  const now = p.hour * 60 + p.minute + p.second / 60;
  const total = openSpans.reduce((sum, s) => sum + Math.max(0, s.to - s.from), 0);
  if (total === 0) return 1;
  const passed = openSpans.reduce((sum, s) => sum + Math.min(Math.max(0, now - s.from), Math.max(0, s.to - s.from)), 0);
  return passed / total;
}

/**
 * Even pacing: how many of the daily count cap may be sold by `at`. The cap is spread in
 * proportion to the time passed, rounded up so the first lead of the day can sell.
 */
export function pacedDailyCount(dailyCount: number, at: number, timeZone: string, openSpans?: OpenSpan[]): number {
  const share = Math.min(1, Math.max(0, elapsedShareOfDay(at, timeZone, openSpans)));
  // The epsilon keeps 50.000000001 (float noise) from becoming 51.
  return Math.max(0, Math.min(dailyCount, Math.ceil(dailyCount * share - 1e-9)));
}

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * The open spans of the schedule's local calendar day at `at`: today's windows (cut at midnight)
 * and the tail of yesterday's windows that run past midnight.
 */
export function openSpansOn(schedule: Schedule, at: number): OpenSpan[] {
  const p = localParts(at, schedule.timezone);
  const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
  const today = schedule.weekly[WEEKDAYS[weekday]!];
  const yesterday = schedule.weekly[WEEKDAYS[(weekday + 6) % 7]!];
  const spans: OpenSpan[] = [];
  for (const [start, end] of yesterday) if (minutes(end) < minutes(start)) spans.push({ from: 0, to: minutes(end) });
  for (const [start, end] of today) {
    spans.push({ from: minutes(start), to: minutes(end) < minutes(start) ? 24 * 60 : minutes(end) });
  }
  return spans;
}
