import { z } from 'zod';

/** Weekdays as schedules name them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time as HH:MM, 00:00 to 24:00');

/**
 * An open window `[start, end)` in local time. An end before the start runs past midnight into the
 * next day (`['22:00', '02:00']`); it belongs to the day it starts on.
 */
const windowSchema = z
  .tuple([clock, clock])
  .refine(([start]) => start !== '24:00', { message: 'a window cannot start at 24:00', path: [0] })
  .refine(([start, end]) => start !== end, { message: 'a window must not start and end at the same time', path: [1] });

const daySchema = z.array(windowSchema).max(12).default([]);

/**
 * Open hours per weekday in the buyer's time zone; a day left out is closed. Without `timezone`, a
 * channel's schedule uses the channel's own (the one its caps reset in).
 */
export const scheduleSchema = z.strictObject({
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York').optional(),
  weekly: z.strictObject({
    mon: daySchema,
    tue: daySchema,
    wed: daySchema,
    thu: daySchema,
    fri: daySchema,
    sat: daySchema,
    sun: daySchema,
  }),
});

/** A schedule as the services read it: its time zone always set (a channel fills in its own). */
export type Schedule = z.infer<typeof scheduleSchema> & { timezone: string };
