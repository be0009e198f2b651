import { z } from 'zod';

/** The answer styles the simulator speaks; each mirrors a protocol seen in the market. */
export const STYLES = [
  'transaction-json',
  'bid-json',
  'auction-202',
  'xml-form',
  'rtb-expiry',
  'cents-flags',
  'text-pipe',
] as const;
export const styleSchema = z.enum(STYLES);
export type Style = z.infer<typeof styleSchema>;

/**
 * How the buyer behaves on the wire: `slow` adds 2 s, `hang` never answers, `error5xx` answers 503
 * with an HTML page, `garbage` answers 200 with a body that does not parse, `empty200` answers 200
 * with no body, `late` answers after `lateMs` (past any sane deadline), `bid_then_reject` pings
 * normally but rejects every post.
 */
export const SIM_MODES = ['normal', 'slow', 'hang', 'error5xx', 'garbage', 'empty200', 'late', 'bid_then_reject'] as const;
export const simModeSchema = z.enum(SIM_MODES);
export type SimMode = z.infer<typeof simModeSchema>;

export type CallKind = 'ping' | 'post';

/** Extra wait of the `late` mode when the buyer sets no `lateMs`. */
export const DEFAULT_LATE_MS = 5000;
/** Callbacks slower than this must say `late: true`, so a slow callback is always a deliberate choice. */
export const ON_TIME_CALLBACK_MAX_MS = 5000;
/** Post body field that carries the callback URL when the buyer names none. */
export const DEFAULT_CALLBACK_URL_FIELD = 'callback_url';

const rate = z.number().min(0).max(1);

function rangeOf(value: z.ZodNumber) {
  return z
    .strictObject({ min: value, max: value })
    .refine((r) => r.min <= r.max, { message: 'max must be at least min', path: ['max'] });
}

export const simCallbackSchema = z
  .strictObject({
    /** Wait after the pending answer before calling back. */
    delayMs: z.number().int().min(0).max(600_000),
    /** Send the identical callback (same body, timestamp and signature) a second time. */
    duplicate: z.boolean().default(false),
    /** Allows a delay over ON_TIME_CALLBACK_MAX_MS: the outcome arrives after the platform stopped waiting. */
    late: z.boolean().default(false),
  })
  .refine((c) => c.late || c.delayMs <= ON_TIME_CALLBACK_MAX_MS, {
    message: `over ${ON_TIME_CALLBACK_MAX_MS} ms needs late: true`,
    path: ['delayMs'],
  });

export const simBuyerSchema = z
  .strictObject({
    /** Used as a URL path segment: /buyers/:key/ping. */
    key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, _ or -'),
    style: styleSchema,
    /** Bids are drawn uniformly in [min, max] and rounded to cents. */
    bid: rangeOf(z.number().positive().max(100_000)),
    pingRejectRate: rate.default(0),
    postRejectRate: rate.default(0),
    latencyMs: rangeOf(z.number().min(0).max(60_000)).default({ min: 0, max: 0 }),
    mode: simModeSchema.default('normal'),
    /**
     * Bid lifetime: a post quoting the bid later is refused with "bid expired". `rtb-expiry` says it
     * in its answer (default 30 s); other styles enforce it silently when set.
     */
    expireInSeconds: z.number().positive().max(86_400).optional(),
    /** Extra wait of the `late` mode (default DEFAULT_LATE_MS). */
    lateMs: z.number().int().min(1000).max(600_000).optional(),
    /** Posts answer "pending" and the outcome is POSTed later to the URL in the post body. */
    callback: simCallbackSchema.optional(),
    /** HMAC-SHA256 key for callbacks; required with `callback`. */
    callbackSecret: z.string().min(1).max(500).optional(),
    /** Dot path of the callback URL in the post body (default DEFAULT_CALLBACK_URL_FIELD). */
    callbackUrlField: z.string().min(1).max(200).optional(),
  })
  .refine((b) => !b.callback || b.callbackSecret !== undefined, {
    message: 'required when callback is set',
    path: ['callbackSecret'],
  });

export type SimBuyer = z.infer<typeof simBuyerSchema>;
export type SimCallback = z.infer<typeof simCallbackSchema>;
/** What callers may pass: rates, latency and mode have defaults. */
export type SimBuyerInput = z.input<typeof simBuyerSchema>;
