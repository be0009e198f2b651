import { Injectable } from '@nestjs/common';
import type { Candidate, Consent, Contact, PingLead, PostOutcome } from '@pingtree/contracts';
import { cipherFromEnv, openLeadField } from '@pingtree/crypto';
import { buyerSaleInsertSql } from '@pingtree/db';
import { DataSource } from 'typeorm';

/** What a post needs of a lead: the ping view plus the decrypted contact data and consent. */
export interface PostableLead {
  id: string;
  pingLead: PingLead;
  contact: Contact;
  consent: Consent;
}

/** Post attempts are written before sending, so a crash leaves an `attempted` row to reconcile. */
@Injectable()
export class PostAttemptRepository {
  constructor(private readonly ds: DataSource) {}

  /** The lead with its contact data and consent evidence decrypted, for the buyer who bought it. */
  async findLead(leadId: string): Promise<PostableLead | null> {
    const [row] = (await this.ds.query(`SELECT ping_lead, contact, consent FROM leads WHERE id = $1`, [leadId])) as Array<{
      ping_lead: PingLead;
      contact: unknown;
      consent: unknown;
    }>;
    if (!row) return null;
    const cipher = cipherFromEnv();
    return {
      id: leadId,
      pingLead: row.ping_lead,
      contact: openLeadField<Contact>(cipher, leadId, 'contact', row.contact),
      consent: openLeadField<Consent>(cipher, leadId, 'consent', row.consent),
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

  /**
   * Records the buyer's answer. An accepted post also records the buyer's sale of this consumer
   * (per-buyer dedupe) in the same statement, so a sale never lacks it.
   */
  async recordAnswer(
    leadId: string,
    channelId: string,
    answer: { outcome: PostOutcome; reason: string | null; redirectUrl: string | null; httpStatus: number | null },
    pending: { ref: string | null; timeoutSeconds: number } | null = null,
    buyerId: string | null = null,
  ): Promise<void> {
    // A pending answer is not the final one: answered_at waits for the buyer's callback.
    await this.ds.query(
      `WITH answered AS (
         UPDATE post_attempts SET state = $3, reason = $4, redirect_url = $5, http_status = $6,
           answered_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END,
           callback_ref = $7, callback_deadline = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $8) END
         WHERE lead_id = $1 AND channel_id = $2 RETURNING 1
       ), sale AS (${buyerSaleInsertSql('$1', '$9')} RETURNING 1)
       SELECT (SELECT count(*) FROM answered)::int AS answered`,
      [
        leadId,
        channelId,
        answer.outcome,
        answer.reason,
        answer.redirectUrl,
        answer.httpStatus,
        pending?.ref ?? null,
        pending?.timeoutSeconds ?? 0,
        answer.outcome === 'accepted' ? buyerId : null,
      ],
    );
  }
}
