import { z } from 'zod';
import { verticalSchema } from './verticals';
import type { LeadInput } from './lead-input.schema';
import { ageOn } from './normalise';

/**
 * What a buyer may see before buying: no contact field exists in this schema, and it is strict,
 * so a contact value can't slip in under another name. Built only by toPingLead().
 */
export const pingLeadSchema = z.strictObject({
  leadId: z.uuid(),
  vertical: verticalSchema,
  state: z.string(),
  zip: z.string(),
  city: z.string().optional(),
  age: z.number().int().optional(),
  source: z.string().optional(),
  subId: z.string().optional(),
  consentGiven: z.boolean(),
  hasTrustedForm: z.boolean(),
  hasJornaya: z.boolean(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

export type PingLead = z.infer<typeof pingLeadSchema>;

export function toPingLead(
  leadId: string,
  vertical: PingLead['vertical'],
  input: LeadInput,
  fields: PingLead['fields'],
  receivedAt: Date,
): PingLead {
  return {
    leadId,
    vertical,
    state: input.geo.state,
    zip: input.geo.zip,
    ...(input.geo.city !== undefined && { city: input.geo.city }),
    ...(input.contact.dateOfBirth !== undefined && { age: ageOn(input.contact.dateOfBirth, receivedAt) }),
    ...(input.source !== undefined && { source: input.source }),
    ...(input.subId !== undefined && { subId: input.subId }),
    consentGiven: input.consent.given,
    hasTrustedForm: input.consent.trustedFormCertUrl !== undefined,
    hasJornaya: input.consent.jornayaLeadId !== undefined,
    fields,
  };
}
