import { z } from 'zod';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';
import { candidateSchema } from '../auction-select/auction-select.v1';

export const POST_OUTCOMES = [
  'accepted',
  /** The buyer took the lead and will confirm through its signed callback. */
  'pending',
  'rejected',
  'timeout',
  'error',
  'unparseable',
  'expired_bid',
  'skipped_no_time',
] as const;

export const postAttemptSchema = z.strictObject({
  channelId: z.uuid(),
  outcome: z.enum(POST_OUTCOMES),
  price: z.number().min(0),
  payout: z.number().min(0),
  reason: z.string().nullable(),
  redirectUrl: z.string().nullable(),
  httpStatus: z.number().int().nullable(),
  ms: z.number().min(0),
});

/** Post the full lead (read from PostgreSQL, never carried over NATS) to candidates in order. */
export const postDeliverV1 = defineEndpoint({
  subject: SUBJECTS.postDeliver,
  service: 'post',
  request: z.strictObject({
    leadId: z.uuid(),
    tierIndex: z.number().int().min(0),
    candidates: z.array(candidateSchema),
    maxSales: z.number().int().min(1),
  }),
  reply: z.strictObject({ attempts: z.array(postAttemptSchema) }),
});

export type PostAttempt = z.infer<typeof postAttemptSchema>;
export type PostOutcome = PostAttempt['outcome'];
