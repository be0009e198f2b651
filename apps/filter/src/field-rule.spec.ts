import type { FieldRule, LeafRule, PingLead } from '@pingtree/contracts';
import { describe as describeRule, failedRule, firstFailure } from './field-rule';

const LEAD: PingLead = {
  leadId: '00000000-0000-4000-8000-000000000001',
  vertical: 'auto_insurance',
  state: 'CA',
  zip: '94105',
  age: 40,
  source: '',
  consentGiven: true,
  hasTrustedForm: false,
  hasJornaya: false,
  fields: { insured: false, vehicleYear: 2019, vehicleMake: 'Toyota', creditRating: 'good', bill: 0 },
};

describe('failedRule', () => {
  describe('equals', () => {
    it.each<[LeafRule, string | null]>([
      [{ op: 'equals', field: 'state', value: 'CA' }, null],
      [{ op: 'equals', field: 'age', value: 40 }, null],
      [{ op: 'equals', field: 'consentGiven', value: true }, null],
      [{ op: 'equals', field: 'fields.insured', value: false }, null],
      [{ op: 'equals', field: 'fields.vehicleMake', value: 'Toyota' }, null],
      [{ op: 'equals', field: 'state', value: 'NY' }, 'state must equal NY'],
      [{ op: 'equals', field: 'state', value: 'ca' }, 'state must equal ca'],
      [{ op: 'equals', field: 'age', value: '40' }, 'age must equal 40'],
      [{ op: 'equals', field: 'fields.insured', value: true }, 'fields.insured must equal true'],
      [{ op: 'equals', field: 'fields.insured', value: 'false' }, 'fields.insured must equal false'],
      [{ op: 'equals', field: 'fields.missing', value: 'x' }, 'fields.missing must equal x'],
      [{ op: 'equals', field: 'hasJornaya', value: true }, 'hasJornaya must equal true'],
    ])('%j → %p', (rule, expected) => {
      expect(failedRule(rule, LEAD)).toBe(expected);
    });
  });

  describe('in', () => {
    it.each<[LeafRule, string | null]>([
      [{ op: 'in', field: 'state', values: ['CA', 'NY'] }, null],
      [{ op: 'in', field: 'state', values: ['CA'] }, null],
      [{ op: 'in', field: 'fields.vehicleYear', values: [2018, 2019, 2020] }, null],
      [{ op: 'in', field: 'fields.creditRating', values: ['excellent', 'good'] }, null],
      [{ op: 'in', field: 'state', values: ['TX', 'NY'] }, 'state must be one of TX, NY'],
      [{ op: 'in', field: 'state', values: ['ca'] }, 'state must be one of ca'],
      [{ op: 'in', field: 'fields.vehicleYear', values: ['2019'] }, 'fields.vehicleYear must be one of 2019'],
      [{ op: 'in', field: 'fields.creditRating', values: ['fair', 'poor'] }, 'fields.creditRating must be one of fair, poor'],
      [{ op: 'in', field: 'city', values: ['San Francisco'] }, 'city must be one of San Francisco'],
    ])('%j → %p', (rule, expected) => {
      expect(failedRule(rule, LEAD)).toBe(expected);
    });
  });

  describe('not_in', () => {
    it.each<[LeafRule, string | null]>([
      [{ op: 'not_in', field: 'state', values: ['NY', 'TX'] }, null],
      [{ op: 'not_in', field: 'fields.vehicleYear', values: ['2019'] }, null],
      [{ op: 'not_in', field: 'city', values: ['San Francisco'] }, null],
      [{ op: 'not_in', field: 'state', values: ['NY', 'CA'] }, 'state must not be CA'],
      [{ op: 'not_in', field: 'fields.vehicleYear', values: [2019] }, 'fields.vehicleYear must not be 2019'],
      [{ op: 'not_in', field: 'fields.creditRating', values: ['good'] }, 'fields.creditRating must not be good'],
    ])('%j → %p', (rule, expected) => {
      expect(failedRule(rule, LEAD)).toBe(expected);
    });
  });

  describe('range', () => {
    it.each<[LeafRule, string | null]>([
      [{ op: 'range', field: 'age', min: 18, max: 65 }, null],
      [{ op: 'range', field: 'age', min: 40, max: 40 }, null],
      [{ op: 'range', field: 'age', min: 40 }, null],
      [{ op: 'range', field: 'age', max: 40 }, null],
      [{ op: 'range', field: 'age' }, null],
      [{ op: 'range', field: 'fields.vehicleYear', min: 2010 }, null],
      [{ op: 'range', field: 'fields.bill', min: 0, max: 0 }, null],
      [{ op: 'range', field: 'age', min: 41 }, 'age below 41'],
      [{ op: 'range', field: 'age', min: 40.5, max: 65 }, 'age below 40.5'],
      [{ op: 'range', field: 'age', max: 39 }, 'age above 39'],
      [{ op: 'range', field: 'age', min: 18, max: 39.99 }, 'age above 39.99'],
      [{ op: 'range', field: 'fields.vehicleYear', min: 2020, max: 2025 }, 'fields.vehicleYear below 2020'],
      [{ op: 'range', field: 'fields.vehicleYear', min: 2000, max: 2015 }, 'fields.vehicleYear above 2015'],
      [{ op: 'range', field: 'zip', min: 90000 }, 'zip must be a number'],
      [{ op: 'range', field: 'fields.insured', min: 0 }, 'fields.insured must be a number'],
      [{ op: 'range', field: 'fields.missing', min: 0 }, 'fields.missing must be a number'],
    ])('%j → %p', (rule, expected) => {
      expect(failedRule(rule, LEAD)).toBe(expected);
    });
  });

  describe('exists', () => {
    it.each<[LeafRule, string | null]>([
      [{ op: 'exists', field: 'state' }, null],
      [{ op: 'exists', field: 'age' }, null],
      [{ op: 'exists', field: 'fields.vehicleMake' }, null],
      [{ op: 'exists', field: 'fields.insured' }, null],
      [{ op: 'exists', field: 'fields.bill' }, null],
      [{ op: 'exists', field: 'hasJornaya' }, null],
      [{ op: 'exists', field: 'fields' }, null],
      [{ op: 'exists', field: 'city' }, 'city is missing'],
      [{ op: 'exists', field: 'source' }, 'source is missing'],
      [{ op: 'exists', field: 'fields.roofShade' }, 'fields.roofShade is missing'],
      [{ op: 'exists', field: 'fields.vehicleMake.model' }, 'fields.vehicleMake.model is missing'],
      [{ op: 'exists', field: 'contact.email' }, 'contact.email is missing'],
    ])('%j → %p', (rule, expected) => {
      expect(failedRule(rule, LEAD)).toBe(expected);
    });
  });
});

