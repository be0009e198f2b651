import type { z } from 'zod';
import { leadInputSchema, type LeadInput } from './lead-input.schema';
import { pingLeadSchema, toPingLead, type PingLead } from './ping-lead.schema';

type RawLead = z.input<typeof leadInputSchema>;

const LEAD_ID = '00000000-0000-4000-8000-000000000001';
const RECEIVED_AT = new Date('2025-04-12T10:00:00Z');

function rawLead(): RawLead {
  return {
    campaign: 'demo-auto',
    supplierLeadId: 'sup-1',
    source: 'google',
    subId: 'spring-sale',
    contact: {
      firstName: '  Ada ',
      lastName: 'Lovelace',
      email: '  Ada.Lovelace@Example.COM ',
      phone: '(415) 555-0134',
      address: '12 Analytical Engine Way',
      dateOfBirth: '1985-04-12',
    },
    geo: { state: 'ca', zip: '94105-1234', city: 'San Francisco' },
    consent: {
      given: true,
      text: 'By clicking Get Quotes I agree to be contacted by Acme Insurance and its partners.',
      timestamp: '2025-04-12T09:59:00Z',
      pageUrl: 'https://quotes.example.com/auto',
      trustedFormCertUrl: 'https://cert.trustedform.com/0123456789abcdef',
      jornayaLeadId: 'JOR-12345',
    },
    fields: { insured: true, vehicleYear: 2019, vehicleMake: 'Toyota', creditRating: 'good' },
  };
}

function parse(raw: unknown): LeadInput {
  return leadInputSchema.parse(raw);
}

/** Paths of the issues zod reports, as dot strings, e.g. `contact.phone`. */
function issuePaths(raw: unknown): string[] {
  const result = leadInputSchema.safeParse(raw);
  if (result.success) return [];
  return result.error.issues.map((issue) => issue.path.map(String).join('.'));
}

function withContact(patch: Record<string, unknown>): unknown {
  const raw = rawLead();
  return { ...raw, contact: { ...raw.contact, ...patch } };
}

function withGeo(patch: Record<string, unknown>): unknown {
  const raw = rawLead();
  return { ...raw, geo: { ...raw.geo, ...patch } };
}

describe('leadInputSchema', () => {
  it('normalises phone, email, state and zip, and trims names', () => {
    const lead = parse(rawLead());
    expect(lead.contact.phone).toBe('+14155550134');
    expect(lead.contact.email).toBe('ada.lovelace@example.com');
    expect(lead.contact.firstName).toBe('Ada');
    expect(lead.geo.state).toBe('CA');
    expect(lead.geo.zip).toBe('94105');
  });

  it.each([
    ['415.555.0134', '+14155550134'],
    ['+1 415 555 0134', '+14155550134'],
    ['14155550134', '+14155550134'],
  ])('normalises phone %j to %s', (phone, expected) => {
    expect(parse(withContact({ phone })).contact.phone).toBe(expected);
  });

  it('defaults fields to {} when absent', () => {
    const { fields: _fields, ...raw } = rawLead();
    expect(parse(raw).fields).toEqual({});
  });

  it('accepts a lead without the optional contact and consent parts', () => {
    const raw = rawLead();
    const lead = parse({
      campaign: raw.campaign,
      contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '4155550134' },
      geo: { state: 'TX', zip: '73301' },
      consent: { given: false },
    });
    expect(lead.contact.address).toBeUndefined();
    expect(lead.consent.given).toBe(false);
  });

  it.each<[string, unknown, string, string]>([
    ['impossible phone', withContact({ phone: '(015) 555-0134' }), 'contact.phone', 'must be a valid US phone number'],
    ['phone with letters', withContact({ phone: '415-555-O134' }), 'contact.phone', 'must be a valid US phone number'],
    ['short phone', withContact({ phone: '555-0134' }), 'contact.phone', 'must be a valid US phone number'],
    ['invalid email', withContact({ email: 'ada@example' }), 'contact.email', 'must be a valid email address'],
    ['unknown state', withGeo({ state: 'XX' }), 'geo.state', 'must be a US state code such as CA'],
    ['bad zip', withGeo({ zip: '9410' }), 'geo.zip', 'must be a 5-digit ZIP code'],
    ['bad date of birth', withContact({ dateOfBirth: '04/12/1985' }), 'contact.dateOfBirth', 'must be a date as YYYY-MM-DD'],
    [
      'impossible date of birth',
      withContact({ dateOfBirth: '2023-02-29' }),
      'contact.dateOfBirth',
      'must be a date as YYYY-MM-DD',
    ],
  ])('reports %s with its message', (_label, raw, path, message) => {
    const result = leadInputSchema.safeParse(raw);
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path.join('.') === path);
    expect(issue?.message).toBe(message);
  });

  it.each<[string, unknown, string]>([
    ['blank first name', withContact({ firstName: '   ' }), 'contact.firstName'],
    ['missing last name', withContact({ lastName: undefined }), 'contact.lastName'],
    ['phone longer than 30 characters', withContact({ phone: `415 555 0134${' '.repeat(30)}` }), 'contact.phone'],
    ['phone as a number', withContact({ phone: 4155550134 }), 'contact.phone'],
    ['consent.given missing', { ...rawLead(), consent: {} }, 'consent.given'],
    ['consent page url not a url', { ...rawLead(), consent: { given: true, pageUrl: 'not a url' } }, 'consent.pageUrl'],
    ['missing campaign', { ...rawLead(), campaign: '' }, 'campaign'],
  ])('reports %s at its path', (_label, raw, path) => {
    expect(issuePaths(raw)).toContain(path);
  });

  it('reports every bad field at once, each at its own path', () => {
    const raw = rawLead();
    const paths = issuePaths({
      ...raw,
      contact: { ...raw.contact, phone: 'nope', email: 'nope' },
      geo: { ...raw.geo, state: 'nope', zip: 'nope' },
    });
    expect(paths.sort()).toEqual(['contact.email', 'contact.phone', 'geo.state', 'geo.zip']);
  });

  it.each<[string, unknown, string]>([
    ['top level', { ...rawLead(), email: 'ada@example.com' }, ''],
    ['contact', withContact({ ssn: '123-45-6789' }), 'contact'],
    ['geo', withGeo({ country: 'US' }), 'geo'],
    ['consent', { ...rawLead(), consent: { given: true, ip: '1.2.3.4' } }, 'consent'],
  ])('refuses an unknown key (%s)', (_label, raw, path) => {
    const result = leadInputSchema.safeParse(raw);
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.code === 'unrecognized_keys');
    expect(issue).toBeDefined();
    expect(issue?.path.join('.')).toBe(path);
  });
});

