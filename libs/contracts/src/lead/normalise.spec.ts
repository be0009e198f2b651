import { ageOn, normaliseEmail, normalisePhoneE164, normaliseState, normaliseZip } from './normalise';

describe('normalisePhoneE164', () => {
  it.each([
    ['(415) 555-0134', '+14155550134'],
    ['415.555.0134', '+14155550134'],
    ['415-555-0134', '+14155550134'],
    ['4155550134', '+14155550134'],
    ['+1 415 555 0134', '+14155550134'],
    ['+1 (415) 555-0134', '+14155550134'],
    ['+14155550134', '+14155550134'],
    ['14155550134', '+14155550134'],
    ['1-415-555-0134', '+14155550134'],
    ['  415 555 0134  ', '+14155550134'],
    ['415\t555\t0134', '+14155550134'],
    ['(212) 200-9999', '+12122009999'],
  ])('%j → %s', (raw, expected) => {
    expect(normalisePhoneE164(raw)).toBe(expected);
  });

  it.each([
    ['area code starting with 0', '(015) 555-0134'],
    ['area code starting with 1', '(115) 555-0134'],
    ['exchange starting with 0', '(415) 055-0134'],
    ['exchange starting with 1', '(415) 155-0134'],
    ['area code starting with 0 after +1', '+1 015 555 0134'],
    ['exchange starting with 1 after leading 1', '1 415 155 0134'],
    ['too short (9 digits)', '415555013'],
    ['too short (7 digits)', '555-0134'],
    ['too long (11 digits, not starting with 1)', '41555501345'],
    ['too long (12 digits with leading 1)', '141555501345'],
    ['+1 with too many digits', '+1 415 555 01345'],
    ['+1 with too few digits', '+1 415 555 013'],
    ['letters', '415-555-O134'],
    ['vanity letters', '1-800-FLOWERS'],
    ['extension', '415-555-0134 x12'],
    ['double plus', '++14155550134'],
    ['plus in the middle', '415+5550134'],
    ['slash separator', '415/555/0134'],
    ['empty', ''],
    ['blank', '   '],
    ['plus alone', '+'],
  ])('%s: %j → null', (_label, raw) => {
    expect(normalisePhoneE164(raw)).toBeNull();
  });
});

describe('normaliseEmail', () => {
  it.each([
    ['Ada@Example.com', 'ada@example.com'],
    ['  ada.lovelace@example.com  ', 'ada.lovelace@example.com'],
    ['ADA+QUOTES@MAIL.EXAMPLE.CO.UK', 'ada+quotes@mail.example.co.uk'],
    ['first_last-1@sub-domain.example.org', 'first_last-1@sub-domain.example.org'],
  ])('%j → %s', (raw, expected) => {
    expect(normaliseEmail(raw)).toBe(expected);
  });

  it.each([
    ['no @', 'ada.example.com'],
    ['no domain', 'ada@'],
    ['no local part', '@example.com'],
    ['no top-level domain', 'ada@example'],
    ['two @', 'ada@lovelace@example.com'],
    ['space inside', 'ada lovelace@example.com'],
    ['domain label starting with -', 'ada@-example.com'],
    ['domain label ending with -', 'ada@example-.com'],
    ['empty domain label', 'ada@example..com'],
    ['empty', ''],
    ['blank', '   '],
    ['longer than 254 characters', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`],
    ['domain label longer than 63 characters', `ada@${'b'.repeat(64)}.com`],
  ])('%s: %j → null', (_label, raw) => {
    expect(normaliseEmail(raw)).toBeNull();
  });

  it('accepts an address of exactly 254 characters', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`;
    expect(email).toHaveLength(254);
    expect(normaliseEmail(email)).toBe(email);
  });
});

describe('normaliseState', () => {
  it.each([
    ['CA', 'CA'],
    ['ca', 'CA'],
    [' ny ', 'NY'],
    ['Dc', 'DC'],
    ['WY', 'WY'],
  ])('%j → %s', (raw, expected) => {
    expect(normaliseState(raw)).toBe(expected);
  });

  it.each([['California'], ['XX'], ['PR'], ['C'], ['CAL'], [''], ['C A']])('%j → null', (raw) => {
    expect(normaliseState(raw)).toBeNull();
  });
});

describe('normaliseZip', () => {
  it.each([
    ['94105', '94105'],
    [' 94105 ', '94105'],
    ['94105-1234', '94105'],
    ['941051234', '94105'],
    ['02134', '02134'],
  ])('%j → %s', (raw, expected) => {
    expect(normaliseZip(raw)).toBe(expected);
  });

  it.each([['9410'], ['941055'], ['94105-123'], ['94105-12345'], ['94105 1234'], ['9410A'], ['ABCDE'], ['']])(
    '%j → null',
    (raw) => {
      expect(normaliseZip(raw)).toBeNull();
    },
  );
});

describe('ageOn', () => {
  it.each([
    ['the day before the birthday', '1985-04-12', '2025-04-11T23:59:59Z', 39],
    ['on the birthday', '1985-04-12', '2025-04-12T00:00:00Z', 40],
    ['the day after the birthday', '1985-04-12', '2025-04-13T00:00:00Z', 40],
    ['earlier month in the year', '1985-04-12', '2025-01-31T12:00:00Z', 39],
    ['later month in the year', '1985-04-12', '2025-12-01T12:00:00Z', 40],
    ['same month, later day of birth', '2000-06-30', '2018-06-29T12:00:00Z', 17],
    ['turning 18 today', '2000-06-30', '2018-06-30T12:00:00Z', 18],
    ['born on 1 January, on 31 December', '2000-01-01', '2020-12-31T23:59:59Z', 20],
    ['born on 31 December, on 1 January', '2000-12-31', '2021-01-01T00:00:00Z', 20],
    ['leap-day birth on 28 Feb of a common year', '2000-02-29', '2021-02-28T12:00:00Z', 20],
    ['leap-day birth on 1 Mar of a common year', '2000-02-29', '2021-03-01T00:00:00Z', 21],
    ['leap-day birth on 29 Feb of a leap year', '2000-02-29', '2024-02-29T00:00:00Z', 24],
    ['newborn', '2025-04-12', '2025-04-12T10:00:00Z', 0],
  ])('%s: %s at %s → %d', (_label, dob, at, expected) => {
    expect(ageOn(dob, new Date(at))).toBe(expected);
  });

  it('counts the birthday by UTC date, not by the local clock', () => {
    // 2025-04-11 20:00 in California is already 2025-04-12 in UTC.
    expect(ageOn('1985-04-12', new Date('2025-04-11T20:00:00-07:00'))).toBe(40);
    expect(ageOn('1985-04-12', new Date('2025-04-12T01:00:00+02:00'))).toBe(39);
  });
});
