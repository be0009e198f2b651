import type { Catalog } from '@pingtree/catalog';
import type { Exclusion, FieldRule, PingLead } from '@pingtree/contracts';
import { firstFailure, type RuleFailure } from './field-rule';
import { describeLocal, isOpen } from './schedule';
import type { SuppressionHit } from './suppression.repository';

/** What the filter knows about one lead when it decides, for every channel alike. */
export interface LeadFacts {
  lead: PingLead;
  catalog: Catalog;
  campaignRules: readonly FieldRule[];
  supplierRules: readonly FieldRule[];
  suppressions: readonly SuppressionHit[];
  /** Buyer id → last time it bought this consumer inside the dedupe window. */
  recentBuyers: ReadonlyMap<string, Date>;
  dedupeDays: number;
  at: Date;
}

export type Reason = Omit<Exclusion, 'channelId'>;

function ruleReason(reason: Exclusion['reason'], level: string, failure: RuleFailure): Reason {
  return { reason, detail: `${level} rule "${failure.label}" at ${failure.path}: ${failure.message}`, rule: failure.path };
}

function suppressedReason(hit: SuppressionHit): Reason {
  return { reason: 'suppressed', detail: `on ${hit.scope} suppression list "${hit.name}" (${hit.kind})` };
}

/** Why no channel may see the lead, or null: campaign rules, supplier rules, global and campaign suppression lists. */
export function leadExclusion(facts: LeadFacts): Reason | null {
  const campaign = firstFailure(facts.campaignRules, facts.lead, 'campaign.filters');
  if (campaign) return ruleReason('campaign_rule', 'campaign', campaign);
  const supplier = firstFailure(facts.supplierRules, facts.lead, 'supplier.filters');
  if (supplier) return ruleReason('supplier_rule', 'supplier', supplier);
  const list = facts.suppressions.find((s) => s.scope !== 'buyer');
  return list ? suppressedReason(list) : null;
}

/** Why this channel may not see the lead, or null; the first reason found, cheapest checks first. */
export function channelExclusion(channelId: string, facts: LeadFacts, whole: Reason | null): Exclusion | null {
  const reason = channelReason(channelId, facts, whole);
  return reason ? { channelId, ...reason } : null;
}

function channelReason(channelId: string, facts: LeadFacts, whole: Reason | null): Reason | null {
  const channel = facts.catalog.channel(channelId);
  if (!channel) return { reason: 'not_in_tree', detail: 'channel no longer exists' };
  if (whole) return whole;
  if (!channel.enabled) return { reason: 'channel_disabled', detail: 'channel is paused' };
  const buyer = facts.catalog.buyer(channel.buyerId);
  if (!buyer?.enabled) return { reason: 'buyer_disabled', detail: 'buyer is paused' };
  if (channel.schedule && !isOpen(channel.schedule, facts.at)) {
    return { reason: 'schedule', detail: `outside open hours: ${describeLocal(channel.schedule, facts.at)}` };
  }
  const failure = firstFailure(channel.filters, facts.lead);
  if (failure) return ruleReason('filter_rule', 'channel', failure);
  const list = facts.suppressions.find((s) => s.scope === 'buyer' && s.buyerId === channel.buyerId);
  if (list) return suppressedReason(list);
  const soldAt = facts.recentBuyers.get(channel.buyerId);
  if (soldAt) {
    return {
      reason: 'buyer_dedupe',
      detail: `buyer bought this consumer at ${soldAt.toISOString()}, within ${facts.dedupeDays} days`,
    };
  }
  return null;
}
