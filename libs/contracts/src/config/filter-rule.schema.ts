import { z } from 'zod';

/** A field rule, evaluated against the ping lead (never contact data). */
export const fieldRuleSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('equals'), field: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.strictObject({ op: z.literal('in'), field: z.string(), values: z.array(z.union([z.string(), z.number()])).min(1) }),
  z.strictObject({ op: z.literal('not_in'), field: z.string(), values: z.array(z.union([z.string(), z.number()])).min(1) }),
  z.strictObject({ op: z.literal('range'), field: z.string(), min: z.number().optional(), max: z.number().optional() }),
  z.strictObject({ op: z.literal('exists'), field: z.string() }),
]);
export type FieldRule = z.infer<typeof fieldRuleSchema>;
