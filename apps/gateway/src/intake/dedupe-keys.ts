import { createHash } from 'node:crypto';
import type { LeadInput } from '@pingtree/contracts';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** Identity hashes of a normalised phone (E.164) and email: shared by dedupe and suppression lists. */
export const phoneKey = (e164: string): string => sha256(`phone:${e164}`);
export const emailKey = (email: string): string => sha256(`email:${email}`);

/** Hashes of the normalised identifiers: the filter service never sees the values themselves. */
export function dedupeKeys(input: LeadInput, supplierId: string): string[] {
  const keys = [phoneKey(input.contact.phone), emailKey(input.contact.email)];
  if (input.supplierLeadId) keys.push(sha256(`supplier-lead:${supplierId}:${input.supplierLeadId}`));
  return keys;
}
