import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { BuyerHttpClient } from '@pingtree/buyer-protocol';
import { leadEventId, pingDispatchV1, PingtreeError, type ReplyOf, type RequestOf } from '@pingtree/contracts';
import { HandleRequest, LeadEventPublisher, RequestContext } from '@pingtree/messaging';
import { ChannelCircuits } from './channel-circuits.service';
import { pingChannel, type PingedChannel } from './channel-ping';

type PingDispatch = RequestOf<typeof pingDispatchV1>;

/** Pings a tier's eligible channels, in parallel or one at a time, within the lead's deadline. */
@Injectable()
export class PingDispatchHandler implements OnApplicationShutdown {
  private readonly http = new BuyerHttpClient();

  constructor(
    private readonly catalog: CatalogService,
    private readonly events: LeadEventPublisher,
    private readonly circuits: ChannelCircuits,
  ) {}

  @HandleRequest(pingDispatchV1, { minBudgetMs: 5 })
  async dispatch(req: PingDispatch, ctx: RequestContext): Promise<ReplyOf<typeof pingDispatchV1>> {
    const catalog = this.catalog.current;
    const channels = req.channelIds.map((id) => {
      const channel = catalog.channel(id);
      if (!channel) throw new PingtreeError('NOT_FOUND', `channel ${id} is not configured`);
      return channel;
    });
    // Answer the caller a little before its deadline so the reply still arrives in time.
    const budget = () => ctx.remainingMs() - req.reserveMs;
    let pinged: PingedChannel[];
    if (req.mode === 'parallel') {
      pinged = await Promise.all(channels.map((c) => pingChannel(this.http, this.circuits, c, req.lead, budget())));
    } else {
      pinged = [];
      for (const channel of channels) {
        const result = await pingChannel(this.http, this.circuits, channel, req.lead, budget());
        pinged.push(result);
        if (result.bid.outcome === 'bid' || result.bid.outcome === 'post_only') break;
      }
    }
    const at = Date.now();
    // The whole dispatch is one message on the events stream.
    this.events.emitAll(
      pinged.map((p) => ({
        id: leadEventId(req.lead.leadId, 'pinged', req.tierIndex, p.bid.channelId),
        leadId: req.lead.leadId,
        type: 'pinged',
        service: 'ping',
        at,
        tierIndex: req.tierIndex,
        channelId: p.bid.channelId,
        data: { ...p.bid, request: p.requestBody ?? null, answer: p.answerExcerpt },
      })),
    );
    return { bids: pinged.map((p) => p.bid) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}
