import { Injectable } from '@nestjs/common';
import type { Candidate, PostOutcome } from '@pingtree/contracts';
import { cipherFromEnv, openLeadField } from '@pingtree/crypto';
import { LeadEntity } from '@pingtree/db';
import { DataSource } from 'typeorm';

/** Post attempts are written before sending, so a crash leaves an `attempted` row to reconcile. */
@Injectable()
export class PostAttemptRepository {
  constructor(private readonly ds: DataSource) {}

  /** The lead with its contact data and consent evidence decrypted, for the buyer who bought it. */
  async findLead(leadId: string): Promise<LeadEntity | null> {
    const lead = await this.ds.getRepository(LeadEntity).findOneBy({ id: leadId });
    if (!lead) return null;
    const cipher = cipherFromEnv();
    return {
      ...lead,
      contact: openLeadField(cipher, lead.id, 'contact', lead.contact),
      consent: openLeadField(cipher, lead.id, 'consent', lead.consent),
    };
  }

  /** The attempt's id, or null when this lead was already posted to this channel: a post is never sent twice. */
  async recordAttempt(leadId: string, tierIndex: number, candidate: Candidate): Promise<string | null> {
    const rows = (await this.ds.query(
      `INSERT INTO post_attempts (lead_id, channel_id, tier_index, state, price, payout, buyer_ref, attempted_at)
       VALUES ($1, $2, $3, 'attempted', $4, $5, $6, now())
       ON CONFLICT (lead_id, channel_id) DO NOTHING RETURNING id::text AS id`,
      [leadId, candidate.channelId, tierIndex, candidate.price, candidate.payout, candidate.buyerRef],
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  async recordAnswer(
    leadId: string,
    channelId: string,
    answer: { outcome: PostOutcome; reason: string | null; redirectUrl: string | null; httpStatus: number | null },
    pending: { ref: string | null; timeoutSeconds: number } | null = null,
  ): Promise<void> {
    // A pending answer is not the final one: answered_at waits for the buyer's callback.
    await this.ds.query(
      `UPDATE post_attempts SET state = $3, reason = $4, redirect_url = $5, http_status = $6,
         answered_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END,
         callback_ref = $7, callback_deadline = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $8) END
       WHERE lead_id = $1 AND channel_id = $2`,
      [
        leadId,
        channelId,
        answer.outcome,
        answer.reason,
        answer.redirectUrl,
        answer.httpStatus,
        pending?.ref ?? null,
        pending?.timeoutSeconds ?? 0,
      ],
    );
  }
}
