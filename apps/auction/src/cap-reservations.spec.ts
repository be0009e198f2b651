import { channelConfigSchema, type Channel } from '@pingtree/contracts';
import { capReachedReason, capWindowsFor } from './cap-reservations';

function channel(extra: Record<string, unknown>): Channel {
  const config = channelConfigSchema.parse({
    name: 'capped',
    buyerId: '00000000-0000-4000-8000-000000000100',
    ping: null,
    post: { url: 'https://buyer.example.com/post', response: { accept: { path: 'ok', values: ['true'] } } },
    fixedPrice: 10,
    ...extra,
  });
  return { ...config, id: '00000000-0000-4000-8000-00000000000a' };
}

// Wednesday 15 January 2025, noon in New York.
const NOON_NY = Date.parse('2025-01-15T17:00:00.000Z');

describe('channel cap config', () => {
  it('defaults to no caps, no pacing and New York time', () => {
    const c = channel({});
    expect(c.caps).toEqual([]);
    expect(c.pacing).toBeUndefined();
    expect(c.timezone).toBe('America/New_York');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a cap without count or spend', { caps: [{ period: 'day' }] }, 'a cap needs count, spend or both'],
    [
      'two caps for one period',
      {
        caps: [
          { period: 'day', count: 1 },
          { period: 'day', spend: 5 },
        ],
      },
      'one cap per period',
    ],
    ['an unknown period', { caps: [{ period: 'year', count: 1 }] }, 'Invalid option'],
    ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'an IANA time zone'],
    ['pacing without a daily count', { caps: [{ period: 'day', spend: 100 }], pacing: { mode: 'even' } }, 'pacing spreads'],
  ])('refuses %s', (_label, extra, message) => {
    expect(() => channel(extra)).toThrow(message);
  });
});

describe('capWindowsFor', () => {
  it('gives each cap its local window and limits', () => {
    const c = channel({
      timezone: 'America/Chicago',
      caps: [
        { period: 'hour', count: 5 },
        { period: 'day', count: 100, spend: 1500 },
        { period: 'month', spend: 20_000 },
      ],
    });
    expect(capWindowsFor(c, NOON_NY).map((w) => ({ ...w, start: new Date(w.start).toISOString() }))).toEqual([
      { period: 'hour', start: '2025-01-15T17:00:00.000Z', countLimit: 5, spendLimit: null, pacedFrom: null },
      { period: 'day', start: '2025-01-15T06:00:00.000Z', countLimit: 100, spendLimit: 1500, pacedFrom: null },
      { period: 'month', start: '2025-01-01T06:00:00.000Z', countLimit: null, spendLimit: 20_000, pacedFrom: null },
    ]);
  });

  it('lowers the day’s count limit with even pacing (half of it at local noon)', () => {
    const c = channel({ caps: [{ period: 'day', count: 100 }], pacing: { mode: 'even' } });
    expect(capWindowsFor(c, NOON_NY)).toEqual([expect.objectContaining({ period: 'day', countLimit: 50, pacedFrom: 100 })]);
  });

  it('paces over the open hours of the channel’s schedule', () => {
    const c = channel({
      caps: [{ period: 'day', count: 100 }],
      pacing: { mode: 'even' },
      schedule: { timezone: 'America/New_York', weekly: { wed: [['08:00', '16:00']] } },
    });
    // Wednesday noon: 4 of 8 open hours have passed.
    expect(capWindowsFor(c, NOON_NY)[0]).toEqual(expect.objectContaining({ countLimit: 50, pacedFrom: 100 }));
    // Wednesday 09:00: 1 of 8.
    expect(capWindowsFor(c, NOON_NY - 3 * 3_600_000)[0]).toEqual(expect.objectContaining({ countLimit: 13 }));
  });
});

describe('capReachedReason', () => {
  const c = channel({
    caps: [
      { period: 'day', count: 100 },
      { period: 'week', count: 300 },
    ],
    pacing: { mode: 'even' },
  });
  const windows = capWindowsFor(c, NOON_NY);

  it('names the shortest full window', () => {
    expect(capReachedReason(['week'], windows)).toBe('cap_reached (week)');
    expect(capReachedReason(['week', 'day'], windows)).toBe('cap_reached (day, paced: 50 of 100 by now)');
    expect(capReachedReason(['month', 'hour'], [])).toBe('cap_reached (hour)');
  });
});
