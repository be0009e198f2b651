import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { auctionSelectV1, leadEventId, type ReplyOf, type RequestOf } from '@pingtree/contracts';
import { HandleRequest, LeadEventPublisher } from '@pingtree/messaging';
import { rankBids } from './rank-bids';

/** Ranks a tier's bids by its distribution logic and says why each stands where it does. */
@Injectable()
export class AuctionSelectHandler {
  constructor(
    private readonly catalog: CatalogService,
    private readonly events: LeadEventPublisher,
  ) {}

  @HandleRequest(auctionSelectV1, { minBudgetMs: 2 })
  select(req: RequestOf<typeof auctionSelectV1>): Promise<ReplyOf<typeof auctionSelectV1>> {
    const catalog = this.catalog.current;
    const ranking = rankBids({ ...req, channel: (id) => catalog.channel(id) });
    const at = Date.now();
    for (const c of ranking.candidates) {
      this.events.emit({
        id: leadEventId(req.leadId, 'selected', req.tierIndex, c.channelId),
        leadId: req.leadId,
        type: 'selected',
        service: 'auction',
        at,
        tierIndex: req.tierIndex,
        channelId: c.channelId,
        data: { rank: c.rank, price: c.price, rule: c.rule, logic: req.logic },
      });
    }
    for (const p of ranking.passedOver) {
      this.events.emit({
        id: leadEventId(req.leadId, 'passed_over', req.tierIndex, p.channelId),
        leadId: req.leadId,
        type: 'passed_over',
        service: 'auction',
        at,
        tierIndex: req.tierIndex,
        channelId: p.channelId,
        data: { reason: p.reason },
      });
    }
    return Promise.resolve(ranking);
  }
}
