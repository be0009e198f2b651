import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { answerExcerpt, BuyerHttpClient, buildRequest, readAnswer } from '@pingtree/buyer-protocol';
import {
  leadEventId,
  type LeadEvent,
  postDeliverV1,
  type Candidate,
  type PostAttempt,
  type ReplyOf,
  type RequestOf,
} from '@pingtree/contracts';
import { HandleRequest, LeadEventPublisher, RequestContext } from '@pingtree/messaging';
import { CapSettlement } from './cap-settlement';
import { PostAttemptRepository, type PostableLead } from './post-attempt.repository';
import { postPayload } from './post-payload';
import { PUBLIC_URL } from './public-url';

const MIN_POST_BUDGET_MS = 20;
const MIN_USEFUL_POST_MS = 200;
const EXCERPT_CHARS = 300;

/** The lead a delivery posts: its data is read once, with the first attempt. */
interface DeliveredLead {
  id: string;
  data: PostableLead | null;
}

/** Posts the full lead to candidates in rank order until maxSales accept or time runs out. */
@Injectable()
export class PostDeliverHandler implements OnApplicationShutdown {
  private readonly http = new BuyerHttpClient();

  constructor(
    private readonly catalog: CatalogService,
    private readonly attempts: PostAttemptRepository,
    private readonly events: LeadEventPublisher,
    private readonly caps: CapSettlement,
    @Inject(PUBLIC_URL) private readonly publicUrl: string,
  ) {}

  @HandleRequest(postDeliverV1, { minBudgetMs: MIN_POST_BUDGET_MS })
  async deliver(req: RequestOf<typeof postDeliverV1>, ctx: RequestContext): Promise<ReplyOf<typeof postDeliverV1>> {
    // Read with the first post attempt, in the same statement.
    const lead: DeliveredLead = { id: req.leadId, data: null };
    const results: PostAttempt[] = [];
    // The delivery's events go out as one message when it ends. A crash before that loses them, but
    // post_attempts holds every post: the gateway's settleFromPosts and audit's trail repair restore them.
    const trail: LeadEvent[] = [];
    let sales = 0;
    try {
      for (const candidate of req.candidates) {
        if (sales >= req.maxSales) break;
        const attempt = await this.postTo(lead, candidate, req.tierIndex, ctx, trail);
        results.push(attempt);
        // A pending post, or one that timed out (the buyer may have bought), holds the lead like a
        // sale: posting it to the next buyer could sell it twice.
        if (attempt.outcome === 'accepted' || attempt.outcome === 'pending' || attempt.outcome === 'timeout') sales++;
        // Commit the cap room on a sale, give it back on anything else.
        await this.caps.afterPost(lead.id, attempt);
      }
    } finally {
      this.events.emitAll(trail);
      const posted = new Set(results.map((a) => a.channelId));
      await this.caps.releaseUnposted(
        lead.id,
        req.candidates.map((c) => c.channelId).filter((id) => !posted.has(id)),
      );
    }
    return { attempts: results };
  }

  private async postTo(
    lead: DeliveredLead,
    candidate: Candidate,
    tierIndex: number,
    ctx: RequestContext,
    trail: LeadEvent[],
  ): Promise<PostAttempt> {
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
    if (!channel)
      return this.finish(trail, lead.id, tierIndex, { ...base, outcome: 'error', reason: 'channel no longer exists' }, '');
    if (candidate.expiresAt !== null && Date.now() >= candidate.expiresAt) {
      return this.finish(
        trail,
        lead.id,
        tierIndex,
        { ...base, outcome: 'expired_bid', reason: 'bid expired before the post' },
        '',
      );
    }
    // Keep a few ms to answer our caller before its deadline.
    const budget = Math.min(channel.postTimeoutMs, ctx.remainingMs() - 5);
    // A post sent with too little time is likely to time out with its outcome unknown: don't start it.
    if (budget < Math.min(channel.postTimeoutMs, MIN_USEFUL_POST_MS)) {
      return this.finish(
        trail,
        lead.id,
        tierIndex,
        { ...base, outcome: 'skipped_no_time', reason: `${Math.max(0, budget)} ms left` },
        '',
      );
    }
    const recorded = await this.attempts.recordAttempt(lead.id, tierIndex, candidate, lead.data === null);
    lead.data ??= recorded.lead;
    const attemptId = recorded.attemptId;
    if (attemptId === null || lead.data === null) return { ...base, outcome: 'error', reason: 'already posted to this channel' };
    const callback = channel.asyncPost
      ? { field: channel.asyncPost.callbackUrlField, url: `${this.publicUrl}/v1/callbacks/posts/${attemptId}` }
      : null;
    trail.push({
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
      buildRequest(channel.post, postPayload(lead.data, candidate, channel.post.buyerRefField, callback)),
      budget,
    );
    const ms = Math.round(res.ms * 100) / 100;
    if (res.kind !== 'answered') {
      const outcome = res.kind === 'timeout' ? 'timeout' : 'error';
      return this.finish(trail, lead.id, tierIndex, { ...base, outcome, reason: res.error, ms }, '', true);
    }
    const answer = readAnswer(channel.post.response, res.status!, res.body);
    const pending =
      answer.verdict === 'pending' && channel.asyncPost
        ? { ref: answer.buyerRef ?? candidate.buyerRef, timeoutSeconds: channel.asyncPost.timeoutSeconds }
        : null;
    return this.finish(
      trail,
      lead.id,
      tierIndex,
      { ...base, outcome: answer.verdict, reason: answer.reason, redirectUrl: answer.redirectUrl, httpStatus: res.status, ms },
      answerExcerpt(res.body, EXCERPT_CHARS),
      true,
      pending,
    );
  }

  private async finish(
    trail: LeadEvent[],
    leadId: string,
    tierIndex: number,
    attempt: PostAttempt,
    answer: string,
    recorded = false,
    pending: { ref: string | null; timeoutSeconds: number } | null = null,
  ): Promise<PostAttempt> {
    // An accepted post also records the buyer's sale of this consumer (per-buyer dedupe).
    const buyerId = this.catalog.current.channel(attempt.channelId)?.buyerId ?? null;
    if (recorded) await this.attempts.recordAnswer(leadId, attempt.channelId, attempt, pending, buyerId);
    trail.push({
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
