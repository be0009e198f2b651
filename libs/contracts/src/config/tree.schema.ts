import { z } from 'zod';

export const DISTRIBUTION_LOGICS = ['auction', 'waterfall'] as const;

export const tierSchema = z.strictObject({
  name: z.string().min(1).max(100),
  logic: z.enum(DISTRIBUTION_LOGICS),
  channelIds: z.array(z.uuid()).min(1, 'a tier needs at least one channel'),
  pingMode: z.enum(['parallel', 'sequential']).default('parallel'),
  maxSales: z.number().int().min(1).default(1),
  /** Stop the tree once this tier sold; otherwise later tiers may sell too. */
  stopOnSale: z.boolean().default(true),
  /** Bids below this are not sold ("bid too low"). */
  priceFloor: z.number().min(0).default(0),
});

export const treeConfigSchema = z.strictObject({
  name: z.string().min(1).max(100),
  tiers: z.array(tierSchema).min(1, 'a tree needs at least one tier'),
});

export type Tier = z.infer<typeof tierSchema>;
export type TreeConfig = z.infer<typeof treeConfigSchema>;
export type Tree = TreeConfig & { id: string };
