import { Injectable } from '@nestjs/common';
import type { Candidate } from '@pingtree/contracts';
import { LeadOfferEntity } from '@pingtree/db';
import { DataSource } from 'typeorm';

export interface StoredOffer {
  offerId: string;
  channelId: string;
  tierIndex: number;
  candidate: Candidate;
  buyerName: string;
  expiresAt: Date;
  pickedAt: Date | null;
}

/** Choice-tier offers: stored so any gateway replica can take the consumer's pick. */
@Injectable()
export class LeadOfferRepository {
  constructor(private readonly ds: DataSource) {}

  async save(
    leadId: string,
    tierIndex: number,
    offers: Array<{ candidate: Candidate; buyerName: string; expiresAt: Date }>,
  ): Promise<StoredOffer[]> {
    const rows = await this.ds.getRepository(LeadOfferEntity).save(
      offers.map(({ candidate, buyerName, expiresAt }) => ({
        leadId,
        channelId: candidate.channelId,
        tierIndex,
        price: String(candidate.price),
        effectiveBid: String(candidate.effectiveBid),
        payout: String(candidate.payout),
        buyerRef: candidate.buyerRef,
        buyerName,
        rank: candidate.rank,
        expiresAt,
        pickedAt: null,
      })),
    );
    return rows.map(toStoredOffer);
  }

  async forLead(leadId: string): Promise<StoredOffer[]> {
    const rows = await this.ds.getRepository(LeadOfferEntity).find({ where: { leadId }, order: { rank: 'ASC' } });
    return rows.map(toStoredOffer);
  }

  async markPicked(offerIds: string[]): Promise<void> {
    await this.ds.query(`UPDATE lead_offers SET picked_at = now() WHERE id = ANY($1::uuid[])`, [offerIds]);
  }
}

function toStoredOffer(row: LeadOfferEntity): StoredOffer {
  return {
    offerId: row.id,
    channelId: row.channelId,
    tierIndex: row.tierIndex,
    buyerName: row.buyerName,
    expiresAt: row.expiresAt,
    pickedAt: row.pickedAt,
    candidate: {
      channelId: row.channelId,
      price: Number(row.price),
      effectiveBid: Number(row.effectiveBid),
      payout: Number(row.payout),
      buyerRef: row.buyerRef,
      expiresAt: row.expiresAt.getTime(),
      rank: row.rank,
      rule: 'choice: picked by the consumer',
    },
  };
}
