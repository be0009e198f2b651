import { z } from 'zod';
import { buyerCallSchema, pingCallSchema, postCarriesBuyerRef } from './buyer-call.schema';
import { filterRulesSchema, scheduleSchema } from './filter-rule.schema';
import { isTimeZone } from './schedule.schema';

export const CAP_PERIODS = ['hour', 'day', 'week', 'month'] as const;
export type CapPeriod = (typeof CAP_PERIODS)[number];

/** A limit per window of the buyer's local time: the hour, the day (from midnight), the week (from Monday), the month. */
export const channelCapSchema = z
  .strictObject({
    period: z.enum(CAP_PERIODS),
    /** Leads sold in the window. */
    count: z.number().int().min(0).optional(),
    /** Money spent in the window (sum of prices). */
    spend: z.number().min(0).optional(),
  })
  .refine((c) => c.count !== undefined || c.spend !== undefined, { message: 'a cap needs count, spend or both' });
export type ChannelCap = z.infer<typeof channelCapSchema>;

/** A buyer's endpoint with its own rules, price and timeout. `ping: null` makes it post-only at `fixedPrice`. */
export const channelConfigSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    buyerId: z.uuid(),
    enabled: z.boolean().default(true),
    /** Never reads contact data or consent evidence (see pingCallSchema). */
    ping: pingCallSchema.nullable(),
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
    filters: filterRulesSchema.default([]),
    /** Open hours in the buyer's time zone; none means always open. */
    schedule: scheduleSchema.optional(),
    /** Pause the channel after this many failed pings in a row, and probe it again after the cool-down. */
    circuit: z
      .strictObject({
        failureThreshold: z.number().int().min(1).max(1000).default(5),
        cooldownMs: z.number().int().min(1000).max(3_600_000).default(30_000),
      })
      .default({ failureThreshold: 5, cooldownMs: 30_000 }),
    /** The buyer's time zone: cap windows reset at its local hour, midnight, Monday and 1st of the month. */
    timezone: z.string().refine(isTimeZone, 'an IANA time zone such as America/Chicago').default('America/New_York'),
    caps: z
      .array(channelCapSchema)
      .refine((caps) => new Set(caps.map((c) => c.period)).size === caps.length, 'one cap per period')
      .default([]),
    /** `even`: spread the daily count cap over the day instead of selling it all in the morning. */
    pacing: z.strictObject({ mode: z.enum(['even']) }).optional(),
    /**
     * Buyers that answer a post "pending" and confirm later: we put a callback URL in the post at
     * `callbackUrlField`; the buyer signs its callback with `secret` (HMAC-SHA256 hex of
     * `${timestamp}.${body}`); no callback within `timeoutSeconds` sends the lead to reconciliation.
     */
    asyncPost: z
      .strictObject({
        secret: z.string().min(16, 'at least 16 characters, shared with the buyer'),
        timeoutSeconds: z
          .number()
          .int()
          .min(5)
          .max(7 * 86_400)
          .default(300),
        callbackUrlField: z
          .string()
          .regex(/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/, 'a dot path such as callback_url')
          .default('callback_url'),
      })
      .optional(),
  })
  .refine((c) => c.ping !== null || c.fixedPrice !== undefined, {
    message: 'a post-only channel (ping: null) needs fixedPrice',
    path: ['fixedPrice'],
  })
  // A post mapping that drops the ping's buyer reference leaves the buyer unable to match post to bid.
  .refine((c) => !c.ping?.response.buyerRef || postCarriesBuyerRef(c.post), {
    message: "must map the ping's buyer reference (from: the post's buyerRefField)",
    path: ['post', 'mapping'],
  })
  .refine((c) => !c.post.response.pending || c.asyncPost !== undefined, {
    message: 'a post answer that can be pending needs asyncPost (callback secret and timeout)',
    path: ['asyncPost'],
  })
  .refine((c) => !c.pacing || c.caps.some((cap) => cap.period === 'day' && cap.count !== undefined), {
    message: 'pacing spreads the daily count cap: add a day cap with a count',
    path: ['pacing'],
  })
  // One time zone per buyer unless the schedule names its own: open hours and cap windows agree.
  .transform(({ schedule, ...c }) => ({
    ...c,
    ...(schedule && { schedule: { ...schedule, timezone: schedule.timezone ?? c.timezone } }),
  }));

export type ChannelConfig = z.infer<typeof channelConfigSchema>;
export type Channel = ChannelConfig & { id: string };
