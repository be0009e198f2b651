import { z } from 'zod';
import { DISTRIBUTION_LOGICS } from '../../config/tree.schema';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';
import { bidSchema } from '../ping-dispatch/ping-dispatch.v1';

export const candidateSchema = z.strictObject({
  channelId: z.uuid(),
  price: z.number().min(0),
  buyerRef: z.string().nullable(),
  expiresAt: z.number().nullable(),
  rank: z.number().int().min(1),
  /** Why this candidate stands at this rank, for the trail. */
  rule: z.string(),
});

export const auctionSelectV1 = defineEndpoint({
  subject: SUBJECTS.auctionSelect,
  service: 'auction',
  request: z.strictObject({
    leadId: z.uuid(),
    tierIndex: z.number().int().min(0),
    logic: z.enum(DISTRIBUTION_LOGICS),
    priceFloor: z.number().min(0),
    bids: z.array(bidSchema),
  }),
  reply: z.strictObject({
    candidates: z.array(candidateSchema),
    /** Bids left out, with why ("bid too low", "rejected"). */
    passedOver: z.array(z.strictObject({ channelId: z.uuid(), reason: z.string() })),
  }),
});

export type Candidate = z.infer<typeof candidateSchema>;
