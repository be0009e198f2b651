import { fieldTransformSchema, type FieldTransform } from '@pingtree/contracts';
import type { z } from 'zod';
import { applyTransform } from './field-transforms';

function transform(input: z.input<typeof fieldTransformSchema>): FieldTransform {
  return fieldTransformSchema.parse(input);
}

describe('applyTransform', () => {
  describe('date', () => {
    it.each<[string, unknown, unknown]>([
      ['YYYY-MM-DD', '1984-07-09', '1984-07-09'],
      ['MM/DD/YYYY', '1984-07-09', '07/09/1984'],
      ['DD.MM.YY', '1984-07-09', '09.07.84'],
      ['YYYYMMDD', '1984-07-09', '19840709'],
      ['epoch', '1984-07-09', 458179200],
      ['epoch_ms', '1984-07-09', 458179200000],
      ['YYYY-MM-DD HH:mm:ss', '2024-05-01T10:20:30Z', '2024-05-01 10:20:30'],
      ['YYYY-MM-DDTHH:mm:ss', '2024-05-01T10:20:30-07:00', '2024-05-01T17:20:30'],
      ['MM/DD/YYYY', '2024-05-01T23:30:00-07:00', '05/02/2024'],
      ['epoch', '2024-05-01T00:00:00.000Z', 1714521600],
      ['YYYY-MM-DD', '2024-02-29', '2024-02-29'],
      ['YYYY-MM-DD', '2023-02-29', undefined],
      ['YYYY-MM-DD', '2024-13-01', undefined],
      ['YYYY-MM-DD', '07/09/1984', undefined],
      ['YYYY-MM-DD', 'yesterday', undefined],
      ['YYYY-MM-DD', '', undefined],
      ['YYYY-MM-DD', 458179200, undefined],
      ['YYYY-MM-DD', true, undefined],
      ['YYYY-MM-DD', null, undefined],
    ])('formats as %s: %j → %j', (format, value, expected) => {
      expect(applyTransform(transform({ type: 'date', format }), value)).toEqual(expected);
    });
  });

  describe('phone', () => {
    it.each<[z.input<typeof fieldTransformSchema> & { type: 'phone' }, unknown, unknown]>([
      [{ type: 'phone', format: 'e164' }, '+14155550123', '+14155550123'],
      [{ type: 'phone', format: 'digits10' }, '+14155550123', '4155550123'],
      [{ type: 'phone', format: 'dashed' }, '+14155550123', '415-555-0123'],
      [{ type: 'phone', format: 'parens' }, '+14155550123', '(415) 555-0123'],
      [{ type: 'phone', format: 'e164' }, '(415) 555-0123', '+14155550123'],
      [{ type: 'phone', format: 'dashed' }, '1 415 555 0123', '415-555-0123'],
      [{ type: 'phone', format: 'digits10' }, 4155550123, '4155550123'],
      [{ type: 'phone', format: 'e164' }, '555-0123', undefined],
      [{ type: 'phone', format: 'e164' }, '+44 20 7946 0958', undefined],
      [{ type: 'phone', format: 'e164' }, '24155550123', undefined],
      [{ type: 'phone', format: 'e164' }, { number: '4155550123' }, undefined],
    ])('%j: %j → %j', (t, value, expected) => {
      expect(applyTransform(transform(t), value)).toEqual(expected);
    });
  });

  describe('boolean', () => {
    const yn = transform({ type: 'boolean', true: 'Y', false: 'N' });
    const bits = transform({ type: 'boolean', true: 1, false: 0 });
    const words = transform({ type: 'boolean', true: 'yes', false: 'no' });
    const flags = transform({ type: 'boolean', true: true, false: false });
    it.each<[string, FieldTransform, unknown, unknown]>([
      ['Y/N', yn, true, 'Y'],
      ['Y/N', yn, false, 'N'],
      ['1/0', bits, true, 1],
      ['1/0', bits, false, 0],
      ['yes/no', words, 'true', 'yes'],
      ['yes/no', words, 'No', 'no'],
      ['true/false', flags, 'y', true],
      ['true/false', flags, '0', false],
      ['true/false', flags, 1, true],
      ['Y/N', yn, ' YES ', 'Y'],
      ['Y/N', yn, 'maybe', undefined],
      ['Y/N', yn, 2, undefined],
      ['Y/N', yn, null, undefined],
    ])('%s: %j → %j', (_label, t, value, expected) => {
      expect(applyTransform(t, value)).toEqual(expected);
    });
  });

  describe('enum', () => {
    const withDefault = transform({ type: 'enum', map: { own: 'Homeowner', rent: 'Renter', '1': 'one' }, default: 'Other' });
    const without = transform({ type: 'enum', map: { own: 'Homeowner', good: 2 } });
    it.each<[string, FieldTransform, unknown, unknown]>([
      ['a mapped value', withDefault, 'own', 'Homeowner'],
      ['another mapped value', withDefault, 'rent', 'Renter'],
      ['a number, compared as text', withDefault, 1, 'one'],
      ['a value to a number', without, 'good', 2],
      ['an unmapped value, to the default', withDefault, 'lease', 'Other'],
      ['an unmapped value, left out without default', without, 'lease', undefined],
      ['case matters', without, 'OWN', undefined],
      ['no prototype keys', without, 'constructor', undefined],
      ['no prototype keys, even with a default', withDefault, 'toString', 'Other'],
      ['an object is not a value', withDefault, { own: 1 }, undefined],
    ])('maps %s', (_label, t, value, expected) => {
      expect(applyTransform(t, value)).toEqual(expected);
    });
  });

  describe('upper and lower', () => {
    it.each<[FieldTransform, unknown, unknown]>([
      [transform({ type: 'upper' }), 'ca', 'CA'],
      [transform({ type: 'lower' }), 'Jane@Example.COM', 'jane@example.com'],
      [transform({ type: 'upper' }), 42, 42],
      [transform({ type: 'lower' }), true, true],
    ])('%j: %j → %j', (t, value, expected) => {
      expect(applyTransform(t, value)).toEqual(expected);
    });
  });

  describe('concat', () => {
    it.each<[string, FieldTransform, unknown[], unknown]>([
      ['with the default space', transform({ type: 'concat' }), ['Jane', 'Doe'], 'Jane Doe'],
      ['with a separator', transform({ type: 'concat', separator: ', ' }), ['Austin', 'TX', 78701], 'Austin, TX, 78701'],
      ['with no separator', transform({ type: 'concat', separator: '' }), ['A', 'B'], 'AB'],
      ['skipping missing and empty parts', transform({ type: 'concat', separator: '-' }), ['a', undefined, '', null, 'b'], 'a-b'],
      ['skipping objects', transform({ type: 'concat' }), ['a', { x: 1 }, ['y']], 'a'],
      ['to nothing when every part is missing', transform({ type: 'concat' }), [undefined, ''], undefined],
    ])('joins %s', (_label, t, values, expected) => {
      expect(applyTransform(t, values)).toEqual(expected);
    });
  });
});
