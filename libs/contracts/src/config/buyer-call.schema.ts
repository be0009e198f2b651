import { z } from 'zod';

/**
 * How to call a buyer (ping or post) and how to read its answer: configuration, not code.
 * Paths are dot paths (`data.bid.price`, `reply.code`) into the parsed JSON or XML answer.
 */
export const fieldMappingSchema = z.strictObject({
  /** Dot path in the outgoing body, e.g. `lead.zip_code`. */
  to: z.string().min(1).max(200),
  /** Dot path in the canonical payload (ping lead or full lead); omit with `value`. */
  from: z.string().min(1).max(200).optional(),
  /** A constant. */
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

export const acceptRuleSchema = z.strictObject({
  path: z.string().min(1),
  /** Answer values (compared as lower-case strings) that mean accept, e.g. ["true", "1", "accepted", "bid"]. */
  values: z.array(z.string()).min(1),
});

export const responseRulesSchema = z.strictObject({
  format: z.enum(['json', 'xml']).default('json'),
  accept: acceptRuleSchema,
  price: z.strictObject({ path: z.string().min(1), unit: z.enum(['dollars', 'cents']).default('dollars') }).optional(),
  buyerRef: z.strictObject({ path: z.string().min(1) }).optional(),
  reason: z.strictObject({ paths: z.array(z.string().min(1)).min(1) }).optional(),
  redirectUrl: z.strictObject({ path: z.string().min(1) }).optional(),
  expiresInSeconds: z.strictObject({ path: z.string().min(1) }).optional(),
  /** HTTP status → meaning, for buyers that signal through status codes (e.g. 202 = quota reached). */
  statusMap: z.record(z.string().regex(/^\d{3}$/), z.enum(['reject', 'error'])).default({}),
});

export const buyerCallSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
  format: z.enum(['json', 'form', 'xml']).default('json'),
  /** Root element name for XML bodies. */
  xmlRoot: z
    .string()
    .regex(/^[A-Za-z_][\w.-]*$/)
    .default('lead'),
  headers: z.record(z.string(), z.string()).default({}),
  /** Empty: send the canonical payload as it is. */
  mapping: z.array(fieldMappingSchema).default([]),
  /** Name of the body field that carries the ping's buyer reference in the post. */
  buyerRefField: z.string().min(1).default('buyer_ref'),
  response: responseRulesSchema,
});

export type FieldMapping = z.infer<typeof fieldMappingSchema>;
export type ResponseRules = z.infer<typeof responseRulesSchema>;
export type BuyerCall = z.infer<typeof buyerCallSchema>;
