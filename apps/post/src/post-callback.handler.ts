import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import {
  buyerCallbackBodySchema,
  leadEventId,
  PingtreeError,
  postCallbackV1,
  type ReplyOf,
  type RequestOf,
} from '@pingtree/contracts';
import { recordBuyerSale } from '@pingtree/db';
import { fieldIssues, HandleRequest, LeadEventPublisher } from '@pingtree/messaging';
import { DataSource } from 'typeorm';
import { validCallbackSignature } from './callback-signature';
import { CapSettlement } from './cap-settlement';

interface AttemptRow {
  lead_id: string;
  channel_id: string;
  tier_index: number;
  state: string;
  callback_ref: string | null;
  buyer_ref: string | null;
}

/**
 * Settles a post the buyer answered "pending", once its signed callback arrives. Applied exactly
 * once: retries and duplicates find the attempt already settled. A callback after the timeout is
 * still applied (the lead sits in reconciliation) and marked late.
 */
@Injectable()
export class PostCallbackHandler {
  constructor(
    private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    private readonly caps: CapSettlement,
    private readonly events: LeadEventPublisher,
  ) {}

  @HandleRequest(postCallbackV1, { minBudgetMs: 20 })
  async settle(req: RequestOf<typeof postCallbackV1>): Promise<ReplyOf<typeof postCallbackV1>> {
    const [attempt] = (await this.ds.query(
      `SELECT lead_id, channel_id, tier_index, state, callback_ref, buyer_ref FROM post_attempts WHERE id = $1`,
      [req.attemptId],
    )) as AttemptRow[];
    const channel = attempt ? this.catalog.current.channel(attempt.channel_id) : undefined;
    if (!attempt || !channel?.asyncPost) throw new PingtreeError('NOT_FOUND', 'no post awaits this callback');
    if (!validCallbackSignature(channel.asyncPost.secret, req.timestamp, req.body, req.signature)) {
      throw new PingtreeError('UNAUTHORIZED', 'callback signature or timestamp does not verify');
    }
    let json: unknown;
    try {
      json = JSON.parse(req.body);
    } catch {
      throw new PingtreeError('INVALID_REQUEST', 'callback body is not JSON');
    }
    const parsed = buyerCallbackBodySchema.safeParse(json);
    if (!parsed.success) throw new PingtreeError('VALIDATION_FAILED', 'invalid callback', fieldIssues(parsed.error));
    const { ref, status, reason } = parsed.data;
    const expectedRef = attempt.callback_ref ?? attempt.buyer_ref;
    if (expectedRef !== null && ref !== expectedRef) {
      throw new PingtreeError('VALIDATION_FAILED', 'callback ref does not match the post', [
        { field: 'ref', message: 'not the reference of this post' },
      ]);
    }
    const base = { leadId: attempt.lead_id, channelId: attempt.channel_id, outcome: status };
    const settled = (await this.ds.query(
      `UPDATE post_attempts SET state = $2, reason = $3, answered_at = now(), late = (state = 'callback_timeout')
       WHERE id = $1 AND state IN ('pending', 'callback_timeout') RETURNING late`,
      [req.attemptId, status, status === 'rejected' ? (reason ?? 'rejected after review') : null],
    )) as [Array<{ late: boolean }>, number];
    const row = settled[0]?.[0];
    if (!row) {
      if (attempt.state !== status) throw new PingtreeError('CONFLICT', `this post was already settled as ${attempt.state}`);
      return { ...base, late: false, duplicate: true };
    }
    await this.caps.afterLateAnswer(attempt.lead_id, attempt.channel_id, status);
    if (status === 'accepted') await recordBuyerSale(this.ds, attempt.lead_id, channel.buyerId);
    this.events.emit({
      id: leadEventId(attempt.lead_id, 'posted', attempt.channel_id, 'callback'),
      leadId: attempt.lead_id,
      type: 'posted',
      service: 'post',
      at: Date.now(),
      tierIndex: attempt.tier_index,
      channelId: attempt.channel_id,
      data: { outcome: status, reason: reason ?? null, via: 'callback', late: row.late },
    });
    return { ...base, late: row.late, duplicate: false };
  }
}