describe('toPingLead', () => {
  const fields: PingLead['fields'] = { insured: true, vehicleYear: 2019, vehicleMake: 'Toyota', creditRating: 'good' };

  function ping(raw: RawLead = rawLead()): PingLead {
    return toPingLead(LEAD_ID, 'auto_insurance', parse(raw), fields, RECEIVED_AT);
  }

  it('builds a lead that passes pingLeadSchema', () => {
    const lead = ping();
    expect(pingLeadSchema.safeParse(lead).success).toBe(true);
    expect(lead).toEqual({
      leadId: LEAD_ID,
      vertical: 'auto_insurance',
      state: 'CA',
      zip: '94105',
      city: 'San Francisco',
      age: 40,
      source: 'google',
      subId: 'spring-sale',
      consentGiven: true,
      hasTrustedForm: true,
      hasJornaya: true,
      fields,
    });
  });

  it('carries no contact value and no consent evidence', () => {
    const raw = rawLead();
    const json = JSON.stringify(ping(raw));
    const forbidden = [
      '4155550134',
      '415',
      '555',
      '0134',
      'ada.lovelace@example.com',
      'Ada.Lovelace@Example.COM',
      'example.com',
      'Ada',
      'Lovelace',
      '12 Analytical Engine Way',
      'Analytical',
      '1985-04-12',
      '1985',
      'trustedform',
      'JOR-12345',
      'quotes.example.com',
      'By clicking',
    ];
    for (const value of forbidden) expect(json).not.toContain(value);
    expect(json.toLowerCase()).not.toMatch(/email|phone|firstname|lastname|address|dateofbirth/);
  });

  it('gives the age on the day the lead was received, not the date of birth', () => {
    expect(ping().age).toBe(40);
    const raw = rawLead();
    const dayBefore = toPingLead(LEAD_ID, 'auto_insurance', parse(raw), fields, new Date('2025-04-11T23:59:59Z'));
    expect(dayBefore.age).toBe(39);
  });

  it('leaves out optional parts that were not sent, and still passes pingLeadSchema', () => {
    const lead = toPingLead(
      LEAD_ID,
      'solar',
      parse({
        campaign: 'solar',
        contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '4155550134' },
        geo: { state: 'AZ', zip: '85001' },
        consent: { given: false },
      }),
      { homeowner: true, monthlyElectricBill: 180 },
      RECEIVED_AT,
    );
    expect(lead).toEqual({
      leadId: LEAD_ID,
      vertical: 'solar',
      state: 'AZ',
      zip: '85001',
      consentGiven: false,
      hasTrustedForm: false,
      hasJornaya: false,
      fields: { homeowner: true, monthlyElectricBill: 180 },
    });
    for (const key of ['city', 'age', 'source', 'subId']) expect(lead).not.toHaveProperty(key);
    expect(pingLeadSchema.safeParse(lead).success).toBe(true);
  });
});

describe('pingLeadSchema', () => {
  const valid: PingLead = {
    leadId: LEAD_ID,
    vertical: 'auto_insurance',
    state: 'CA',
    zip: '94105',
    consentGiven: true,
    hasTrustedForm: false,
    hasJornaya: false,
    fields: { insured: true },
  };

  it('accepts a minimal ping lead', () => {
    expect(pingLeadSchema.safeParse(valid).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['email', { email: 'ada@example.com' }],
    ['phone', { phone: '+14155550134' }],
    ['firstName', { firstName: 'Ada' }],
    ['contact', { contact: { email: 'ada@example.com' } }],
    ['dateOfBirth', { dateOfBirth: '1985-04-12' }],
  ])('refuses an extra %s key', (key, extra) => {
    const result = pingLeadSchema.safeParse({ ...valid, ...extra });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.code === 'unrecognized_keys');
    expect(issue && 'keys' in issue ? issue.keys : []).toEqual([key]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['leadId not a uuid', { leadId: 'lead-1' }],
    ['unknown vertical', { vertical: 'mortgage' }],
    ['non-integer age', { age: 40.5 }],
    ['object in fields', { fields: { contact: { email: 'ada@example.com' } } }],
    ['null in fields', { fields: { insured: null } }],
  ])('refuses %s', (_label, patch) => {
    expect(pingLeadSchema.safeParse({ ...valid, ...patch }).success).toBe(false);
  });
});
