import { z } from 'zod';
import { pingLeadSchema } from '../../lead/ping-lead.schema';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';

export const PING_OUTCOMES = [
  'bid',
  'rejected',
  'timeout',
  'error',
  'unparseable',
  'skipped_no_time',
  'circuit_open',
  'post_only',
] as const;

/** Outcomes that say the buyer failed, not that it declined: they count toward its circuit breaker. */
export const FAILED_PING_OUTCOMES: readonly string[] = ['timeout', 'error', 'unparseable'];

/** One channel's answer to a ping, as parsed by its response rules. */
export const bidSchema = z.strictObject({
  channelId: z.uuid(),
  outcome: z.enum(PING_OUTCOMES),
  price: z.number().min(0).nullable(),
  buyerRef: z.string().nullable(),
  reason: z.string().nullable(),
  expiresAt: z.number().nullable(),
  httpStatus: z.number().int().nullable(),
  ms: z.number().min(0),
});

export const pingDispatchV1 = defineEndpoint({
  subject: SUBJECTS.pingDispatch,
  service: 'ping',
  request: z.strictObject({
    lead: pingLeadSchema,
    tierIndex: z.number().int().min(0),
    channelIds: z.array(z.uuid()),
    mode: z.enum(['parallel', 'sequential']),
    /** Time to keep for selection and post after the pings. */
    reserveMs: z.number().int().min(0),
  }),
  reply: z.strictObject({ bids: z.array(bidSchema) }),
});

export type Bid = z.infer<typeof bidSchema>;
export type PingOutcome = Bid['outcome'];
