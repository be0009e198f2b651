import type { Envelope, FieldCipher } from './field-cipher';

/** The lead columns that hold contact data and consent evidence, encrypted at rest. */
export type EncryptedLeadColumn = 'contact' | 'consent';

/** Bound to the lead's id: a ciphertext moved to another lead's row does not decrypt. */
function context(leadId: string, column: EncryptedLeadColumn): string {
  return `leads.${column}:${leadId}`;
}

export function sealLeadField(cipher: FieldCipher, leadId: string, column: EncryptedLeadColumn, value: unknown): Envelope {
  return cipher.seal(value, context(leadId, column));
}

/** A row written before encryption was turned on holds plain JSON, read as it is. */
export function openLeadField<T>(cipher: FieldCipher, leadId: string, column: EncryptedLeadColumn, stored: unknown): T {
  return cipher.openStored(stored, context(leadId, column)) as T;
}
