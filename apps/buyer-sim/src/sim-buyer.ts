import { z } from 'zod';

/** The answer styles the simulator speaks; each mirrors a protocol seen in the market. */
export const STYLES = ['transaction-json', 'bid-json', 'auction-202', 'xml-form'] as const;
export const styleSchema = z.enum(STYLES);
export type Style = z.infer<typeof styleSchema>;

/**
 * How the buyer behaves on the wire: `slow` adds 2 s, `hang` never answers, `error5xx` answers 503
 * with an HTML page, `garbage` answers 200 with a body that does not parse.
 */
export const SIM_MODES = ['normal', 'slow', 'hang', 'error5xx', 'garbage'] as const;
export const simModeSchema = z.enum(SIM_MODES);
export type SimMode = z.infer<typeof simModeSchema>;

export type CallKind = 'ping' | 'post';

const rate = z.number().min(0).max(1);

function rangeOf(value: z.ZodNumber) {
  return z
    .strictObject({ min: value, max: value })
    .refine((r) => r.min <= r.max, { message: 'max must be at least min', path: ['max'] });
}

export const simBuyerSchema = z.strictObject({
  /** Used as a URL path segment: /buyers/:key/ping. */
  key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, _ or -'),
  style: styleSchema,
  /** Bids are drawn uniformly in [min, max] and rounded to cents. */
  bid: rangeOf(z.number().positive().max(100_000)),
  pingRejectRate: rate.default(0),
  postRejectRate: rate.default(0),
  latencyMs: rangeOf(z.number().min(0).max(60_000)).default({ min: 0, max: 0 }),
  mode: simModeSchema.default('normal'),
});

export type SimBuyer = z.infer<typeof simBuyerSchema>;
/** What callers may pass: rates, latency and mode have defaults. */
export type SimBuyerInput = z.input<typeof simBuyerSchema>;
