import { Injectable, Logger } from '@nestjs/common';
import type { Context } from '@opentelemetry/api';
import { CatalogService } from '@pingtree/catalog';
import {
  auctionSelectV1,
  filterCheckV1,
  leadEventId,
  pingDispatchV1,
  PingtreeError,
  postDeliverV1,
  UNKNOWN_POST_STATES,
  type Bid,
  type Campaign,
  type Candidate,
  type LeadDecision,
  type LeadEvent,
  type LeadSale,
  type LeadState,
  type PingLead,
  type PostAttempt,
  type Tier,
  type Tree,
} from '@pingtree/contracts';
import { LeadEventPublisher, NatsRequestClient } from '@pingtree/messaging';
import { leadDuration, leadsTotal } from '@pingtree/telemetry';
import { LeadOfferRepository, type StoredOffer } from './lead-offer.repository';
import { LeadRepository, type PassedState } from './lead.repository';

export interface JourneyStart {
  leadId: string;
  pingLead: PingLead;
  campaign: Campaign;
  tree: Tree;
  supplierId: string;
  supplierPriceFloor: number;
  dedupeKeys: string[];
  receivedAt: number;
  deadlineAt: number;
  /** The lead's trace: every step's request carries it (traceparent). */
  trace: Context;
}

/** A post sent whose answer the platform does not know: only the buyer (or an operator) can tell. */
const ANSWER_UNKNOWN = new Set<string>(UNKNOWN_POST_STATES);

type LeadRef = Pick<JourneyStart, 'leadId' | 'receivedAt'> & {
  /** States passed in memory since the last write (see LeadRepository.transition). */
  via?: PassedState[];
  /** The state stored when a sweeper, not a live journey, settles the lead. */
  storedState?: LeadState;
  /** Decided before (reconciliation, then settled): its `finished` event must not reuse the first one's id. */
  redecided?: boolean;
};

/**
 * The lead's journey through the ping tree, in one place:
 *   filter → for each tier: ping → select → post (or offer, for choice) → stop if the tier says so → decide.
 * Every step is a NATS request bounded by the lead's deadline (the consumer is waiting).
 */
@Injectable()
export class LeadJourney {
  private readonly logger = new Logger(LeadJourney.name);

  constructor(
    private readonly nats: NatsRequestClient,
    private readonly leads: LeadRepository,
    private readonly offers: LeadOfferRepository,
    private readonly events: LeadEventPublisher,
    private readonly catalog: CatalogService,
  ) {}

