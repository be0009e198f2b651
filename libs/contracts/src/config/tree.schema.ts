import { z } from 'zod';

/**
 * How a tier sells:
 * - waterfall: exclusive; candidates in the tier's `order`, the first to accept the post buys.
 * - auction:   exclusive; the highest effective bid (after margin and bid adjustment) buys.
 * - shared:    non-exclusive; sold to up to `maxSales` acceptors, highest effective bid first.
 * - choice:    ping, then offer the acceptors to the consumer; post only to those they pick.
 */
export const DISTRIBUTION_LOGICS = ['waterfall', 'auction', 'shared', 'choice'] as const;
export type DistributionLogic = (typeof DISTRIBUTION_LOGICS)[number];
export const EXCLUSIVE_LOGICS: readonly DistributionLogic[] = ['waterfall', 'auction'];

/**
 * Waterfall order among the tier's acceptors. Channels of equal priority are ordered by
 * `round_robin` (a shared counter) or `weighted` (random by channel weight), otherwise by tier order.
 */
export const WATERFALL_ORDERS = ['priority', 'expected_value', 'round_robin', 'weighted'] as const;

export const marginSchema = z.strictObject({
  type: z.enum(['percent', 'fixed']),
  value: z.number().min(0),
});

export const tierSchema = z.strictObject({
  name: z.string().min(1).max(100),
  logic: z.enum(DISTRIBUTION_LOGICS),
  channelIds: z.array(z.uuid()).min(1, 'a tier needs at least one channel'),
  pingMode: z.enum(['parallel', 'sequential']).default('parallel'),
  order: z.enum(WATERFALL_ORDERS).default('priority'),
  /** 1 for exclusive logics; the most buyers a shared or choice tier sells to. */
  maxSales: z.number().int().min(1, 'maxSales must be at least 1').default(1),
  /** Stop the tree once this tier sold; otherwise later tiers may sell too. */
  stopOnSale: z.boolean().default(true),
  /** Effective bids below this are not sold ("bid too low"). */
  priceFloor: z.number().min(0).default(0),
  /** Auction pricing: the winner pays its bid, or just above the runner-up (or the floor). */
  pricing: z.enum(['first_price', 'second_price']).default('first_price'),
  /** Choice tiers: how long offers stay open for the consumer's pick. */
  offerTtlSeconds: z.number().int().min(5).max(86_400).default(300),
});

export const treeConfigSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    tiers: z.array(tierSchema).min(1, 'a tree needs at least one tier'),
  })
  .superRefine((tree, ctx) => {
    tree.tiers.forEach((tier, i) => {
      if (EXCLUSIVE_LOGICS.includes(tier.logic) && tier.maxSales !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'maxSales'],
          message: `a ${tier.logic} tier is exclusive: maxSales must be 1`,
        });
      }
      if (tier.logic === 'choice' && i !== tree.tiers.length - 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i + 1],
          message: 'no tier may follow a choice tier: the consumer picks there',
        });
      }
      if (new Set(tier.channelIds).size !== tier.channelIds.length) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'channelIds'], message: 'a channel appears twice in this tier' });
      }
    });
  });

export type Tier = z.infer<typeof tierSchema>;
export type TreeConfig = z.infer<typeof treeConfigSchema>;
/** A stored tree; `version` is its latest recorded version (null before the first one). */
export type Tree = TreeConfig & { id: string; version?: number | null };
export type Margin = z.infer<typeof marginSchema>;