describe('failedRule: more operators', () => {
  const lead: PingLead = {
    ...LEAD,
    source: 'Google',
    subId: 'spring-sale',
    fields: { ...LEAD.fields, policyStart: '2025-06-15' },
  };
  it.each<[LeafRule, string | null]>([
    [{ op: 'not_equals', field: 'state', value: 'NY' }, null],
    [{ op: 'not_equals', field: 'fields.missing', value: 'x' }, null],
    [{ op: 'not_equals', field: 'state', value: 'CA' }, 'state must not equal CA'],
    [{ op: 'age', min: 18, max: 65 }, null],
    [{ op: 'age', min: 40, max: 40 }, null],
    [{ op: 'age', min: 41 }, 'age 40 below 41'],
    [{ op: 'age', max: 39 }, 'age 40 above 39'],
    [{ op: 'date_range', field: 'fields.policyStart', from: '2025-06-01', to: '2025-06-30' }, null],
    [{ op: 'date_range', field: 'fields.policyStart', from: '2025-06-15', to: '2025-06-15' }, null],
    [{ op: 'date_range', field: 'fields.policyStart', from: '2025-06-16' }, 'fields.policyStart before 2025-06-16'],
    [{ op: 'date_range', field: 'fields.policyStart', to: '2025-06-14' }, 'fields.policyStart after 2025-06-14'],
    [{ op: 'date_range', field: 'fields.policyStart', to: '2025-06-15T00:00:00Z' }, null],
    [{ op: 'date_range', field: 'fields.vehicleMake', from: '2025-01-01' }, 'fields.vehicleMake must be a date'],
    [{ op: 'date_range', field: 'fields.missing', from: '2025-01-01' }, 'fields.missing must be a date'],
    [{ op: 'regex', field: 'zip', pattern: '^94[0-9]{3}$', flags: '' }, null],
    [{ op: 'regex', field: 'fields.vehicleMake', pattern: '^toy', flags: 'i' }, null],
    [{ op: 'regex', field: 'fields.vehicleMake', pattern: '^toy', flags: '' }, 'fields.vehicleMake must match /^toy/'],
    [{ op: 'regex', field: 'fields.vehicleYear', pattern: '^20', flags: '' }, null],
    [{ op: 'regex', field: 'city', pattern: '.', flags: '' }, 'city is missing'],
    [{ op: 'starts_with', field: 'zip', values: ['900', '941'] }, null],
    [{ op: 'starts_with', field: 'zip', values: ['900', '902'] }, 'zip must start with 900, 902'],
    [{ op: 'starts_with', field: 'city', values: ['San'] }, 'city must start with San'],
    [{ op: 'allow_list', field: 'source', values: ['google', 'bing'] }, null],
    [{ op: 'allow_list', field: 'source', values: ['bing'] }, 'source Google is not on the allow list'],
    [{ op: 'allow_list', field: 'subId', values: ['SPRING-SALE'] }, null],
    [{ op: 'deny_list', field: 'source', values: ['GOOGLE'] }, 'source Google is on the deny list'],
    [{ op: 'deny_list', field: 'subId', values: ['other'] }, null],
  ])('%j → %p', (rule, expected) => {
    expect(failedRule(rule, lead)).toBe(expected);
  });

  it('fails age rules and allow lists on a lead without the field, and passes deny lists', () => {
    const bare: PingLead = { ...LEAD };
    delete bare.age;
    delete bare.source;
    expect(failedRule({ op: 'age', min: 18 }, bare)).toBe('age is unknown (no date of birth)');
    expect(failedRule({ op: 'allow_list', field: 'source', values: ['google'] }, bare)).toBe('source is missing (allow list)');
    expect(failedRule({ op: 'deny_list', field: 'source', values: ['google'] }, bare)).toBeNull();
  });
});

