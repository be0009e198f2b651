import { z } from 'zod';
import { pingLeadSchema } from '../../lead/ping-lead.schema';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';

export const EXCLUSION_REASONS = ['channel_disabled', 'buyer_disabled', 'filter_rule', 'not_in_tree'] as const;

export const exclusionSchema = z.strictObject({
  channelId: z.uuid(),
  reason: z.enum(EXCLUSION_REASONS),
  detail: z.string(),
});

/** Filter eligibility and claim the lead's dedupe keys in one step. */
export const filterCheckV1 = defineEndpoint({
  subject: SUBJECTS.filterCheck,
  service: 'filter',
  request: z.strictObject({
    lead: pingLeadSchema,
    campaignId: z.uuid(),
    /** sha256 hex of normalised identifiers; computed by the gateway, which alone sees contact data. */
    dedupeKeys: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1),
    dedupeWindowHours: z.number().min(0),
    channelIds: z.array(z.uuid()),
  }),
  reply: z.strictObject({
    duplicateOf: z.uuid().nullable(),
    eligibleChannelIds: z.array(z.uuid()),
    excluded: z.array(exclusionSchema),
  }),
});

export type Exclusion = z.infer<typeof exclusionSchema>;
