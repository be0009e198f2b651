import { Injectable } from '@nestjs/common';
import type { Candidate, PostOutcome } from '@pingtree/contracts';
import { LeadEntity } from '@pingtree/db';
import { DataSource } from 'typeorm';

/** Post attempts are written before sending, so a crash leaves an `attempted` row to reconcile. */
@Injectable()
export class PostAttemptRepository {
  constructor(private readonly ds: DataSource) {}

  findLead(leadId: string): Promise<LeadEntity | null> {
    return this.ds.getRepository(LeadEntity).findOneBy({ id: leadId });
  }

  /** False when this lead was already posted to this channel: a post is never sent twice. */
  async recordAttempt(leadId: string, tierIndex: number, candidate: Candidate): Promise<boolean> {
    const rows = (await this.ds.query(
      `INSERT INTO post_attempts (lead_id, channel_id, tier_index, state, price, payout, buyer_ref, attempted_at)
       VALUES ($1, $2, $3, 'attempted', $4, $5, $6, now())
       ON CONFLICT (lead_id, channel_id) DO NOTHING RETURNING id`,
      [leadId, candidate.channelId, tierIndex, candidate.price, candidate.payout, candidate.buyerRef],
    )) as unknown[];
    return rows.length === 1;
  }

  async recordAnswer(
    leadId: string,
    channelId: string,
    answer: { outcome: PostOutcome; reason: string | null; redirectUrl: string | null; httpStatus: number | null },
  ): Promise<void> {
    await this.ds.query(
      `UPDATE post_attempts SET state = $3, reason = $4, redirect_url = $5, http_status = $6, answered_at = now()
       WHERE lead_id = $1 AND channel_id = $2`,
      [leadId, channelId, answer.outcome, answer.reason, answer.redirectUrl, answer.httpStatus],
    );
  }
}
