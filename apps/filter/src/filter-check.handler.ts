import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { filterCheckV1, leadEventId, type Exclusion, type ReplyOf, type RequestOf } from '@pingtree/contracts';
import { HandleRequest, LeadEventPublisher } from '@pingtree/messaging';
import { DedupeRepository } from './dedupe.repository';
import { failedRule } from './field-rule';

type FilterCheck = RequestOf<typeof filterCheckV1>;

/** Decides which of the tree's channels may see the lead, after claiming its dedupe keys. */
@Injectable()
export class FilterCheckHandler {
  constructor(
    private readonly catalog: CatalogService,
    private readonly dedupe: DedupeRepository,
    private readonly events: LeadEventPublisher,
  ) {}

  @HandleRequest(filterCheckV1, { minBudgetMs: 5 })
  async check(req: FilterCheck): Promise<ReplyOf<typeof filterCheckV1>> {
    const leadId = req.lead.leadId;
    if (req.dedupeWindowHours > 0) {
      const duplicateOf = await this.dedupe.claim(req.campaignId, leadId, req.dedupeKeys, req.dedupeWindowHours);
      if (duplicateOf !== null) return { duplicateOf, eligibleChannelIds: [], excluded: [] };
    }
    const eligibleChannelIds: string[] = [];
    const excluded: Exclusion[] = [];
    for (const channelId of req.channelIds) {
      const exclusion = this.exclusionOf(channelId, req);
      if (exclusion) excluded.push(exclusion);
      else eligibleChannelIds.push(channelId);
    }
    const at = Date.now();
    for (const e of excluded) {
      this.events.emit({
        id: leadEventId(leadId, 'excluded', e.channelId),
        leadId,
        type: 'excluded',
        service: 'filter',
        at,
        tierIndex: null,
        channelId: e.channelId,
        data: { reason: e.reason, detail: e.detail },
      });
    }
    return { duplicateOf: null, eligibleChannelIds, excluded };
  }

  private exclusionOf(channelId: string, req: FilterCheck): Exclusion | null {
    const catalog = this.catalog.current;
    const channel = catalog.channel(channelId);
    if (!channel) return { channelId, reason: 'not_in_tree', detail: 'channel no longer exists' };
    if (!channel.enabled) return { channelId, reason: 'channel_disabled', detail: 'channel is paused' };
    const buyer = catalog.buyer(channel.buyerId);
    if (!buyer?.enabled) return { channelId, reason: 'buyer_disabled', detail: 'buyer is paused' };
    for (const rule of channel.filters) {
      const failure = failedRule(rule, req.lead);
      if (failure) return { channelId, reason: 'filter_rule', detail: `${rule.op} rule: ${failure}` };
    }
    return null;
  }
}