  async run(start: JourneyStart): Promise<LeadDecision> {
    const { leadId, pingLead, campaign, tree, deadlineAt } = start;
    const call = { deadlineAt, leadId, trace: start.trace };
    // Pinging and posting are recorded with the decision, not written as they happen: one write per lead.
    const lead: LeadRef = { leadId, receivedAt: start.receivedAt, via: [] };
    let posting = false;
    try {
      const filter = await this.nats.request(
        filterCheckV1,
        {
          lead: pingLead,
          campaignId: campaign.id,
          supplierId: start.supplierId,
          dedupeKeys: start.dedupeKeys,
          dedupeWindowHours: campaign.dedupeWindowHours,
          channelIds: [...new Set(tree.tiers.flatMap((t) => t.channelIds))],
        },
        call,
      );
      if (filter.duplicateOf)
        return await this.decide(lead, 'duplicate', { duplicateOf: filter.duplicateOf, reason: 'duplicate' });
      const eligible = new Set(filter.eligibleChannelIds);
      if (eligible.size === 0) return await this.decide(lead, 'unsold', { reason: 'no_eligible_channel' });

      lead.via!.push({ state: 'pinging', at: new Date() });
      const sales: LeadSale[] = [];
      const allBids: Bid[] = [];
      // Time spent waiting on buyers along the critical path; the rest of `ms` is the platform's own.
      let buyerMs = 0;
      let pendingPosts = 0;
      let unknownPosts = 0;
      for (const [tierIndex, tier] of tree.tiers.entries()) {
        const soldTo = new Set(sales.map((s) => s.channelId));
        const channelIds = tier.channelIds.filter((id) => eligible.has(id) && !soldTo.has(id));
        if (channelIds.length === 0) continue;
        if (Date.now() >= deadlineAt) break;

        const { bids } = await this.nats.request(
          pingDispatchV1,
          {
            lead: pingLead,
            tierIndex,
            channelIds,
            mode: tier.pingMode,
            reserveMs: tier.logic === 'choice' ? 0 : campaign.postReserveMs,
          },
          call,
        );
        allBids.push(...bids);
        buyerMs += criticalPingMs(bids, tier.pingMode);
        const { candidates } = await this.nats.request(
          auctionSelectV1,
          {
            leadId,
            treeId: tree.id,
            tierIndex,
            tier,
            priceFloor: Math.max(tier.priceFloor, campaign.priceFloor, start.supplierPriceFloor),
            margin: campaign.margin,
            bids,
          },
          call,
        );
        if (candidates.length === 0) continue;
        if (tier.logic === 'choice') return await this.offer(start, lead, tierIndex, tier, candidates);

        if (!posting) lead.via!.push({ state: 'posting', at: new Date() });
        posting = true;
        const posted = await this.post(leadId, tierIndex, candidates, tier.maxSales, deadlineAt, start.trace);
        sales.push(...posted.sales);
        buyerMs += posted.buyerMs;
        pendingPosts += posted.pending;
        unknownPosts += posted.unknown;
        // A pending post, or one whose answer was lost, holds the lead like a sale.
        if ((sales.length > 0 || pendingPosts > 0 || unknownPosts > 0) && tier.stopOnSale) break;
      }
      buyerMs = Math.round(buyerMs * 100) / 100;
      if (sales.length > 0) return await this.decide(lead, 'sold', { sales, buyerMs });
      if (unknownPosts > 0) {
        return await this.decide(lead, 'needs_reconciliation', {
          reason: 'a post timed out and its answer is unknown',
          buyerMs,
        });
      }
      if (pendingPosts > 0) {
        return await this.decide(
          lead,
          'awaiting_callback',
          { reason: 'the buyer will confirm the post by callback', buyerMs },
          false,
        );
      }
      return await this.decide(lead, 'unsold', { reason: unsoldReason(allBids, posting, deadlineAt), buyerMs });
    } catch (error) {
      return this.recover(lead, error, posting);
    }
  }

  /**
   * The consumer's pick in a choice tier resumes the journey: post to the picked buyers in the
   * order given, with a fresh deadline (the consumer is waiting again).
   */
  async resumeWithChoice(lead: LeadRef & { campaignId: string }, picked: StoredOffer[]): Promise<LeadDecision> {
    const campaign = this.catalog.current.campaign(lead.campaignId);
    const deadlineAt = Date.now() + (campaign?.tmaxMs ?? 3000);
    await this.leads.transition(lead.leadId, 'posting');
    await this.offers.markPicked(picked.map((o) => o.offerId));
    for (const offer of picked) {
      // One-to-one consent: the consumer named this buyer.
      this.emit(lead.leadId, 'picked', offer.tierIndex, offer.channelId, {
        offerId: offer.offerId,
        buyer: offer.buyerName,
        consentAt: new Date().toISOString(),
      });
    }
    try {
      const tierIndex = picked[0]!.tierIndex;
      const candidates = picked.map((o, i) => ({ ...o.candidate, rank: i + 1 }));
      const { sales, buyerMs } = await this.post(lead.leadId, tierIndex, candidates, candidates.length, deadlineAt);
      if (sales.length > 0) return await this.decide(lead, 'sold', { sales, buyerMs });
      return await this.decide(lead, 'unsold', { reason: 'all_posts_rejected' });
    } catch (error) {
      return this.recover(lead, error, true);
    }
  }

  /**
   * After a buyer's callback (or its timeout), or an operator's reconciliation, settled a post: the
   * lead follows what the post service recorded. A sale wins; still-pending posts keep it waiting; a
   * post with no known answer keeps it in (or sends it to) reconciliation; otherwise it is unsold.
   */
  async afterCallback(leadId: string, unsoldReason = 'the buyer rejected the lead after review'): Promise<void> {
    const lead = await this.leads.findById(leadId);
    if (!lead || (lead.state !== 'awaiting_callback' && lead.state !== 'needs_reconciliation')) return;
    // Settling a lead in reconciliation is its second decision: its `finished` gets an id of its own.
    const ref = { leadId, receivedAt: lead.receivedAt.getTime(), redecided: lead.state === 'needs_reconciliation' };
    const posts = await this.leads.postStates(leadId);
    const accepted = posts.filter((p) => p.state === 'accepted');
    if (accepted.length > 0) {
      await this.decide(ref, 'sold', { sales: accepted.map((p) => this.sale(p)) });
    } else if (posts.some((p) => p.state === 'pending')) {
      return;
    } else if (posts.some((p) => ANSWER_UNKNOWN.has(p.state))) {
      if (lead.state === 'awaiting_callback') {
        const reason = posts.some((p) => p.state === 'callback_timeout')
          ? 'the buyer did not call back in time'
          : 'a post was sent and its answer is unknown';
        await this.decide(ref, 'needs_reconciliation', { reason });
      }
    } else {
      await this.decide(ref, 'unsold', { reason: unsoldReason });
    }
  }

