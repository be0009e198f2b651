import type { Contact } from './lead-input.schema';

/**
 * Field classes. `contact` fields identify the consumer: never in a ping, never in a log or trail in
 * clear. `postOnly` fields are consent evidence: sent to the buyer who bought, not to bidders.
 */
export const CONTACT_FIELDS = [
  'contact.firstName',
  'contact.lastName',
  'contact.email',
  'contact.phone',
  'contact.address',
  'contact.dateOfBirth',
] as const;

export const POST_ONLY_FIELDS = [
  'consent.text',
  'consent.timestamp',
  'consent.pageUrl',
  'consent.trustedFormCertUrl',
  'consent.jornayaLeadId',
] as const;

export function isContactField(path: string): boolean {
  return path === 'contact' || path.startsWith('contact.');
}

/** The contact values of a lead, for checks that no ping or log ever carries one. */
export function contactValues(contact: Contact): string[] {
  return Object.values(contact).filter((v): v is string => typeof v === 'string' && v.length > 0);
}
