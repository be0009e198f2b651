import { z } from 'zod';
import { verticalSchema } from '../lead/verticals';
import { filterRulesSchema } from './filter-rule.schema';
import { marginSchema } from './tree.schema';

export const campaignConfigSchema = z.strictObject({
  /** What partners put in a lead's `campaign` field. */
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1).max(100),
  vertical: verticalSchema,
  treeId: z.uuid(),
  /** Whole-lead deadline: the consumer is waiting. */
  tmaxMs: z.number().int().min(100).max(60_000).default(3000),
  /** Time kept back from pinging for selection and the post. */
  postReserveMs: z.number().int().min(0).max(30_000).default(1000),
  /** A repeat of the same consumer inside this window is a duplicate. */
  dedupeWindowHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .default(24),
  /** Don't sell the same consumer to the same buyer again within this many days (0: off). */
  buyerDedupeDays: z.number().int().min(0).max(3650).default(0),
  /** Rules every lead of the campaign must pass, or it goes to no channel. */
  filters: filterRulesSchema.default([]),
  /** Reserve price for every tier of this campaign, on the effective bid. */
  priceFloor: z.number().min(0).default(0),
  /** What the platform keeps of each sale; the rest is the supplier's payout. */
  margin: marginSchema.default({ type: 'percent', value: 0 }),
  enabled: z.boolean().default(true),
});

export type CampaignConfig = z.infer<typeof campaignConfigSchema>;
export type Campaign = CampaignConfig & { id: string };

export const buyerConfigSchema = z.strictObject({
  name: z.string().min(1).max(100),
  displayName: z.string().min(1).max(100),
  enabled: z.boolean().default(true),
});
export type BuyerConfig = z.infer<typeof buyerConfigSchema>;
export type Buyer = BuyerConfig & { id: string };

export const supplierConfigSchema = z.strictObject({
  name: z.string().min(1).max(100),
  /** This supplier's leads don't sell below this effective bid. */
  priceFloor: z.number().min(0).default(0),
  enabled: z.boolean().default(true),
  /** Rules every lead of this supplier must pass, or it goes to no channel. */
  filters: filterRulesSchema.optional(),
  /** Leads per second this supplier may post, enforced per gateway replica (none: no limit). */
  rateLimitPerSecond: z.number().int().min(1).max(100_000).optional(),
});
export type SupplierConfig = z.infer<typeof supplierConfigSchema>;

export interface Supplier extends SupplierConfig {
  id: string;
  apiKeyHash: string;
}