describe('firstFailure: combinators and paths', () => {
  const ca: FieldRule = { op: 'equals', field: 'state', value: 'CA' };
  const ny: FieldRule = { op: 'equals', field: 'state', value: 'NY' };
  const adult: FieldRule = { op: 'age', min: 18 };

  it('passes an empty list', () => {
    expect(firstFailure([], LEAD)).toBeNull();
  });

  it('names the first failing rule by path and label', () => {
    expect(firstFailure([ca, { ...ny, name: 'New York only' }, adult], LEAD)).toEqual({
      path: 'filters.1',
      label: 'New York only',
      message: 'state must equal NY',
    });
  });

  it('all: the failing child, by its nested path', () => {
    expect(firstFailure([{ op: 'all', rules: [ca, adult, ny] }], LEAD, 'campaign.filters')).toEqual({
      path: 'campaign.filters.0.rules.2',
      label: 'equals',
      message: 'state must equal NY',
    });
    expect(firstFailure([{ op: 'all', rules: [ca, adult] }], LEAD)).toBeNull();
  });

  it('any: passes when one child passes, otherwise lists every reason', () => {
    expect(firstFailure([{ op: 'any', rules: [ny, ca] }], LEAD)).toBeNull();
    expect(firstFailure([{ op: 'any', name: 'east', rules: [ny, { op: 'equals', field: 'state', value: 'NJ' }] }], LEAD)).toEqual(
      {
        path: 'filters.0',
        label: 'east',
        message: 'none of: state must equal NY; state must equal NJ',
      },
    );
  });

  it('not: passes when the inner rule fails', () => {
    expect(firstFailure([{ op: 'not', rule: ny }], LEAD)).toBeNull();
    expect(firstFailure([{ op: 'not', rule: { op: 'in', field: 'state', values: ['CA', 'NV'] } }], LEAD)).toEqual({
      path: 'filters.0',
      label: 'not',
      message: 'must not match state in [CA, NV]',
    });
  });

  it('nests: any of (CA adult) or (NY), and not a denied source', () => {
    const rules: FieldRule[] = [
      { op: 'any', rules: [{ op: 'all', rules: [ca, adult] }, ny] },
      { op: 'not', rule: { op: 'deny_list', field: 'source', values: ['spam'] } },
    ];
    expect(firstFailure(rules, LEAD)).toEqual({
      path: 'filters.1',
      label: 'not',
      message: 'must not match source deny_list [spam]',
    });
    expect(firstFailure(rules, { ...LEAD, source: 'spam' })).toBeNull();
    expect(firstFailure(rules.slice(0, 1), { ...LEAD, age: 17 })?.message).toBe('none of: age 17 below 18; state must equal NY');
  });
});

describe('describeRule', () => {
  it.each<[FieldRule, string]>([
    [{ op: 'range', field: 'age', min: 18 }, 'age 18..'],
    [{ op: 'age', max: 65 }, 'age ..65'],
    [{ op: 'date_range', field: 'fields.d', from: '2025-01-01', to: '2025-12-31' }, 'fields.d 2025-01-01..2025-12-31'],
    [{ op: 'exists', field: 'city' }, 'city exists'],
    [{ op: 'not_equals', field: 'state', value: 'CA' }, 'state != CA'],
    [{ op: 'regex', field: 'zip', pattern: '^9', flags: 'i' }, 'zip ~ /^9/i'],
    [
      {
        op: 'all',
        rules: [
          { op: 'exists', field: 'city' },
          { op: 'not', rule: { op: 'exists', field: 'subId' } },
        ],
      },
      'all(city exists, not(subId exists))',
    ],
  ])('%j → %s', (rule, text) => {
    expect(describeRule(rule)).toBe(text);
  });
});
