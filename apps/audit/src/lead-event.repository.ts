import { Injectable } from '@nestjs/common';
import type { LeadEvent } from '@pingtree/contracts';
import { DataSource } from 'typeorm';

@Injectable()
export class LeadEventRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * One statement per batch; the event id key makes redelivered events a no-op. The events go in
   * as they are: the record columns carry the contract's field names, so nothing is copied first.
   */
  async insertMany(events: LeadEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.ds.query(
      `INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
       SELECT e.id, e."leadId", e.type, e.service, to_timestamp(e.at / 1000.0), e."tierIndex", e."channelId", e.data
       FROM jsonb_to_recordset($1::jsonb) AS e(id text, "leadId" uuid, type text, service text, at double precision,
         "tierIndex" int, "channelId" uuid, data jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(events)],
    );
  }

  async trail(leadId: string): Promise<LeadEvent[]> {
    const rows = (await this.ds.query(
      `SELECT id, lead_id, type, service, (extract(epoch from at) * 1000)::float8 AS at, tier_index, channel_id, data
       FROM lead_events WHERE lead_id = $1 ORDER BY at, id`,
      [leadId],
    )) as Array<{
      id: string;
      lead_id: string;
      type: LeadEvent['type'];
      service: LeadEvent['service'];
      at: number;
      tier_index: number | null;
      channel_id: string | null;
      data: Record<string, unknown>;
    }>;
    return rows.map((r) => ({
      id: r.id,
      leadId: r.lead_id,
      type: r.type,
      service: r.service,
      at: Math.round(r.at * 1000) / 1000,
      tierIndex: r.tier_index,
      channelId: r.channel_id,
      data: r.data,
    }));
  }
}
