import { LEAD_STATES, normaliseEmail, normalisePhoneE164, PingtreeError } from '@pingtree/contracts';
import { fieldIssues } from '@pingtree/messaging';
import { z } from 'zod';
import { emailKey, phoneKey } from '../intake/dedupe-keys';
import { unreadableTimestamps } from './parse-timestamp';

/** Where a page ends: the last lead's receipt time and id (leads are listed newest first). */
interface Cursor {
  at: string;
  id: string;
}

const cursorSchema = z.strictObject({ at: z.iso.datetime({ offset: true }), id: z.uuid() });

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(value: string): Cursor | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const querySchema = z.strictObject({
  supplierId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  supplierLeadId: z.string().min(1).max(200).optional(),
  phone: z.string().min(1).max(40).optional(),
  email: z.string().min(1).max(254).optional(),
  state: z.enum(LEAD_STATES).optional(),
  channelId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** A search as the repository runs it: contact values are already hashes, never kept beyond this. */
export interface LeadSearch {
  supplierId?: string;
  campaignId?: string;
  supplierLeadId?: string;
  /** Identity hashes the lead must carry (phone and/or email), as dedupe stores them. */
  keyHashes: string[];
  state?: string;
  channelId?: string;
  from?: string;
  to?: string;
  limit: number;
  after?: Cursor;
}

/** Validates `GET /v1/admin/leads` query parameters; 422 names each bad one. */
export function parseLeadSearch(query: Record<string, unknown>): LeadSearch {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) throw new PingtreeError('VALIDATION_FAILED', 'invalid lead search', fieldIssues(parsed.error));
  const q = parsed.data;
  const issues: Array<{ field: string; message: string }> = [];
  const keyHashes: string[] = [];
  if (q.phone !== undefined) {
    const e164 = normalisePhoneE164(q.phone);
    if (e164) keyHashes.push(phoneKey(e164));
    else issues.push({ field: 'phone', message: 'must be a US phone number' });
  }
  if (q.email !== undefined) {
    const email = normaliseEmail(q.email);
    if (email) keyHashes.push(emailKey(email));
    else issues.push({ field: 'email', message: 'must be an email address' });
  }
  const after = q.cursor !== undefined ? decodeCursor(q.cursor) : undefined;
  if (after === null) issues.push({ field: 'cursor', message: 'is not a cursor this API returned' });
  issues.push(...unreadableTimestamps({ ...q, cursor: after?.at }, ['from', 'to', 'cursor']));
  if (q.from && q.to && Date.parse(q.to) <= Date.parse(q.from)) issues.push({ field: 'to', message: 'must be after from' });
  if (issues.length > 0) throw new PingtreeError('VALIDATION_FAILED', 'invalid lead search', issues);
  return {
    supplierId: q.supplierId?.toLowerCase(),
    campaignId: q.campaignId?.toLowerCase(),
    supplierLeadId: q.supplierLeadId,
    keyHashes,
    state: q.state,
    channelId: q.channelId?.toLowerCase(),
    from: q.from,
    to: q.to,
    limit: q.limit,
    after: after ?? undefined,
  };
}
