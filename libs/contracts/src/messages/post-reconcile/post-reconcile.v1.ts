import { z } from 'zod';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';

/**
 * What an operator learned from the buyer about a post whose answer the platform never got (a crash
 * after sending, a timeout, a callback that never came): `POST /v1/admin/leads/:leadId/reconciliation`.
 */
export const leadReconciliationBodySchema = z.strictObject({
  channelId: z.uuid(),
  outcome: z.enum(['accepted', 'rejected']),
  reason: z.string().trim().min(1).max(1000).optional(),
});

/** Post states whose answer is unknown: only these can be reconciled. */
export const UNKNOWN_POST_STATES = ['attempted', 'timeout', 'pending', 'callback_timeout'] as const;

/**
 * Settles one such post as the operator says, once: its cap room and the buyer's sale follow, as
 * for a buyer's callback. The gateway then decides the lead from its posts.
 */
export const postReconcileV1 = defineEndpoint({
  subject: SUBJECTS.postReconcile,
  service: 'post',
  request: z.strictObject({
    leadId: z.uuid(),
    channelId: z.uuid(),
    outcome: z.enum(['accepted', 'rejected']),
    reason: z.string().max(1000).nullable(),
    /** The operator, from the admin request's x-admin-user. */
    author: z.string().min(1).max(100),
  }),
  reply: z.strictObject({
    leadId: z.uuid(),
    channelId: z.uuid(),
    outcome: z.enum(['accepted', 'rejected']),
    /** The post's state before: what the platform knew. */
    previous: z.string(),
    /** The same reconciliation was applied before: nothing changed. */
    duplicate: z.boolean(),
  }),
});
