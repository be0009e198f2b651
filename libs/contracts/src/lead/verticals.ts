import { z } from 'zod';

/** Vertical-specific fields. None of these may be contact data: they travel in pings. */
/** Partners send `Good` or ` good `: normalised to the lower-case value before checking. */
const creditRating = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.enum(['excellent', 'good', 'fair', 'poor']),
);

export const VERTICAL_FIELDS = {
  auto_insurance: z.strictObject({
    insured: z.boolean(),
    vehicleYear: z.number().int().min(1950).max(2100),
    vehicleMake: z.string().trim().min(1).max(40).optional(),
    creditRating: creditRating.optional(),
  }),
  personal_loan: z.strictObject({
    loanAmount: z.number().int().min(100).max(1_000_000),
    creditRating,
    employed: z.boolean().optional(),
  }),
  solar: z.strictObject({
    homeowner: z.boolean(),
    monthlyElectricBill: z.number().min(0).max(100_000),
    roofShade: z.enum(['none', 'some', 'heavy']).optional(),
  }),
} as const;

export type Vertical = keyof typeof VERTICAL_FIELDS;
export const VERTICALS = Object.keys(VERTICAL_FIELDS) as [Vertical, ...Vertical[]];
export const verticalSchema = z.enum(VERTICALS);
export type VerticalFields = Record<string, string | number | boolean>;