  /** A valid lead the platform won't offer to anyone (e.g. no consent); kept for the record. */
  reject(lead: LeadRef, reason: string): Promise<LeadDecision> {
    return this.decide(lead, 'rejected', { reason });
  }

  private async post(
    leadId: string,
    tierIndex: number,
    candidates: Candidate[],
    maxSales: number,
    deadlineAt: number,
    trace?: Context,
  ): Promise<{ sales: LeadSale[]; pending: number; unknown: number; buyerMs: number }> {
    const { attempts } = await this.nats.request(
      postDeliverV1,
      { leadId, tierIndex, candidates, maxSales },
      { deadlineAt, leadId, trace },
    );
    return {
      sales: attempts.filter((a) => a.outcome === 'accepted').map((a) => this.sale(a)),
      pending: attempts.filter((a) => a.outcome === 'pending').length,
      unknown: attempts.filter((a) => a.outcome === 'timeout').length,
      buyerMs: attempts.reduce((sum, a) => sum + a.ms, 0),
    };
  }

  private async offer(
    start: JourneyStart,
    lead: LeadRef,
    tierIndex: number,
    tier: Tier,
    candidates: Candidate[],
  ): Promise<LeadDecision> {
    const catalog = this.catalog.current;
    const ttlEnd = Date.now() + tier.offerTtlSeconds * 1000;
    const stored = await this.offers.save(
      start.leadId,
      tierIndex,
      candidates.map((candidate) => {
        const channel = catalog.channel(candidate.channelId);
        const buyerName = (channel && catalog.buyer(channel.buyerId)?.displayName) ?? 'unknown buyer';
        // An offer can't outlive the buyer's own bid expiry.
        return { candidate, buyerName, expiresAt: new Date(Math.min(ttlEnd, candidate.expiresAt ?? ttlEnd)) };
      }),
    );
    const offers = stored.map((o) => ({
      offerId: o.offerId,
      buyer: o.buyerName,
      price: o.candidate.price,
      expiresAt: o.expiresAt.toISOString(),
    }));
    for (const o of stored)
      this.emit(start.leadId, 'offered', tierIndex, o.channelId, {
        offerId: o.offerId,
        buyer: o.buyerName,
        price: o.candidate.price,
        expiresAt: o.expiresAt.toISOString(),
      });
    return this.decide(lead, 'offered', { offers }, false);
  }

