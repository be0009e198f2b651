import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import {
  leadEventId,
  PingtreeError,
  postReconcileV1,
  UNKNOWN_POST_STATES,
  type ReplyOf,
  type RequestOf,
} from '@pingtree/contracts';
import { recordBuyerSale } from '@pingtree/db';
import { HandleRequest, LeadEventPublisher } from '@pingtree/messaging';
import { DataSource } from 'typeorm';
import { CapSettlement } from './cap-settlement';

/**
 * Settles a post whose answer the platform never got, as an operator learned it from the buyer.
 * Applied once: a repeat finds the post already settled the same way. The cap room and the buyer's
 * sale follow the outcome, as they do for a buyer's callback.
 */
@Injectable()
export class PostReconcileHandler {
  constructor(
    private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    private readonly caps: CapSettlement,
    private readonly events: LeadEventPublisher,
  ) {}

  @HandleRequest(postReconcileV1, { minBudgetMs: 20 })
  async reconcile(req: RequestOf<typeof postReconcileV1>): Promise<ReplyOf<typeof postReconcileV1>> {
    const { leadId, channelId, outcome } = req;
    const [attempt] = (await this.ds.query(`SELECT tier_index, state FROM post_attempts WHERE lead_id = $1 AND channel_id = $2`, [
      leadId,
      channelId,
    ])) as Array<{ tier_index: number; state: string }>;
    if (!attempt) throw new PingtreeError('NOT_FOUND', 'this lead was never posted to that channel');
    const reason = outcome === 'rejected' ? (req.reason ?? 'rejected, as reconciled with the buyer') : req.reason;
    const [settled] = (await this.ds.query(
      `UPDATE post_attempts SET state = $3, reason = $4, answered_at = now()
       WHERE lead_id = $1 AND channel_id = $2 AND state = ANY($5::text[]) RETURNING 1`,
      [leadId, channelId, outcome, reason, UNKNOWN_POST_STATES],
    )) as [unknown[], number];
    const base = { leadId, channelId, outcome, previous: attempt.state };
    if (settled.length === 0) {
      if (attempt.state === outcome) return { ...base, duplicate: true };
      throw new PingtreeError('CONFLICT', `this post's answer is known: ${attempt.state}`);
    }
    await this.caps.afterLateAnswer(leadId, channelId, outcome);
    if (outcome === 'accepted') await recordBuyerSale(this.ds, leadId, this.catalog.current.channel(channelId)?.buyerId);
    this.events.emit({
      id: leadEventId(leadId, 'posted', channelId, 'reconciled'),
      leadId,
      type: 'posted',
      service: 'post',
      at: Date.now(),
      tierIndex: attempt.tier_index,
      channelId,
      data: { outcome, reason: reason ?? null, via: 'reconciliation', previous: attempt.state, author: req.author },
    });
    return { ...base, duplicate: false };
  }
}
