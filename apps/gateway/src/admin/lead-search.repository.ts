import { Injectable } from '@nestjs/common';
import type { LeadDecision } from '@pingtree/contracts';
import { DataSource } from 'typeorm';
import { encodeCursor, type LeadSearch } from './lead-search.query';

/** A lead as the search lists it: who sent it, where it went and for how much; never contact data. */
export interface LeadSummary {
  id: string;
  receivedAt: string;
  state: string;
  campaign: { id: string; key: string | null; name: string | null };
  supplier: { id: string; name: string | null };
  supplierLeadId: string | null;
  traceId: string | null;
  ms: number | null;
  reason: string | null;
  /** Buyers that bought it, with the price each paid. */
  sales: Array<{ buyer: string; channelId: string; price: number }>;
}

interface Row {
  id: string;
  received_at: Date;
  state: string;
  campaign_id: string;
  campaign_key: string | null;
  campaign_name: string | null;
  supplier_id: string;
  supplier_name: string | null;
  supplier_lead_id: string | null;
  trace_id: string | null;
  decision: LeadDecision | null;
}

/** Lead search for operators; newest first, paged by (received_at, id). */
@Injectable()
export class LeadSearchRepository {
  constructor(private readonly ds: DataSource) {}

  async search(s: LeadSearch): Promise<{ items: LeadSummary[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (s.supplierId) where.push(`l.supplier_id = ${param(s.supplierId)}`);
    if (s.campaignId) where.push(`l.campaign_id = ${param(s.campaignId)}`);
    if (s.supplierLeadId) where.push(`l.supplier_lead_id = ${param(s.supplierLeadId)}`);
    if (s.state) where.push(`l.state = ${param(s.state)}`);
    if (s.from) where.push(`l.received_at >= ${param(s.from)}`);
    if (s.to) where.push(`l.received_at < ${param(s.to)}`);
    // The GIN index on dedupe_key_hashes answers this; the hashes are the ones dedupe stored.
    if (s.keyHashes.length > 0) where.push(`l.dedupe_key_hashes @> ${param(s.keyHashes)}::text[]`);
    if (s.channelId) {
      const channel = param(s.channelId);
      where.push(`(EXISTS (SELECT 1 FROM lead_events e WHERE e.lead_id = l.id AND e.channel_id = ${channel}
                           AND e.type IN ('pinged', 'posted', 'offered'))
               OR EXISTS (SELECT 1 FROM post_attempts p WHERE p.lead_id = l.id AND p.channel_id = ${channel}))`);
    }
    if (s.after) where.push(`(l.received_at, l.id) < (${param(s.after.at)}::timestamptz, ${param(s.after.id)}::uuid)`);
    const rows = (await this.ds.query(
      `SELECT l.id, l.received_at, l.state, l.campaign_id, c.key AS campaign_key, c.config ->> 'name' AS campaign_name,
              l.supplier_id, s.name AS supplier_name, l.supplier_lead_id, l.trace_id, l.decision
         FROM leads l
         LEFT JOIN campaigns c ON c.id = l.campaign_id
         LEFT JOIN suppliers s ON s.id = l.supplier_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY l.received_at DESC, l.id DESC
        LIMIT ${param(s.limit + 1)}`,
      params,
    )) as Row[];
    const page = rows.slice(0, s.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(summary),
      nextCursor: rows.length > s.limit && last ? encodeCursor({ at: last.received_at.toISOString(), id: last.id }) : null,
    };
  }
}

function summary(r: Row): LeadSummary {
  return {
    id: r.id,
    receivedAt: r.received_at.toISOString(),
    state: r.state,
    campaign: { id: r.campaign_id, key: r.campaign_key, name: r.campaign_name },
    supplier: { id: r.supplier_id, name: r.supplier_name },
    supplierLeadId: r.supplier_lead_id,
    traceId: r.trace_id,
    ms: r.decision?.ms ?? null,
    reason: r.decision?.reason ?? null,
    sales: (r.decision?.sales ?? []).map((s) => ({ buyer: s.buyer, channelId: s.channelId, price: s.price })),
  };
}
