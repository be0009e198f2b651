import { Injectable } from '@nestjs/common';
import { LEAD_STATES, LEAD_TRANSITIONS, PingtreeError, type LeadDecision, type LeadState } from '@pingtree/contracts';
import { LeadEntity } from '@pingtree/db';
import { DataSource } from 'typeorm';

/** States a lead may be in just before entering `to`, from the contract's transition table. */
function statesBefore(to: LeadState): LeadState[] {
  return LEAD_STATES.filter((from) => LEAD_TRANSITIONS[from].includes(to));
}

@Injectable()
export class LeadRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(lead: Omit<LeadEntity, 'decision' | 'updatedAt' | 'lifecycle'>): Promise<void> {
    await this.ds.getRepository(LeadEntity).insert({
      ...lead,
      decision: null,
      updatedAt: lead.receivedAt,
      lifecycle: [{ state: lead.state, at: lead.receivedAt.toISOString() }],
    });
  }

  /** Moves the lead to `to` only along an allowed transition; an illegal one is a bug and throws. */
  async transition(leadId: string, to: LeadState, decision: LeadDecision | null = null): Promise<void> {
    const rows = (await this.ds.query(
      `UPDATE leads SET state = $2, decision = COALESCE($3::jsonb, decision), updated_at = clock_timestamp(),
         lifecycle = lifecycle || jsonb_build_array(jsonb_build_object('state', $2::text, 'at', clock_timestamp()))
       WHERE id = $1 AND state = ANY($4::text[]) RETURNING id`,
      [leadId, to, decision === null ? null : JSON.stringify(decision), statesBefore(to)],
    )) as [unknown[], number] | unknown[];
    const updated = Array.isArray(rows[0]) ? (rows[0] as unknown[]) : (rows as unknown[]);
    if (updated.length !== 1) throw new PingtreeError('CONFLICT', `lead ${leadId} cannot move to ${to}`);
  }

  findById(leadId: string): Promise<LeadEntity | null> {
    return this.ds.getRepository(LeadEntity).findOneBy({ id: leadId });
  }

  /** What the post service recorded for this lead, to settle it when the post step's reply was lost. */
  async postStates(
    leadId: string,
  ): Promise<
    Array<{ channelId: string; tierIndex: number; state: string; price: number; payout: number; redirectUrl: string | null }>
  > {
    const rows = (await this.ds.query(
      `SELECT channel_id, tier_index, state, price::float8 AS price, coalesce(payout, price)::float8 AS payout, redirect_url
       FROM post_attempts WHERE lead_id = $1 ORDER BY id`,
      [leadId],
    )) as Array<{
      channel_id: string;
      tier_index: number;
      state: string;
      price: number;
      payout: number;
      redirect_url: string | null;
    }>;
    return rows.map((r) => ({
      channelId: r.channel_id,
      tierIndex: r.tier_index,
      state: r.state,
      price: r.price,
      payout: r.payout,
      redirectUrl: r.redirect_url,
    }));
  }
}
