import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { auctionSelectV1, leadEventId, type LeadEvent, type ReplyOf, type RequestOf } from '@pingtree/contracts';
import { HandleRequest, LeadEventPublisher, RequestContext } from '@pingtree/messaging';
import { CapReservations } from './cap-reservations';
import { PostAcceptanceStats } from './post-acceptance.stats';
import { rankBids } from './rank-bids';
import { RoundRobinRepository } from './round-robin.repository';
import { seededRandom } from './seeded-random';

type AuctionSelect = RequestOf<typeof auctionSelectV1>;

/** Ranks a tier's bids by its distribution logic and says why each stands where it does. */
@Injectable()
export class AuctionSelectHandler {
  constructor(
    private readonly catalog: CatalogService,
    private readonly events: LeadEventPublisher,
    private readonly stats: PostAcceptanceStats,
    private readonly roundRobin: RoundRobinRepository,
    private readonly caps: CapReservations,
  ) {}

  @HandleRequest(auctionSelectV1, { minBudgetMs: 2 })
  async select(req: AuctionSelect, ctx: RequestContext): Promise<ReplyOf<typeof auctionSelectV1>> {
    const catalog = this.catalog.current;
    const usesTurns = req.tier.logic === 'waterfall' && req.tier.order === 'round_robin' && req.bids.length > 1;
    const ranked = rankBids({
      tier: req.tier,
      priceFloor: req.priceFloor,
      margin: req.margin,
      bids: req.bids,
      channel: (id) => catalog.channel(id),
      acceptanceRate: (id) => this.stats.rate(id),
      rotation: usesTurns ? await this.roundRobin.nextTurn(req.treeId, req.tierIndex) : 0,
      random: seededRandom(req.leadId),
    });
    // Caps are reserved after ranking: a candidate without room is passed over, never sold over its cap.
    const ranking = await this.caps.reserve({
      leadId: req.leadId,
      tier: req.tier,
      ranking: ranked,
      deadlineAt: ctx.deadlineAt,
      channel: (id) => catalog.channel(id),
      now: Date.now(),
    });
    const at = Date.now();
    const event = (type: LeadEvent['type'], channelId: string, data: Record<string, unknown>): LeadEvent => ({
      id: leadEventId(req.leadId, type, req.tierIndex, channelId),
      leadId: req.leadId,
      type,
      service: 'auction',
      at,
      tierIndex: req.tierIndex,
      channelId,
      data,
    });
    // The whole ranking is one message on the events stream.
    this.events.emitAll([
      ...ranking.candidates.map((c) =>
        event('selected', c.channelId, {
          rank: c.rank,
          price: c.price,
          effectiveBid: c.effectiveBid,
          payout: c.payout,
          rule: c.rule,
          logic: req.tier.logic,
          tier: req.tier.name,
        }),
      ),
      ...ranking.passedOver.map((p) => event('passed_over', p.channelId, { reason: p.reason, tier: req.tier.name })),
    ]);
    return ranking;
  }
}
