import { Injectable, Logger } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import {
  auctionSelectV1,
  filterCheckV1,
  leadEventId,
  pingDispatchV1,
  PingtreeError,
  postDeliverV1,
  type Bid,
  type Campaign,
  type LeadDecision,
  type LeadSale,
  type LeadState,
  type PingLead,
  type Tree,
} from '@pingtree/contracts';
import { LeadEventPublisher, NatsRequestClient } from '@pingtree/messaging';
import { LeadRepository } from './lead.repository';

export interface JourneyStart {
  leadId: string;
  pingLead: PingLead;
  campaign: Campaign;
  tree: Tree;
  dedupeKeys: string[];
  receivedAt: number;
  deadlineAt: number;
}

/**
 * The lead's journey through the ping tree, in one place:
 *   filter → for each tier: ping → select → post → stop if the tier's stop rule is met → decide.
 * Every step is a NATS request bounded by the lead's deadline (the consumer is waiting).
 */
@Injectable()
export class LeadJourney {
  private readonly logger = new Logger(LeadJourney.name);

  constructor(
    private readonly nats: NatsRequestClient,
    private readonly leads: LeadRepository,
    private readonly events: LeadEventPublisher,
    private readonly catalog: CatalogService,
  ) {}

  async run(start: JourneyStart): Promise<LeadDecision> {
    const { leadId, pingLead, campaign, tree, deadlineAt } = start;
    const call = { deadlineAt, leadId };
    let posting = false;
    try {
      const filter = await this.nats.request(
        filterCheckV1,
        {
          lead: pingLead,
          campaignId: campaign.id,
          dedupeKeys: start.dedupeKeys,
          dedupeWindowHours: campaign.dedupeWindowHours,
          channelIds: [...new Set(tree.tiers.flatMap((t) => t.channelIds))],
        },
        call,
      );
      if (filter.duplicateOf)
        return await this.decide(start, 'duplicate', { duplicateOf: filter.duplicateOf, reason: 'duplicate' });
      const eligible = new Set(filter.eligibleChannelIds);
      if (eligible.size === 0) return await this.decide(start, 'unsold', { reason: 'no_eligible_channel' });

      await this.leads.transition(leadId, 'pinging');
      const sales: LeadSale[] = [];
      const allBids: Bid[] = [];
      for (const [tierIndex, tier] of tree.tiers.entries()) {
        const soldTo = new Set(sales.map((s) => s.channelId));
        const channelIds = tier.channelIds.filter((id) => eligible.has(id) && !soldTo.has(id));
        if (channelIds.length === 0) continue;
        if (Date.now() >= deadlineAt) break;

        const { bids } = await this.nats.request(
          pingDispatchV1,
          { lead: pingLead, tierIndex, channelIds, mode: tier.pingMode, reserveMs: campaign.postReserveMs },
          call,
        );
        allBids.push(...bids);
        const { candidates } = await this.nats.request(
          auctionSelectV1,
          { leadId, tierIndex, logic: tier.logic, priceFloor: tier.priceFloor, bids },
          call,
        );
        if (candidates.length === 0) continue;

        if (!posting) await this.leads.transition(leadId, 'posting');
        posting = true;
        const { attempts } = await this.nats.request(
          postDeliverV1,
          { leadId, tierIndex, candidates, maxSales: tier.maxSales },
          call,
        );
        for (const a of attempts.filter((a) => a.outcome === 'accepted'))
          sales.push(this.sale(a.channelId, a.price, a.redirectUrl));
        if (sales.length > 0 && tier.stopOnSale) break;
      }
      if (sales.length > 0) return await this.decide(start, 'sold', { sales });
      return await this.decide(start, 'unsold', { reason: unsoldReason(allBids, posting, deadlineAt) });
    } catch (error) {
      return this.recover(start, error, posting);
    }
  }

  /**
   * A step failed (a service down, the deadline passed). Before any post the lead is simply
   * unsold; once posts may have gone out, the post service's records decide what happened.
   */
  private async recover(start: JourneyStart, error: unknown, posting: boolean): Promise<LeadDecision> {
    const code = error instanceof PingtreeError ? error.code : 'INTERNAL';
    this.logger.warn(
      `lead ${start.leadId}: journey stopped by ${code}: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (!posting) {
      const state: LeadState = code === 'DEADLINE_EXCEEDED' ? 'expired' : 'unsold';
      return this.decide(start, state, {
        reason: code === 'DEADLINE_EXCEEDED' ? 'deadline_exceeded' : `service_unavailable: ${code}`,
      });
    }
    const posts = await this.leads.postStates(start.leadId);
    const accepted = posts.filter((p) => p.state === 'accepted');
    if (accepted.length > 0)
      return this.decide(start, 'sold', { sales: accepted.map((p) => this.sale(p.channelId, p.price, p.redirectUrl)) });
    if (posts.some((p) => p.state === 'attempted' || p.state === 'timeout')) {
      return this.decide(start, 'needs_reconciliation', { reason: 'a post was sent and its answer is unknown' });
    }
    return this.decide(start, 'unsold', { reason: `service_unavailable: ${code}` });
  }

  /** A valid lead the platform won't offer to anyone (e.g. no consent); kept for the record. */
  reject(lead: Pick<JourneyStart, 'leadId' | 'receivedAt'>, reason: string): Promise<LeadDecision> {
    return this.decide(lead, 'rejected', { reason });
  }

  private sale(channelId: string, price: number, redirectUrl: string | null): LeadSale {
    const catalog = this.catalog.current;
    const channel = catalog.channel(channelId);
    const buyer = channel ? catalog.buyer(channel.buyerId) : undefined;
    return { buyer: buyer?.displayName ?? 'unknown buyer', channelId, price, redirectUrl };
  }

  private async decide(
    start: Pick<JourneyStart, 'leadId' | 'receivedAt'>,
    state: LeadState,
    detail: Pick<LeadDecision, 'sales' | 'reason' | 'duplicateOf'>,
  ): Promise<LeadDecision> {
    const decision: LeadDecision = { leadId: start.leadId, state, ...detail, ms: Math.round(Date.now() - start.receivedAt) };
    await this.leads.transition(start.leadId, state, decision);
    this.events.emit({
      id: leadEventId(start.leadId, 'finished'),
      leadId: start.leadId,
      type: 'finished',
      service: 'gateway',
      at: Date.now(),
      tierIndex: null,
      channelId: null,
      data: { ...decision },
    });
    return decision;
  }
}

/** "No buyer wanted it" and "every buyer failed" are different answers for an operator. */
function unsoldReason(bids: Bid[], posted: boolean, deadlineAt: number): string {
  if (posted) return 'all_posts_rejected';
  if (bids.length === 0) return Date.now() >= deadlineAt ? 'deadline_exceeded' : 'no_eligible_channel';
  const failed = bids.filter((b) => ['timeout', 'error', 'unparseable', 'skipped_no_time'].includes(b.outcome));
  if (failed.length === bids.length) return 'all_buyers_failed';
  if (bids.some((b) => b.outcome === 'bid')) return 'bids_below_floor';
  return 'no_bids';
}
