import { normaliseEmail, normalisePhoneE164, PingtreeError, type FieldIssue } from '@pingtree/contracts';
import { emailKey, phoneKey } from '../intake/dedupe-keys';

/** Errors named in one 422; the rest are counted. */
const MAX_LISTED_ERRORS = 100;
export const MAX_ENTRIES_PER_UPLOAD = 500_000;

/** One row as uploaded: a phone, an email, or both. */
export interface RawEntry {
  phone?: unknown;
  email?: unknown;
}

/**
 * Normalises each row's phone and email as intake does and hashes them with the same function as
 * dedupe keys, so a suppressed consumer matches the lead's own keys. All rows or none: a bad row
 * fails the upload with every bad field named (`fieldOf(row, 'phone')` says how).
 */
export function suppressionKeys(rows: RawEntry[], fieldOf: (row: number, column: string) => string): string[] {
  if (rows.length === 0)
    throw new PingtreeError('VALIDATION_FAILED', 'no entries', [
      { field: fieldOf(-1, ''), message: 'must list at least one entry' },
    ]);
  if (rows.length > MAX_ENTRIES_PER_UPLOAD) {
    throw new PingtreeError('VALIDATION_FAILED', 'too many entries', [
      { field: fieldOf(-1, ''), message: `at most ${MAX_ENTRIES_PER_UPLOAD} entries per upload` },
    ]);
  }
  const keys = new Set<string>();
  const issues: FieldIssue[] = [];
  let errors = 0;
  const fail = (row: number, column: string, message: string) => {
    errors++;
    if (issues.length < MAX_LISTED_ERRORS) issues.push({ field: fieldOf(row, column), message });
  };
  rows.forEach((row, i) => {
    const phone = present(row.phone);
    const email = present(row.email);
    if (phone === null && email === null) return fail(i, 'phone', 'needs a phone, an email or both');
    if (phone !== null) {
      const e164 = typeof phone === 'string' ? normalisePhoneE164(phone) : null;
      if (e164 === null) fail(i, 'phone', 'must be a valid US phone number');
      else keys.add(phoneKey(e164));
    }
    if (email !== null) {
      const normal = typeof email === 'string' ? normaliseEmail(email) : null;
      if (normal === null) fail(i, 'email', 'must be a valid email address');
      else keys.add(emailKey(normal));
    }
  });
  if (errors > 0) {
    const more = errors > issues.length ? ` (first ${issues.length} listed)` : '';
    throw new PingtreeError('VALIDATION_FAILED', `${errors} invalid entries; nothing was added${more}`, issues);
  }
  return [...keys];
}

function present(value: unknown): unknown {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? null : value;
}
