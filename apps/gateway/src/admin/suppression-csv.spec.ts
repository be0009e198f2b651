import { csvEntries } from './suppression-csv';
import { suppressionKeys } from './suppression-entries';
import { emailKey, phoneKey } from '../intake/dedupe-keys';

describe('csvEntries', () => {
  it('reads phone and email columns by header, in any case and order, with their line numbers', () => {
    expect(csvEntries('\uFEFFEmail,Name,PHONE\r\nada@example.com,Ada,4155550134\r\n\r\n,Bob,"(212) 555-0100"\r\n')).toEqual([
      { line: 2, email: 'ada@example.com', phone: '4155550134' },
      { line: 4, email: '', phone: '(212) 555-0100' },
    ]);
  });

  it('understands quoted cells with commas, quotes and line breaks', () => {
    expect(csvEntries('note,email\n"a, ""b""\nc",x@example.com\nlast,y@example.com')).toEqual([
      { line: 2, email: 'x@example.com' },
      { line: 4, email: 'y@example.com' },
    ]);
  });

  it('refuses a header without a phone or email column', () => {
    expect(() => csvEntries('name\nAda\n')).toThrow('CSV needs a header line');
  });
});

describe('suppressionKeys', () => {
  const field = (row: number, column: string) => `entries.${row}.${column}`;

  it('hashes normalised values exactly as lead dedupe keys do, once each', () => {
    const keys = suppressionKeys([{ phone: '(415) 555-0134', email: ' Ada@Example.com ' }, { phone: '+1 415 555 0134' }], field);
    expect(keys.sort()).toEqual([phoneKey('+14155550134'), emailKey('ada@example.com')].sort());
  });

  it('names every bad row and adds nothing', () => {
    expect(() => suppressionKeys([{ phone: 'x' }, { email: 5 }, { phone: ' ' }], field)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        fields: [
          { field: 'entries.0.phone', message: 'must be a valid US phone number' },
          { field: 'entries.1.email', message: 'must be a valid email address' },
          { field: 'entries.2.phone', message: 'needs a phone, an email or both' },
        ],
      }),
    );
  });

  it('lists at most 100 errors but counts them all', () => {
    const rows = Array.from({ length: 150 }, () => ({ phone: 'bad' }));
    expect(() => suppressionKeys(rows, field)).toThrow('150 invalid entries; nothing was added (first 100 listed)');
  });
});
