import type { FieldRule, PingLead } from '@pingtree/contracts';
import { failedRule } from './field-rule';

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
    it.each<[FieldRule, string | null]>([
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
    it.each<[FieldRule, string | null]>([
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
    it.each<[FieldRule, string | null]>([
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
    it.each<[FieldRule, string | null]>([
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
    it.each<[FieldRule, string | null]>([
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
