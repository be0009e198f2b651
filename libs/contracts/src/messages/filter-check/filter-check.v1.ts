import { z } from 'zod';
import { pingLeadSchema } from '../../lead/ping-lead.schema';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';

/**
 * Why a channel may not see a lead. `filter_rule` is the channel's own rule; `campaign_rule` and
 * `supplier_rule` fail the lead for every channel; `suppressed` is a suppression list (global and
 * campaign lists exclude every channel, buyer lists that buyer's); `buyer_dedupe` means the buyer
 * bought this consumer within the campaign's `buyerDedupeDays`.
 */
export const EXCLUSION_REASONS = [
  'channel_disabled',
  'buyer_disabled',
  'filter_rule',
  'not_in_tree',
  'campaign_rule',
  'supplier_rule',
  'schedule',
  'suppressed',
  'buyer_dedupe',
] as const;

export const exclusionSchema = z.strictObject({
  channelId: z.uuid(),
  reason: z.enum(EXCLUSION_REASONS),
  detail: z.string(),
  /** For rule reasons, the failing rule's path: `filters.1.rules.0`, `campaign.filters.0`, `supplier.filters.2`. */
  rule: z.string().optional(),
});

/** Filter eligibility and claim the lead's dedupe keys in one step. */
export const filterCheckV1 = defineEndpoint({
  subject: SUBJECTS.filterCheck,
  service: 'filter',
  request: z.strictObject({
    lead: pingLeadSchema,
    campaignId: z.uuid(),
    /** The lead's supplier, for supplier rules (optional for callers from before it was sent). */
    supplierId: z.uuid().optional(),
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
