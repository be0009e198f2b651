import { scheduleSchema, type Schedule } from '@pingtree/contracts';
import { describeLocal, isOpen, localClock } from './schedule';

const schedule = (timezone: string, weekly: Partial<Schedule['weekly']>): Schedule => ({
  ...scheduleSchema.parse({ timezone, weekly }),
  timezone,
});

const at = (iso: string) => new Date(iso);

describe('localClock', () => {
  it.each([
    ['America/New_York', '2025-01-15T14:30:00Z', 'wed', 9 * 60 + 30],
    ['America/New_York', '2025-07-15T14:30:00Z', 'tue', 10 * 60 + 30],
    ['America/Los_Angeles', '2025-01-16T03:00:00Z', 'wed', 19 * 60],
    ['Asia/Kolkata', '2025-01-15T18:45:00Z', 'thu', 15],
    ['UTC', '2025-01-15T00:00:00Z', 'wed', 0],
  ])('%s at %s is %s minute %d', (tz, iso, weekday, minutes) => {
    expect(localClock(tz, at(iso))).toEqual({ weekday, minutes });
  });
});

describe('isOpen', () => {
  const office = schedule('America/New_York', {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [
      ['09:00', '12:00'],
      ['13:00', '17:00'],
    ],
    thu: [['09:00', '17:00']],
    fri: [['09:00', '17:00']],
  });

  it.each([
    ['Monday 09:00 local (start is inclusive)', '2025-01-13T14:00:00Z', true],
    ['Monday 08:59 local', '2025-01-13T13:59:00Z', false],
    ['Monday 16:59 local', '2025-01-13T21:59:00Z', true],
    ['Monday 17:00 local (end is exclusive)', '2025-01-13T22:00:00Z', false],
    ['Wednesday at lunch (between two windows)', '2025-01-15T17:30:00Z', false],
    ['Wednesday 13:00 local', '2025-01-15T18:00:00Z', true],
    ['Saturday (no windows: closed)', '2025-01-18T15:00:00Z', false],
    ['Monday 18:00 UTC is 13:00 local, open, though Monday 02:00 UTC is Sunday local', '2025-01-13T18:00:00Z', true],
    ['Tuesday 03:00 UTC is Monday 22:00 local: closed', '2025-01-14T03:00:00Z', false],
  ])('%s → %p', (_label, iso, open) => {
    expect(isOpen(office, at(iso))).toBe(open);
  });

  describe('across daylight saving time (America/New_York)', () => {
    // 2025-03-09: clocks go from 02:00 EST to 03:00 EDT. 2025-11-02: from 02:00 EDT back to 01:00 EST.
    const sundays = schedule('America/New_York', { sun: [['09:00', '17:00']] });
    it.each([
      ['the Sunday DST starts, 09:00 EDT = 13:00 UTC', '2025-03-09T13:00:00Z', true],
      ['the Sunday DST starts, 08:30 EDT = 12:30 UTC (a fixed -5 offset would say 07:30)', '2025-03-09T12:30:00Z', false],
      ['the Sunday DST starts, 16:30 EDT = 20:30 UTC', '2025-03-09T20:30:00Z', true],
      ['the Sunday DST starts, 17:00 EDT = 21:00 UTC (a fixed -5 offset would say 16:00)', '2025-03-09T21:00:00Z', false],
      ['the Sunday DST ends, 09:00 EST = 14:00 UTC', '2025-11-02T14:00:00Z', true],
      ['the Sunday DST ends, 08:00 EST = 13:00 UTC (a fixed -4 offset would say 09:00)', '2025-11-02T13:00:00Z', false],
      ['the Sunday DST ends, 16:59 EST = 21:59 UTC', '2025-11-02T21:59:00Z', true],
    ])('%s → %p', (_label, iso, open) => {
      expect(isOpen(sundays, at(iso))).toBe(open);
    });

    it('a window over the skipped hour opens at the first local minute past its start', () => {
      const early = schedule('America/New_York', { sun: [['02:30', '04:00']] });
      expect(isOpen(early, at('2025-03-09T06:59:00Z'))).toBe(false); // 01:59 EST
      expect(isOpen(early, at('2025-03-09T07:00:00Z'))).toBe(true); // 03:00 EDT
      expect(isOpen(early, at('2025-03-09T08:00:00Z'))).toBe(false); // 04:00 EDT
    });

    it('the repeated hour counts twice when DST ends', () => {
      const oneAm = schedule('America/New_York', { sun: [['01:00', '02:00']] });
      expect(isOpen(oneAm, at('2025-11-02T05:30:00Z'))).toBe(true); // 01:30 EDT
      expect(isOpen(oneAm, at('2025-11-02T06:30:00Z'))).toBe(true); // 01:30 EST, the second time
      expect(isOpen(oneAm, at('2025-11-02T07:30:00Z'))).toBe(false); // 02:30 EST
    });
  });

  describe('overnight windows', () => {
    const nights = schedule('America/Chicago', {
      fri: [['22:00', '02:00']],
      sat: [['20:00', '24:00']],
      sun: [['18:00', '00:00']],
    });
    it.each([
      ['Friday 21:59 local', '2025-01-18T03:59:00Z', false],
      ['Friday 22:00 local', '2025-01-18T04:00:00Z', true],
      ['Friday 23:59 local', '2025-01-18T05:59:00Z', true],
      ['Saturday 00:00 local, past midnight', '2025-01-18T06:00:00Z', true],
      ['Saturday 01:59 local', '2025-01-18T07:59:00Z', true],
      ['Saturday 02:00 local (end is exclusive)', '2025-01-18T08:00:00Z', false],
      ['Saturday 19:59 local', '2025-01-19T01:59:00Z', false],
      ['Saturday 23:59 local (until 24:00)', '2025-01-19T05:59:00Z', true],
      ['Sunday 00:30 local: the Saturday window ended at midnight', '2025-01-19T06:30:00Z', false],
      ['Sunday 23:00 local (18:00 to 00:00)', '2025-01-20T05:00:00Z', true],
      ['Monday 00:01 local: Sunday ended at midnight', '2025-01-20T06:01:00Z', false],
      ['Thursday 23:00 local: only Friday night starts at 22:00', '2025-01-17T05:00:00Z', false],
    ])('%s → %p', (_label, iso, open) => {
      expect(isOpen(nights, at(iso))).toBe(open);
    });

    it('an overnight window from Sunday runs into Monday', () => {
      const sundayNight = schedule('Europe/London', { sun: [['23:00', '01:00']] });
      expect(isOpen(sundayNight, at('2025-01-20T00:30:00Z'))).toBe(true); // Monday 00:30 GMT
      expect(isOpen(sundayNight, at('2025-01-20T01:00:00Z'))).toBe(false);
    });
  });

  it('describes the local time for the trail', () => {
    const s = schedule('America/Denver', {});
    expect(describeLocal(s, at('2025-01-18T15:05:00Z'))).toBe('sat 08:05 in America/Denver');
    expect(isOpen(s, at('2025-01-18T15:05:00Z'))).toBe(false);
  });
});
