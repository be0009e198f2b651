import { z } from 'zod';
import { ageOn, normaliseEmail, normalisePhoneE164, normaliseState, normaliseZip, zipInState } from './normalise';

/** Turns a normaliser into a zod transform that reports `message` when it returns null. */
function normalised(normalise: (raw: string) => string | null, message: string, max = 200) {
  return z
    .string()
    .max(max)
    .transform((raw, ctx) => {
      const value = normalise(raw);
      if (value === null) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return value;
    });
}

const isoDate = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });

/** Consent captured "now" on a clock a little ahead of ours is still fine; further ahead is a bad timestamp. */
export const CLOCK_SKEW_MS = 5 * 60_000;
export const MAX_AGE_YEARS = 120;

/** A birth date a person alive today can have: not in the future, not more than MAX_AGE_YEARS ago. */
const dateOfBirth = isoDate.refine(
  (dob) => {
    const now = new Date();
    return new Date(`${dob}T00:00:00Z`).getTime() <= now.getTime() && ageOn(dob, now) <= MAX_AGE_YEARS;
  },
  { message: `must be a past date, at most ${MAX_AGE_YEARS} years ago` },
);

/** Contact data: only the supplier who sent it and the buyer who bought it may see it. */
export const contactSchema = z.strictObject({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  email: normalised(normaliseEmail, 'must be a valid email address', 254),
  phone: normalised(normalisePhoneE164, 'must be a valid US phone number', 30),
  address: z.string().trim().min(1).max(200).optional(),
  dateOfBirth: dateOfBirth.optional(),
});

export const geoSchema = z
  .strictObject({
    state: normalised(normaliseState, 'must be a US state code such as CA', 20),
    zip: normalised(normaliseZip, 'must be a 5-digit ZIP code', 10),
    city: z.string().trim().min(1).max(100).optional(),
  })
  .superRefine((geo, ctx) => {
    if (!zipInState(geo.zip, geo.state)) {
      ctx.addIssue({ code: 'custom', path: ['zip'], message: `ZIP code ${geo.zip} is not in ${geo.state}` });
    }
  });

/** TCPA consent evidence: travels with the post, never with a ping (pings get flags only). */
export const consentSchema = z.strictObject({
  given: z.boolean(),
  text: z.string().max(5000).optional(),
  timestamp: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
    .refine((at) => Date.parse(at) <= Date.now() + CLOCK_SKEW_MS, { message: 'must not be in the future' })
    .optional(),
  pageUrl: z.url().max(2000).optional(),
  trustedFormCertUrl: z.url().max(2000).optional(),
  jornayaLeadId: z.string().max(100).optional(),
});

/** The body a partner sends to `POST /v1/leads`. Vertical fields are checked against the campaign's vertical. */
export const leadInputSchema = z.strictObject({
  campaign: z.string().min(1).max(100),
  supplierLeadId: z.string().min(1).max(200).optional(),
  source: z.string().max(100).optional(),
  subId: z.string().max(100).optional(),
  contact: contactSchema,
  geo: geoSchema,
  consent: consentSchema,
  fields: z.record(z.string(), z.unknown()).default({}),
});

export type LeadInput = z.infer<typeof leadInputSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type Consent = z.infer<typeof consentSchema>;
