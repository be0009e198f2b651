import { Injectable } from '@nestjs/common';
import { PingtreeError, type Candidate, type Consent, type Contact, type PingLead, type PostOutcome } from '@pingtree/contracts';
import { cipherFromEnv, openLeadField } from '@pingtree/crypto';
import { buyerSaleInsertSql, preparedStatement, runPrepared } from '@pingtree/db';
import { DataSource } from 'typeorm';

/** What a post sends of a lead: the ping view plus the decrypted contact data and consent. */
export interface PostableLead {
  id: string;
  pingLead: PingLead;
  contact: Contact;
  consent: Consent;
}

/** PostgreSQL's code for a missing referenced row: here, a lead that does not exist. */
const FOREIGN_KEY_VIOLATION = '23503';

const INSERT_ATTEMPT = `INSERT INTO post_attempts (lead_id, channel_id, tier_index, state, price, payout, buyer_ref, attempted_at)
   VALUES ($1, $2, $3, 'attempted', $4, $5, $6, now())
   ON CONFLICT (lead_id, channel_id) DO NOTHING RETURNING id::text AS id`;
const RECORD_ATTEMPT = preparedStatement('post_record_attempt', INSERT_ATTEMPT);
const RECORD_ATTEMPT_READ_LEAD = preparedStatement(
  'post_record_attempt_read_lead',
  `WITH attempt AS (${INSERT_ATTEMPT})
   SELECT (SELECT id FROM attempt) AS id, ping_lead, contact, consent FROM leads WHERE id = $1`,
);
const RECORD_ANSWER = preparedStatement(
  'post_record_answer',
  `WITH answered AS (
     UPDATE post_attempts SET state = $3, reason = $4, redirect_url = $5, http_status = $6,
       answered_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END,
       callback_ref = $7, callback_deadline = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $8) END
     WHERE lead_id = $1 AND channel_id = $2 RETURNING 1
   ), sale AS (${buyerSaleInsertSql('$1', '$9')} RETURNING 1)
   SELECT (SELECT count(*) FROM answered)::int AS answered`,
);

/** Post attempts are written before sending, so a crash leaves an `attempted` row to reconcile. */
@Injectable()
export class PostAttemptRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Records the attempt before the post is sent; `attemptId` is null when this lead was already
   * posted to this channel (a post is never sent twice). With `withLead`, the same statement reads
   * the lead with its contact data and consent decrypted, for the buyer who bought it.
   */
  async recordAttempt(
    leadId: string,
    tierIndex: number,
    candidate: Candidate,
    withLead: boolean,
  ): Promise<{ attemptId: string | null; lead: PostableLead | null }> {
    const rows = await runPrepared<{ id: string | null; ping_lead?: PingLead; contact?: unknown; consent?: unknown }>(
      this.ds,
      withLead ? RECORD_ATTEMPT_READ_LEAD : RECORD_ATTEMPT,
      [leadId, candidate.channelId, tierIndex, candidate.price, candidate.payout, candidate.buyerRef],
    ).catch((error: unknown) => {
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION)
        throw new PingtreeError('NOT_FOUND', `lead ${leadId} not found`);
      throw error;
    });
    const row = rows[0];
    if (!withLead || !row) return { attemptId: row?.id ?? null, lead: null };
    const cipher = cipherFromEnv();
    return {
      attemptId: row.id,
      lead: {
        id: leadId,
        pingLead: row.ping_lead!,
        contact: openLeadField<Contact>(cipher, leadId, 'contact', row.contact),
        consent: openLeadField<Consent>(cipher, leadId, 'consent', row.consent),
      },
    };
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
    await runPrepared(this.ds, RECORD_ANSWER, [
      leadId,
      channelId,
      answer.outcome,
      answer.reason,
      answer.redirectUrl,
      answer.httpStatus,
      pending?.ref ?? null,
      pending?.timeoutSeconds ?? 0,
      answer.outcome === 'accepted' ? buyerId : null,
    ]);
  }
}
