import { leadInputSchema } from './lead-input.schema';
import { US_STATES, zipInState } from './normalise';
import { ZIP_PREFIXES } from './zip-prefixes';

describe('zipInState', () => {
  it.each([
    ['94105', 'CA'],
    ['10001', 'NY'],
    ['00501', 'NY'],
    ['02134', 'MA'],
    ['05501', 'MA'],
    ['05401', 'VT'],
    ['06103', 'CT'],
    ['07302', 'NJ'],
    ['20001', 'DC'],
    ['20147', 'VA'],
    ['20850', 'MD'],
    ['30301', 'GA'],
    ['39901', 'GA'],
    ['33101', 'FL'],
    ['73301', 'TX'],
    ['73101', 'OK'],
    ['79901', 'TX'],
    ['88510', 'TX'],
    ['85001', 'AZ'],
    ['89101', 'NV'],
    ['96813', 'HI'],
    ['99501', 'AK'],
    ['83702', 'ID'],
    ['82001', 'WY'],
    ['59601', 'MT'],
    ['06390', 'NY'],
    ['83414', 'WY'],
  ])('%s is in %s', (zip, state) => {
    expect(zipInState(zip, state)).toBe(true);
  });

  it.each([
    ['94105', 'TX'],
    ['10001', 'NJ'],
    ['73301', 'OK'],
    ['20001', 'MD'],
    ['06390', 'CT'],
    ['83414', 'ID'],
    ['00601', 'NY'],
    ['96201', 'CA'],
    ['34001', 'FL'],
  ])('%s is not in %s', (zip, state) => {
    expect(zipInState(zip, state)).toBe(false);
  });

  it('covers every state with ranges that are well formed and never overlap another state', () => {
    const owner = new Map<number, string>();
    for (const state of US_STATES) {
      const ranges = ZIP_PREFIXES[state];
      expect(ranges.length).toBeGreaterThan(0);
      for (const [from, to] of ranges) {
        expect(from).toBeLessThanOrEqual(to);
        for (let p = from; p <= to; p++) {
          expect(owner.get(p) ?? state).toBe(state);
          owner.set(p, state);
        }
      }
    }
  });
});

describe('leadInputSchema: geo and dates', () => {
  const base = {
    campaign: 'demo-auto',
    contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '4155550134' },
    geo: { state: 'CA', zip: '94105' },
    consent: { given: true },
  };
  const paths = (value: unknown) => {
    const result = leadInputSchema.safeParse(value);
    return (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses a ZIP outside the state, naming the ZIP', () => {
    expect(paths({ ...base, geo: { state: 'tx', zip: '94105-1234' } })).toEqual(['geo.zip: ZIP code 94105 is not in TX']);
  });

  it('does not add a consistency error when the state or ZIP is already invalid', () => {
    expect(paths({ ...base, geo: { state: 'XX', zip: '94105' } })).toEqual(['geo.state: must be a US state code such as CA']);
  });

  it.each([
    ['a birth date in the future', { dateOfBirth: '2999-01-01' }, 'contact.dateOfBirth'],
    ['a birth date 150 years ago', { dateOfBirth: '1875-01-01' }, 'contact.dateOfBirth'],
  ])('refuses %s', (_label, patch, path) => {
    expect(paths({ ...base, contact: { ...base.contact, ...patch } })).toEqual([
      `${path}: must be a past date, at most 120 years ago`,
    ]);
  });

  it('refuses a consent timestamp in the future, and allows a few minutes of clock skew', () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const inAMinute = new Date(Date.now() + 60_000).toISOString();
    expect(paths({ ...base, consent: { given: true, timestamp: inAnHour } })).toEqual([
      'consent.timestamp: must not be in the future',
    ]);
    expect(paths({ ...base, consent: { given: true, timestamp: inAMinute } })).toEqual([]);
  });

  it('lists every failing field at once', () => {
    const bad = {
      ...base,
      contact: { ...base.contact, phone: '(015) 555-0134', email: 'nope', dateOfBirth: '2999-01-01' },
      geo: { state: 'NY', zip: '9410' },
      consent: { given: 'yes' },
    };
    expect(
      paths(bad)
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['consent.given', 'contact.dateOfBirth', 'contact.email', 'contact.phone', 'geo.zip']);
  });
});
