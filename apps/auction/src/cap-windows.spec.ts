import type { CapPeriod } from '@pingtree/contracts';
import { capWindowStart, localDay } from './cap-windows';

const at = (iso: string) => Date.parse(iso);
const start = (period: CapPeriod, iso: string, timeZone: string) =>
  new Date(capWindowStart(period, at(iso), timeZone)).toISOString();

describe('capWindowStart', () => {
  describe('day: resets at the buyer’s local midnight', () => {
    it.each<[string, string, string]>([
      // New York in winter is UTC-5, in summer UTC-4.
      ['2025-01-15T12:00:00.000Z', 'America/New_York', '2025-01-15T05:00:00.000Z'],
      ['2025-07-15T12:00:00.000Z', 'America/New_York', '2025-07-15T04:00:00.000Z'],
      // 01:00 UTC is still the previous evening in New York.
      ['2025-01-15T01:00:00.000Z', 'America/New_York', '2025-01-14T05:00:00.000Z'],
      // Last and first instants of a New York day.
      ['2025-01-16T04:59:59.999Z', 'America/New_York', '2025-01-15T05:00:00.000Z'],
      ['2025-01-16T05:00:00.000Z', 'America/New_York', '2025-01-16T05:00:00.000Z'],
      ['2025-01-15T12:00:00.000Z', 'Europe/Berlin', '2025-01-14T23:00:00.000Z'],
      ['2025-01-15T12:00:00.000Z', 'Asia/Kolkata', '2025-01-14T18:30:00.000Z'],
      ['2025-01-15T12:00:00.000Z', 'UTC', '2025-01-15T00:00:00.000Z'],
    ])('%s in %s → %s', (iso, zone, expected) => {
      expect(start('day', iso, zone)).toBe(expected);
    });
  });

  describe('DST-change days', () => {
    it('spring forward (New York, 9 March 2025): the day starts at EST midnight and lasts 23 hours', () => {
      // 12:00 local (EDT) on the change day.
      expect(start('day', '2025-03-09T16:00:00.000Z', 'America/New_York')).toBe('2025-03-09T05:00:00.000Z');
      // Just after the jump from 02:00 EST to 03:00 EDT.
      expect(start('day', '2025-03-09T07:00:00.000Z', 'America/New_York')).toBe('2025-03-09T05:00:00.000Z');
      const day = localDay(at('2025-03-09T16:00:00.000Z'), 'America/New_York');
      expect(new Date(day.end).toISOString()).toBe('2025-03-10T04:00:00.000Z');
      expect((day.end - day.start) / 3_600_000).toBe(23);
    });

    it('fall back (New York, 2 November 2025): the day starts at EDT midnight and lasts 25 hours', () => {
      expect(start('day', '2025-11-02T17:00:00.000Z', 'America/New_York')).toBe('2025-11-02T04:00:00.000Z');
      const day = localDay(at('2025-11-02T17:00:00.000Z'), 'America/New_York');
      expect(new Date(day.end).toISOString()).toBe('2025-11-03T05:00:00.000Z');
      expect((day.end - day.start) / 3_600_000).toBe(25);
    });

    it('the day after a DST change starts at the new offset’s midnight', () => {
      expect(start('day', '2025-03-10T12:00:00.000Z', 'America/New_York')).toBe('2025-03-10T04:00:00.000Z');
      expect(start('day', '2025-11-03T12:00:00.000Z', 'America/New_York')).toBe('2025-11-03T05:00:00.000Z');
    });

    it('Europe (Berlin, 30 March 2025): midnight is before the 02:00 jump', () => {
      expect(start('day', '2025-03-30T12:00:00.000Z', 'Europe/Berlin')).toBe('2025-03-29T23:00:00.000Z');
      expect(start('day', '2025-03-31T12:00:00.000Z', 'Europe/Berlin')).toBe('2025-03-30T22:00:00.000Z');
    });

    it('a zone that skips midnight (Santiago, 8 September 2024) starts the day at 01:00, when it begins', () => {
      expect(start('day', '2024-09-08T15:00:00.000Z', 'America/Santiago')).toBe('2024-09-08T04:00:00.000Z');
    });
  });

  describe('hour', () => {
    it.each<[string, string, string]>([
      ['2025-01-15T12:34:56.789Z', 'America/New_York', '2025-01-15T12:00:00.000Z'],
      // India is UTC+5:30: local hours start at half past UTC hours.
      ['2025-01-15T12:34:56.789Z', 'Asia/Kolkata', '2025-01-15T12:30:00.000Z'],
      ['2025-01-15T12:14:00.000Z', 'Asia/Kolkata', '2025-01-15T11:30:00.000Z'],
      // The repeated 01:00 hour on a fall-back day: each pass is its own window.
      ['2025-11-02T05:30:00.000Z', 'America/New_York', '2025-11-02T05:00:00.000Z'],
      ['2025-11-02T06:30:00.000Z', 'America/New_York', '2025-11-02T06:00:00.000Z'],
    ])('%s in %s → %s', (iso, zone, expected) => {
      expect(start('hour', iso, zone)).toBe(expected);
    });
  });

  describe('week: starts Monday at local midnight', () => {
    it.each<[string, string, string]>([
      // Wednesday 15 January 2025 → Monday 13 January.
      ['2025-01-15T12:00:00.000Z', 'America/New_York', '2025-01-13T05:00:00.000Z'],
      // Monday itself.
      ['2025-01-13T12:00:00.000Z', 'America/New_York', '2025-01-13T05:00:00.000Z'],
      // Sunday late evening local (Monday UTC) is still the old week.
      ['2025-01-20T03:00:00.000Z', 'America/New_York', '2025-01-13T05:00:00.000Z'],
      // Across a month and a year boundary: Thursday 1 January 2026 → Monday 29 December 2025.
      ['2026-01-01T12:00:00.000Z', 'UTC', '2025-12-29T00:00:00.000Z'],
      // A week that contains the spring-forward Sunday starts on Monday 3 March (EST).
      ['2025-03-09T16:00:00.000Z', 'America/New_York', '2025-03-03T05:00:00.000Z'],
      // The next week starts on Monday 10 March (EDT).
      ['2025-03-12T16:00:00.000Z', 'America/New_York', '2025-03-10T04:00:00.000Z'],
    ])('%s in %s → %s', (iso, zone, expected) => {
      expect(start('week', iso, zone)).toBe(expected);
    });
  });

  describe('month: starts on the 1st at local midnight', () => {
    it.each<[string, string, string]>([
      ['2025-03-20T12:00:00.000Z', 'America/New_York', '2025-03-01T05:00:00.000Z'],
      ['2025-04-20T12:00:00.000Z', 'America/New_York', '2025-04-01T04:00:00.000Z'],
      // 1 April 02:00 UTC is still 31 March in New York.
      ['2025-04-01T02:00:00.000Z', 'America/New_York', '2025-03-01T05:00:00.000Z'],
      ['2025-02-28T23:30:00.000Z', 'Asia/Tokyo', '2025-02-28T15:00:00.000Z'],
    ])('%s in %s → %s', (iso, zone, expected) => {
      expect(start('month', iso, zone)).toBe(expected);
    });
  });
});
