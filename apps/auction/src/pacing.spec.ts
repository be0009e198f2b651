import { scheduleSchema, type Schedule } from '@pingtree/contracts';
import { elapsedShareOfDay, openSpansOn, pacedDailyCount } from './pacing';

const NY = 'America/New_York';
const at = (iso: string) => Date.parse(iso);

describe('even pacing over the buyer’s day', () => {
  it.each<[string, string, number]>([
    ['just after local midnight', '2025-01-15T05:00:01.000Z', 1],
    ['06:00', '2025-01-15T11:00:00.000Z', 25],
    ['noon', '2025-01-15T17:00:00.000Z', 50],
    ['12:00:01', '2025-01-15T17:00:01.000Z', 51],
    ['18:00', '2025-01-15T23:00:00.000Z', 75],
    ['23:59:59', '2025-01-16T04:59:59.000Z', 100],
  ])('a daily cap of 100 allows %s → %p', (_label, iso, allowed) => {
    expect(pacedDailyCount(100, at(iso), NY)).toBe(allowed);
  });

  it('allows half the daily cap at local noon, whatever the zone', () => {
    expect(pacedDailyCount(100, at('2025-01-15T11:00:00.000Z'), 'Europe/Berlin')).toBe(50);
    expect(pacedDailyCount(100, at('2025-01-15T06:30:00.000Z'), 'Asia/Kolkata')).toBe(50);
    expect(pacedDailyCount(1000, at('2025-07-15T16:00:00.000Z'), NY)).toBe(500);
  });

  it('rounds up, so small caps can sell early in the day', () => {
    expect(pacedDailyCount(3, at('2025-01-15T06:00:00.000Z'), NY)).toBe(1);
    expect(pacedDailyCount(0, at('2025-01-15T17:00:00.000Z'), NY)).toBe(0);
  });

  it('uses the real length of a DST day: noon on a 23-hour day is 11/23 of it', () => {
    // 9 March 2025, New York: 00:00 EST to 24:00 EDT is 23 hours; noon EDT is 16:00 UTC.
    expect(elapsedShareOfDay(at('2025-03-09T16:00:00.000Z'), NY)).toBeCloseTo(11 / 23, 10);
    expect(pacedDailyCount(230, at('2025-03-09T16:00:00.000Z'), NY)).toBe(110);
    // 2 November 2025: a 25-hour day; noon EST is 17:00 UTC, 13 hours in.
    expect(pacedDailyCount(250, at('2025-11-02T17:00:00.000Z'), NY)).toBe(130);
  });

  describe('over open hours, when the channel has a schedule', () => {
    const nineToFive = [{ from: 9 * 60, to: 17 * 60 }];
    it.each<[string, string, number]>([
      ['before opening', '2025-01-15T13:00:00.000Z', 0],
      ['at 13:00, half the open hours', '2025-01-15T18:00:00.000Z', 50],
      ['at noon, 3 of 8 open hours', '2025-01-15T17:00:00.000Z', 38],
      ['after closing', '2025-01-15T23:00:00.000Z', 100],
    ])('9 to 5, %s → %p', (_label, iso, allowed) => {
      expect(pacedDailyCount(100, at(iso), NY, nineToFive)).toBe(allowed);
    });

    it('counts split open hours together', () => {
      const split = [
        { from: 8 * 60, to: 12 * 60 },
        { from: 14 * 60, to: 18 * 60 },
      ];
      // 13:00 local: the morning's 4 of 8 open hours have passed.
      expect(pacedDailyCount(100, at('2025-01-15T18:00:00.000Z'), NY, split)).toBe(50);
    });

    it('does not hold back a day with no open hours', () => {
      expect(pacedDailyCount(100, at('2025-01-15T17:00:00.000Z'), NY, [])).toBe(100);
    });
  });
});

describe('openSpansOn', () => {
  const schedule: Schedule = {
    ...scheduleSchema.parse({
      weekly: {
        tue: [['22:00', '02:00']],
        wed: [
          ['09:00', '12:00'],
          ['13:00', '24:00'],
        ],
      },
    }),
    timezone: 'America/New_York',
  };

  it('takes today’s windows and the tail of last night’s', () => {
    // Wednesday 15 January 2025, noon in New York.
    expect(openSpansOn(schedule, at('2025-01-15T17:00:00.000Z'))).toEqual([
      { from: 0, to: 120 },
      { from: 540, to: 720 },
      { from: 780, to: 1440 },
    ]);
  });

  it('cuts a window that runs past midnight at the end of its day', () => {
    // Tuesday 14 January 2025, noon in New York.
    expect(openSpansOn(schedule, at('2025-01-14T17:00:00.000Z'))).toEqual([{ from: 1320, to: 1440 }]);
  });

  it('is empty on a closed day', () => {
    // Friday 17 January 2025.
    expect(openSpansOn(schedule, at('2025-01-17T17:00:00.000Z'))).toEqual([]);
  });
});
