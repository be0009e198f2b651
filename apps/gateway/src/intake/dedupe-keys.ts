import { createHash } from 'node:crypto';
import type { LeadInput } from '@pingtree/contracts';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** Hashes of the normalised identifiers: the filter service never sees the values themselves. */
export function dedupeKeys(input: LeadInput, supplierId: string): string[] {
  const keys = [sha256(`phone:${input.contact.phone}`), sha256(`email:${input.contact.email}`)];
  if (input.supplierLeadId) keys.push(sha256(`supplier-lead:${supplierId}:${input.supplierLeadId}`));
  return keys;
}
