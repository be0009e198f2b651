import { z } from 'zod';
import { marginSchema, tierSchema } from '../../config/tree.schema';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';
import { bidSchema } from '../ping-dispatch/ping-dispatch.v1';

export const candidateSchema = z.strictObject({
  channelId: z.uuid(),
  /** What the buyer pays: its bid, or the second price. */
  price: z.number().min(0),
  /** The bid after the buyer's adjustment; what ranking compares. */
  effectiveBid: z.number(),
  /** The supplier's share of `price` after the campaign margin. */
  payout: z.number(),
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
    treeId: z.uuid(),
    tierIndex: z.number().int().min(0),
    /** The tier as the journey read it, so a tree edited mid-lead can't change the rules halfway. */
    tier: tierSchema,
    /** The highest of the tier's, campaign's and supplier's floors. */
    priceFloor: z.number().min(0),
    margin: marginSchema,
    bids: z.array(bidSchema),
  }),
  reply: z.strictObject({
    candidates: z.array(candidateSchema),
    /** Bids left out, with why ("bid too low", "rejected"). */
    passedOver: z.array(z.strictObject({ channelId: z.uuid(), reason: z.string() })),
  }),
});

export type Candidate = z.infer<typeof candidateSchema>;
