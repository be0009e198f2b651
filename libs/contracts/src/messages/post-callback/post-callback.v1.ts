import { z } from 'zod';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';

/** What a buyer's callback says about a post it answered "pending". */
export const buyerCallbackBodySchema = z.object({
  ref: z.string().min(1).max(200),
  status: z.enum(['accepted', 'rejected']),
  reason: z.string().max(1000).optional(),
});

/**
 * A buyer's callback, relayed by the gateway as it arrived: the post service verifies the signature
 * with the channel's secret and settles the attempt (and its cap room) once, whatever the retries.
 */
export const postCallbackV1 = defineEndpoint({
  subject: SUBJECTS.postCallback,
  service: 'post',
  request: z.strictObject({
    attemptId: z.string().regex(/^\d{1,18}$/),
    timestamp: z.string().max(20),
    signature: z.string().max(200),
    body: z.string().max(64 * 1024),
  }),
  reply: z.strictObject({
    leadId: z.uuid(),
    channelId: z.uuid(),
    outcome: z.enum(['accepted', 'rejected']),
    /** Arrived after the callback timeout: the lead had gone to reconciliation. */
    late: z.boolean(),
    /** A repeat of a callback already applied: nothing changed. */
    duplicate: z.boolean(),
  }),
});