  /**
   * A step failed (a service down, the deadline passed). Before any post the lead is simply
   * unsold; once posts may have gone out, the post service's records decide what happened.
   */
  private async recover(lead: LeadRef, error: unknown, posting: boolean): Promise<LeadDecision> {
    const code = error instanceof PingtreeError ? error.code : 'INTERNAL';
    this.logger.warn(
      `lead ${lead.leadId}: journey stopped by ${code}: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (!posting) {
      const state: LeadState = code === 'DEADLINE_EXCEEDED' ? 'expired' : 'unsold';
      return this.decide(lead, state, {
        reason: code === 'DEADLINE_EXCEEDED' ? 'deadline_exceeded' : `service_unavailable: ${code}`,
      });
    }
    return this.settleFromPosts(lead, `service_unavailable: ${code}`);
  }

  /**
   * Settles a lead whose posts may have gone out from what the post service recorded: a recorded
   * acceptance is a sale; a post sent with no recorded answer is never re-sent, it needs reconciliation.
   */
  async settleFromPosts(lead: LeadRef, otherwise: string, otherwiseState: LeadState = 'unsold'): Promise<LeadDecision> {
    const posts = await this.leads.postStates(lead.leadId);
    // The post service may have died before its events were stored: publish them again under the
    // same ids (JetStream and audit drop repeats), so the trail shows every post that went out.
    for (const p of posts) {
      // Same ids as the post service's events: `<lead>:post_attempted:<channel>`, `<lead>:posted:<channel>`.
      this.emit(lead.leadId, 'post_attempted', null, p.channelId, { price: p.price, tier: p.tierIndex, recovered: true });
      if (p.state !== 'attempted') {
        this.emit(lead.leadId, 'posted', null, p.channelId, {
          outcome: p.state,
          price: p.price,
          tier: p.tierIndex,
          recovered: true,
        });
      }
    }
    // A sweeper settling a lead stored as `received` whose posts went out: it passed pinging and posting.
    const firstPost = posts[0]?.attemptedAt;
    if (lead.via === undefined && lead.storedState === 'received' && firstPost) {
      lead = {
        ...lead,
        via: [
          { state: 'pinging', at: firstPost },
          { state: 'posting', at: firstPost },
        ],
      };
    }
    const accepted = posts.filter((p) => p.state === 'accepted');
    if (accepted.length > 0) return this.decide(lead, 'sold', { sales: accepted.map((p) => this.sale(p)) });
    if (posts.some((p) => p.state === 'attempted' || p.state === 'timeout' || p.state === 'pending')) {
      return this.decide(lead, 'needs_reconciliation', { reason: 'a post was sent and its answer is unknown' });
    }
    return this.decide(lead, otherwiseState, { reason: otherwise });
  }

  private sale(attempt: Pick<PostAttempt, 'channelId' | 'price' | 'payout' | 'redirectUrl'>): LeadSale {
    const catalog = this.catalog.current;
    const channel = catalog.channel(attempt.channelId);
    const buyer = channel ? catalog.buyer(channel.buyerId) : undefined;
    return {
      buyer: buyer?.displayName ?? 'unknown buyer',
      channelId: attempt.channelId,
      price: attempt.price,
      payout: attempt.payout,
      redirectUrl: attempt.redirectUrl,
    };
  }

  private async decide(
    lead: LeadRef,
    state: LeadState,
    detail: Pick<LeadDecision, 'sales' | 'offers' | 'reason' | 'duplicateOf' | 'buyerMs'>,
    final = true,
  ): Promise<LeadDecision> {
    const decision: LeadDecision = { leadId: lead.leadId, state, ...detail, ms: Math.round(Date.now() - lead.receivedAt) };
    await this.leads.transition(lead.leadId, state, decision, lead.via);
    leadsTotal.inc({ state, reason: decision.reason ?? '' });
    leadDuration.observe({ state }, decision.ms / 1000);
    if (final) this.emit(lead.leadId, 'finished', null, null, { ...decision }, lead.redecided ? ['reconciled'] : []);
    return decision;
  }

  private emit(
    leadId: string,
    type: LeadEvent['type'],
    tierIndex: number | null,
    channelId: string | null,
    data: Record<string, unknown>,
    /** Set apart an event that may happen twice (a lead decided again after reconciliation). */
    idSuffix: string[] = [],
  ): void {
    this.events.emit({
      id: leadEventId(
        leadId,
        type,
        ...(tierIndex !== null ? [tierIndex] : []),
        ...(channelId !== null ? [channelId] : []),
        ...idSuffix,
      ),
      leadId,
      type,
      service: 'gateway',
      at: Date.now(),
      tierIndex,
      channelId,
      data,
    });
  }
}

/** Buyer wait of one tier's pings: the slowest in parallel, all of them one after another. */
function criticalPingMs(bids: Bid[], mode: Tier['pingMode']): number {
  const times = bids.map((b) => b.ms);
  if (times.length === 0) return 0;
  return mode === 'parallel' ? Math.max(...times) : times.reduce((a, b) => a + b, 0);
}

/** "No buyer wanted it" and "every buyer failed" are different answers for an operator. */
function unsoldReason(bids: Bid[], posted: boolean, deadlineAt: number): string {
  if (posted) return 'all_posts_rejected';
  if (bids.length === 0) return Date.now() >= deadlineAt ? 'deadline_exceeded' : 'no_eligible_channel';
  const failed = bids.filter((b) => ['timeout', 'error', 'unparseable', 'skipped_no_time', 'circuit_open'].includes(b.outcome));
  if (failed.length === bids.length) return 'all_buyers_failed';
  if (bids.some((b) => b.outcome === 'bid' || b.outcome === 'post_only')) return 'bids_below_floor';
  return 'no_bids';
}
