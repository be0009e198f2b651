import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { BuyerHttpClient, buildRequest, readAnswer } from '@pingtree/buyer-protocol';
import {
  leadEventId,
  PingtreeError,
  postDeliverV1,
  type Candidate,
  type PostAttempt,
  type ReplyOf,
  type RequestOf,
} from '@pingtree/contracts';
import { recordBuyerSale, type LeadEntity } from '@pingtree/db';
import { HandleRequest, LeadEventPublisher, RequestContext } from '@pingtree/messaging';
import { CapSettlement } from './cap-settlement';
import { PostAttemptRepository } from './post-attempt.repository';
import { postPayload } from './post-payload';
import { DataSource } from 'typeorm';

const MIN_POST_BUDGET_MS = 20;
const EXCERPT_CHARS = 300;

/** Posts the full lead to candidates in rank order until maxSales accept or time runs out. */
@Injectable()
export class PostDeliverHandler implements OnApplicationShutdown {
  private readonly http = new BuyerHttpClient();

  constructor(
    private readonly catalog: CatalogService,
    private readonly attempts: PostAttemptRepository,
    private readonly events: LeadEventPublisher,
    private readonly caps: CapSettlement,
    private readonly ds: DataSource,
  ) {}

  @HandleRequest(postDeliverV1, { minBudgetMs: MIN_POST_BUDGET_MS })
  async deliver(req: RequestOf<typeof postDeliverV1>, ctx: RequestContext): Promise<ReplyOf<typeof postDeliverV1>> {
    const lead = await this.attempts.findLead(req.leadId);
    if (!lead) throw new PingtreeError('NOT_FOUND', `lead ${req.leadId} not found`);
    const results: PostAttempt[] = [];
    let sales = 0;
    try {
      for (const candidate of req.candidates) {
        if (sales >= req.maxSales) break;
        const attempt = await this.postTo(lead, candidate, req.tierIndex, ctx);
        results.push(attempt);
        if (attempt.outcome === 'accepted') sales++;
        // Per-buyer dedupe: remember that this buyer bought this consumer.
        if (attempt.outcome === 'accepted')
          await recordBuyerSale(this.ds, lead.id, this.catalog.current.channel(attempt.channelId)?.buyerId);
        // Commit the cap room on a sale, give it back on anything else.
        await this.caps.afterPost(lead.id, attempt);
      }
    } finally {
      const posted = new Set(results.map((a) => a.channelId));
      await this.caps.releaseUnposted(
        lead.id,
        req.candidates.map((c) => c.channelId).filter((id) => !posted.has(id)),
      );
    }
    return { attempts: results };
  }

  private async postTo(lead: LeadEntity, candidate: Candidate, tierIndex: number, ctx: RequestContext): Promise<PostAttempt> {
    const channel = this.catalog.current.channel(candidate.channelId);
    const base = {
      channelId: candidate.channelId,
      price: candidate.price,
      payout: candidate.payout,
      reason: null,
      redirectUrl: null,
      httpStatus: null,
      ms: 0,
    };
    if (!channel) return this.finish(lead.id, tierIndex, { ...base, outcome: 'error', reason: 'channel no longer exists' }, '');
    if (candidate.expiresAt !== null && Date.now() >= candidate.expiresAt) {
      return this.finish(lead.id, tierIndex, { ...base, outcome: 'expired_bid', reason: 'bid expired before the post' }, '');
    }
    // Keep a few ms to answer our caller before its deadline.
    const budget = Math.min(channel.postTimeoutMs, ctx.remainingMs() - 5);
    if (budget < MIN_POST_BUDGET_MS) {
      return this.finish(
        lead.id,
        tierIndex,
        { ...base, outcome: 'skipped_no_time', reason: `${Math.max(0, budget)} ms left` },
        '',
      );
    }
    if (!(await this.attempts.recordAttempt(lead.id, tierIndex, candidate))) {
      return { ...base, outcome: 'error', reason: 'already posted to this channel' };
    }
    this.events.emit({
      id: leadEventId(lead.id, 'post_attempted', channel.id),
      leadId: lead.id,
      type: 'post_attempted',
      service: 'post',
      at: Date.now(),
      tierIndex,
      channelId: channel.id,
      data: { price: candidate.price, buyerRef: candidate.buyerRef },
    });
    const res = await this.http.send(
      buildRequest(channel.post, postPayload(lead, candidate, channel.post.buyerRefField)),
      budget,
    );
    const ms = Math.round(res.ms * 100) / 100;
    if (res.kind !== 'answered') {
      const outcome = res.kind === 'timeout' ? 'timeout' : 'error';
      return this.finish(lead.id, tierIndex, { ...base, outcome, reason: res.error, ms }, '', true);
    }
    const answer = readAnswer(channel.post.response, res.status!, res.body);
    // Until post attempts record `pending` (the callback work), an async answer ends the waterfall like a sale.
    const outcome = answer.verdict === 'accepted' || answer.verdict === 'pending' ? 'accepted' : answer.verdict;
    return this.finish(
      lead.id,
      tierIndex,
      { ...base, outcome, reason: answer.reason, redirectUrl: answer.redirectUrl, httpStatus: res.status, ms },
      res.body.slice(0, EXCERPT_CHARS),
      true,
    );
  }

  private async finish(
    leadId: string,
    tierIndex: number,
    attempt: PostAttempt,
    answer: string,
    recorded = false,
  ): Promise<PostAttempt> {
    if (recorded) await this.attempts.recordAnswer(leadId, attempt.channelId, attempt);
    this.events.emit({
      id: leadEventId(leadId, 'posted', attempt.channelId),
      leadId,
      type: 'posted',
      service: 'post',
      at: Date.now(),
      tierIndex,
      channelId: attempt.channelId,
      data: { ...attempt, answer },
    });
    return attempt;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}
