import { z } from 'zod';
import { marginSchema, tierSchema } from '@pingtree/contracts';
import { styleSchema } from '../../buyer-sim/src';

/**
 * A table-driven distribution case: a tree, the buyers' ping and post answers, the lead(s) and
 * what must happen. Buyers are named by key; the runner creates the channels and maps ids back.
 */
const fixtureBuyerSchema = z.strictObject({
  style: styleSchema.default('bid-json'),
  /** The bid this buyer answers every ping with. */
  bid: z.number().min(0).default(10),
  ping: z.enum(['bid', 'reject', 'hang', 'error5xx', 'garbage']).default('bid'),
  post: z.enum(['accept', 'reject']).default('accept'),
  latencyMs: z.number().int().min(0).default(1),
  priority: z.number().int().default(0),
  weight: z.number().int().min(1).default(1),
  bidAdjustmentPercent: z.number().default(0),
  /** A post-only channel at this fixed price (no ping). */
  postOnlyPrice: z.number().positive().optional(),
});

const expectationSchema = z.strictObject({
  state: z.string(),
  reason: z.string().optional(),
  /** Sales in order, by fixture buyer key. */
  sales: z
    .array(
      z.strictObject({
        buyer: z.string(),
        price: z.number(),
        payout: z.number().optional(),
      }),
    )
    .optional(),
  /** Buyers pinged for this lead (any order). */
  pinged: z.array(z.string()).optional(),
  /** Posts as the buyers received them, in order, with the outcome. */
  posted: z.array(z.tuple([z.string(), z.enum(['accepted', 'rejected'])])).optional(),
  /** Choice tiers: buyers offered, in rank order. */
  offers: z.array(z.string()).optional(),
  /** A rule text fragment the winner's `selected` event must contain. */
  winnerRule: z.string().optional(),
});

export const distributionFixtureSchema = z.strictObject({
  description: z.string(),
  buyers: z.record(z.string(), fixtureBuyerSchema),
  tiers: z.array(tierSchema.omit({ channelIds: true }).extend({ channels: z.array(z.string()).min(1) })),
  campaign: z.strictObject({ priceFloor: z.number().default(0), margin: marginSchema.optional() }).default({ priceFloor: 0 }),
  supplierPriceFloor: z.number().default(0),
  /** Choice fixtures: the consumer picks these buyers' offers, in this order. */
  pick: z.array(z.string()).optional(),
  expect: expectationSchema.optional(),
  /** Several leads in a row (round robin): one expectation per lead. */
  expectEach: z.array(expectationSchema).optional(),
  /** After the pick (choice fixtures). */
  expectAfterPick: expectationSchema.optional(),
});

export type DistributionFixture = z.infer<typeof distributionFixtureSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type FixtureBuyer = z.infer<typeof fixtureBuyerSchema>;
