import type { LeadRecord } from './load';
import { percentile, round } from './stats';

/** One slice of the measured window: does a long run hold its rate and latency, or drift? */
export interface Interval {
  /** Seconds from the start of the measured window. */
  fromS: number;
  toS: number;
  /** Leads scheduled in the slice, per second. */
  offeredPerSecond: number;
  /** 200 answers that arrived in the slice, per second. */
  answeredPerSecond: number;
  /** Leads scheduled in the slice that got no 200 (429s, timeouts, not sent). */
  errors: number;
  endToEnd: { p50: number | null; p99: number | null };
  overhead: { p50: number | null; p99: number | null };
}

/** Splits the window into slices of `seconds` (the last one may be shorter). */
export function overTime(records: LeadRecord[], windowStart: number, windowEnd: number, seconds: number): Interval[] {
  const sliceMs = seconds * 1000;
  const out: Interval[] = [];
  for (let from = windowStart; from < windowEnd; from += sliceMs) {
    const to = Math.min(windowEnd, from + sliceMs);
    const scheduled = records.filter((r) => r.scheduledAt >= from && r.scheduledAt < to);
    const ok = scheduled.filter((r) => r.result === 'answered' && r.status === 200);
    const answered = records.filter((r) => r.result === 'answered' && r.status === 200 && r.endAt >= from && r.endAt < to);
    const spanS = (to - from) / 1000;
    out.push({
      fromS: round((from - windowStart) / 1000, 1),
      toS: round((to - windowStart) / 1000, 1),
      offeredPerSecond: round(scheduled.length / spanS, 1),
      answeredPerSecond: round(answered.length / spanS, 1),
      errors: scheduled.length - ok.length,
      endToEnd: p50p99(ok.map((r) => r.endAt - r.sentAt)),
      overhead: p50p99(ok.filter((r) => r.buyerMs !== undefined).map((r) => r.endAt - r.sentAt - r.buyerMs!)),
    });
  }
  return out;
}

function p50p99(values: number[]): { p50: number | null; p99: number | null } {
  if (values.length === 0) return { p50: null, p99: null };
  const sorted = Float64Array.from(values).sort();
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
}

/** The summary's table: one line per slice, shown when the window has more than one. */
export function formatOverTime(intervals: Interval[]): string[] {
  if (intervals.length < 2) return [];
  const ms = (v: number | null) => (v === null ? '-' : v.toFixed(1)).padStart(7);
  return [
    `  over time               offered/s  answered/s  errors  e2e p50     p99  overhead p50     p99`,
    ...intervals.map(
      (i) =>
        `    ${`${i.fromS}-${i.toS} s`.padEnd(20)} ${String(i.offeredPerSecond).padStart(9)}  ${String(i.answeredPerSecond).padStart(10)}  ${String(i.errors).padStart(6)}  ${ms(i.endToEnd.p50)} ${ms(i.endToEnd.p99)}       ${ms(i.overhead.p50)} ${ms(i.overhead.p99)}`,
    ),
  ];
}
