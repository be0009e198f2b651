import { ZIP_EXCEPTIONS, ZIP_PREFIXES } from './zip-prefixes';

/** Pure normalisers used by the lead schema; each returns null when the value can't be made valid. */

/** US/Canada numbers to E.164. NANP area and exchange codes can't start with 0 or 1. */
export function normalisePhoneE164(raw: string): string | null {
  const trimmed = raw.trim();
  let digits = trimmed.replace(/[\s().-]/g, '');
  if (digits.startsWith('+')) {
    // Only NANP (+1) numbers: the platform's verticals are US leads.
    if (!digits.startsWith('+1')) return null;
    digits = digits.slice(1);
  }
  if (!/^\d+$/.test(digits)) return null;
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return null;
  return `+1${digits}`;
}

const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : null;
}

export const US_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
] as const;

export function normaliseState(raw: string): string | null {
  const state = raw.trim().toUpperCase();
  return (US_STATES as readonly string[]).includes(state) ? state : null;
}

/** Five-digit ZIP; ZIP+4 is cut to its first five digits. */
export function normaliseZip(raw: string): string | null {
  const match = /^(\d{5})(?:-?\d{4})?$/.exec(raw.trim());
  return match ? match[1]! : null;
}

/** Whole years between an ISO birth date and `at`. */
export function ageOn(dateOfBirth: string, at: Date): number {
  const dob = new Date(`${dateOfBirth}T00:00:00Z`);
  let age = at.getUTCFullYear() - dob.getUTCFullYear();
  const beforeBirthday =
    at.getUTCMonth() < dob.getUTCMonth() || (at.getUTCMonth() === dob.getUTCMonth() && at.getUTCDate() < dob.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/** True when the 5-digit ZIP lies in the state, by its 3-digit prefix (see zip-prefixes.ts). */
export function zipInState(zip: string, state: string): boolean {
  const exception = ZIP_EXCEPTIONS[zip];
  if (exception !== undefined) return exception === state;
  const prefix = Number(zip.slice(0, 3));
  const ranges = ZIP_PREFIXES[state as (typeof US_STATES)[number]] ?? [];
  return ranges.some(([from, to]) => prefix >= from && prefix <= to);
}
