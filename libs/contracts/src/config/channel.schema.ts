import { z } from 'zod';
import { buyerCallSchema } from './buyer-call.schema';
import { fieldRuleSchema } from './filter-rule.schema';

/** A buyer's endpoint with its own rules, price and timeout. `ping: null` makes it post-only at `fixedPrice`. */
export const channelConfigSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    buyerId: z.uuid(),
    enabled: z.boolean().default(true),
    ping: buyerCallSchema.nullable(),
    post: buyerCallSchema,
    fixedPrice: z.number().positive().optional(),
    pingTimeoutMs: z.number().int().min(10).max(30_000).default(1000),
    postTimeoutMs: z.number().int().min(10).max(60_000).default(2000),
    /** Higher goes first in a waterfall; also the first auction tie-break. */
    priority: z.number().int().default(0),
    /** Share among channels of equal priority in a `weighted` waterfall. */
    weight: z.number().int().min(1).max(1000).default(1),
    /** Per-buyer adjustment of its bids before ranking, in percent (e.g. -10 for a buyer with many returns). */
    bidAdjustmentPercent: z.number().min(-100).max(100).default(0),
    filters: z.array(fieldRuleSchema).default([]),
    /** Pause the channel after this many failed pings in a row, and probe it again after the cool-down. */
    circuit: z
      .strictObject({
        failureThreshold: z.number().int().min(1).max(1000).default(5),
        cooldownMs: z.number().int().min(1000).max(3_600_000).default(30_000),
      })
      .default({ failureThreshold: 5, cooldownMs: 30_000 }),
  })
  .refine((c) => c.ping !== null || c.fixedPrice !== undefined, {
    message: 'a post-only channel (ping: null) needs fixedPrice',
    path: ['fixedPrice'],
  });

export type ChannelConfig = z.infer<typeof channelConfigSchema>;
export type Channel = ChannelConfig & { id: string };
