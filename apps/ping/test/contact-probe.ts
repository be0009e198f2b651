import { randomInt } from 'node:crypto';
import type { RecordedRequest } from '../../buyer-sim/src';

/** The contact block of a lead, as a partner sends it. */
export interface ProbeContact {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  address: string;
  dateOfBirth: string;
}

// A random start per run, so two runs never share contact values.
let next = randomInt(0, 200_000);

/** `n` as lower-case letters, e.g. 0 → "aaaa": a tag that no id, price or zip can contain. */
function letters(n: number): string {
  let out = '';
  for (let i = 0; i < 5; i++) {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
}

/**
 * Contact data that can't be mistaken for anything else in a request: names and street carry a
 * letter tag unique to the lead, the phone and birth date are unique digit runs.
 */
export function distinctContact(): ProbeContact {
  const n = next++;
  const tag = letters(n);
  const line = String(n % 10_000).padStart(4, '0');
  const exchange = 200 + (Math.floor(n / 10_000) % 800);
  const year = 1940 + (n % 60);
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  return {
    firstName: `Ysolde${tag}`,
    lastName: `Vantongeren${tag}`,
    email: `Ysolde.${tag}@Probe-Mail.example`,
    phone: `(628) ${exchange}-${line}`,
    address: `${100 + (n % 900)} Quillfeather ${tag} Lane`,
    dateOfBirth: `${year}-${month}-${day}`,
  };
}

/** Every way a buyer request could spell this contact: each name, the email in any case, the phone and birth date in every format. */
export function contactSpellings(contact: ProbeContact): string[] {
  const digits = contact.phone.replace(/\D/g, '');
  const [area, exchange, line] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  const [year, month, day] = contact.dateOfBirth.split('-');
  return [
    contact.firstName,
    contact.lastName,
    contact.address,
    contact.email,
    `+1${digits}`,
    `1${digits}`,
    digits,
    `${area}-${exchange}-${line}`,
    `(${area}) ${exchange}-${line}`,
    `(${area})${exchange}-${line}`,
    `${area}.${exchange}.${line}`,
    `${area} ${exchange} ${line}`,
    contact.dateOfBirth,
    `${month}/${day}/${year}`,
    `${Number(month)}/${Number(day)}/${year}`,
    `${year}${month}${day}`,
    `${month}-${day}-${year}`,
    `${year}/${month}/${day}`,
  ];
}

/** The request as text in each form a value could hide in: raw, form-decoded, and every header. */
function readableForms(request: RecordedRequest): string[] {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`)
    .join('\n');
  let decoded = request.rawBody;
  try {
    decoded = decodeURIComponent(request.rawBody.replace(/\+/g, ' '));
  } catch {
    // Not form-encoded (a stray %); the raw body is checked as it is.
  }
  return [request.rawBody, decoded, JSON.stringify(request.body ?? null), headers].map((text) => text.toLowerCase());
}

/** The spellings found anywhere in the request (case-insensitive), or an empty list. */
export function contactFoundIn(request: RecordedRequest, spellings: readonly string[]): string[] {
  const forms = readableForms(request);
  return spellings.filter((s) => forms.some((text) => text.includes(s.toLowerCase())));
}
