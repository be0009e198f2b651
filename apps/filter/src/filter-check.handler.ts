import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { filterCheckV1, leadEventId, type Exclusion, type ReplyOf, type RequestOf } from '@pingtree/contracts';
import { HandleRequest, LeadEventPublisher } from '@pingtree/messaging';
import { BuyerSalesRepository } from './buyer-sales.repository';
import { DedupeRepository } from './dedupe.repository';
import { channelExclusion, leadExclusion, type LeadFacts } from './eligibility';
import { LeadKeysRepository } from './lead-keys.repository';
import { SupplierRules } from './supplier-rules';
import { SuppressionRepository } from './suppression.repository';

type FilterCheck = RequestOf<typeof filterCheckV1>;

/**
 * Decides which of the tree's channels may see the lead, after claiming its dedupe keys: campaign
 * and supplier rules and global or campaign suppression exclude every channel; schedules, channel
 * rules, buyer suppression lists and the per-buyer dedupe window exclude one channel at a time.
 */
@Injectable()
export class FilterCheckHandler {
  constructor(
    private readonly catalog: CatalogService,
    private readonly dedupe: DedupeRepository,
    private readonly leadKeys: LeadKeysRepository,
    private readonly suppression: SuppressionRepository,
    private readonly buyerSales: BuyerSalesRepository,
    private readonly supplierRules: SupplierRules,
    private readonly events: LeadEventPublisher,
  ) {}

  @HandleRequest(filterCheckV1, { minBudgetMs: 5 })
  async check(req: FilterCheck): Promise<ReplyOf<typeof filterCheckV1>> {
    const leadId = req.lead.leadId;
    if (req.dedupeWindowHours > 0) {
      const duplicateOf = await this.dedupe.claim(req.campaignId, leadId, req.dedupeKeys, req.dedupeWindowHours);
      if (duplicateOf !== null) return { duplicateOf, eligibleChannelIds: [], excluded: [] };
    }
    const facts = await this.facts(req);
    const whole = leadExclusion(facts);
    const eligibleChannelIds: string[] = [];
    const excluded: Exclusion[] = [];
    for (const channelId of req.channelIds) {
      const exclusion = channelExclusion(channelId, facts, whole);
      if (exclusion) excluded.push(exclusion);
      else eligibleChannelIds.push(channelId);
    }
    this.emitExcluded(leadId, excluded, facts.at.getTime());
    return { duplicateOf: null, eligibleChannelIds, excluded };
  }

  /** Everything the decision needs, read in parallel: one round trip to PostgreSQL per lookup. */
  private async facts(req: FilterCheck): Promise<LeadFacts> {
    const catalog = this.catalog.current;
    const campaign = catalog.campaign(req.campaignId);
    const buyerIds = [...new Set(req.channelIds.flatMap((id) => catalog.channel(id)?.buyerId ?? []))];
    const dedupeDays = campaign?.buyerDedupeDays ?? 0;
    const [supplierId, suppressions, recentBuyers] = await Promise.all([
      // The gateway sends the supplier and stores the keys with the lead; older gateways did neither.
      req.supplierId ?? this.leadKeys.store(req.lead.leadId, req.dedupeKeys),
      this.suppression.hits(req.dedupeKeys, req.campaignId, buyerIds),
      this.buyerSales.recentBuyers(req.dedupeKeys, buyerIds, dedupeDays),
    ]);
    return {
      lead: req.lead,
      catalog,
      campaignRules: campaign?.filters ?? [],
      supplierRules: this.supplierRules.of(supplierId),
      suppressions,
      recentBuyers,
      dedupeDays,
      at: new Date(),
    };
  }

  private emitExcluded(leadId: string, excluded: Exclusion[], at: number): void {
    for (const e of excluded) {
      this.events.emit({
        id: leadEventId(leadId, 'excluded', e.channelId),
        leadId,
        type: 'excluded',
        service: 'filter',
        at,
        tierIndex: null,
        channelId: e.channelId,
        data: { reason: e.reason, detail: e.detail, ...(e.rule !== undefined && { rule: e.rule }) },
      });
    }
  }
}
