import { Injectable } from '@nestjs/common';
import { PingtreeError, type LeadDecision } from '@pingtree/contracts';
import { z } from 'zod';
import { fieldIssues } from '@pingtree/messaging';
import { LeadJourney } from './lead-journey.service';
import { LeadOfferRepository } from './lead-offer.repository';
import { LeadRepository } from './lead.repository';

export const choiceBodySchema = z.strictObject({
  offerIds: z
    .array(z.uuid('must be an offer id from the lead response'))
    .min(1, 'pick at least one offer')
    .refine((ids) => new Set(ids).size === ids.length, 'an offer is picked twice'),
});

/** The consumer's pick in a choice tier: only this lead's open offers, in the order given. */
@Injectable()
export class LeadChoice {
  constructor(
    private readonly leads: LeadRepository,
    private readonly offers: LeadOfferRepository,
    private readonly journey: LeadJourney,
  ) {}

  async pick(supplierId: string, leadId: string, body: unknown): Promise<LeadDecision> {
    const parsed = choiceBodySchema.safeParse(body);
    if (!parsed.success) throw new PingtreeError('VALIDATION_FAILED', 'invalid choice', fieldIssues(parsed.error));
    const lead = await this.leads.findById(leadId);
    if (!lead || lead.supplierId !== supplierId) throw new PingtreeError('NOT_FOUND', `lead ${leadId} not found`);
    if (lead.state !== 'offered') {
      throw new PingtreeError('CONFLICT', `lead is ${lead.state}; only an offered lead takes a choice`);
    }
    const open = await this.offers.forLead(leadId);
    const picked = parsed.data.offerIds.map((offerId, i) => {
      const offer = open.find((o) => o.offerId === offerId);
      if (!offer) {
        throw new PingtreeError('VALIDATION_FAILED', 'unknown offer', [
          { field: `offerIds.${i}`, message: 'not an offer of this lead' },
        ]);
      }
      return offer;
    });
    const now = Date.now();
    const expired = picked.filter((o) => o.expiresAt.getTime() <= now);
    if (expired.length > 0) {
      throw new PingtreeError('OFFER_EXPIRED', `offer ${expired.map((o) => o.offerId).join(', ')} expired; ask for new offers`);
    }
    return this.journey.resumeWithChoice({ leadId, receivedAt: now, campaignId: lead.campaignId }, picked);
  }
}
