import { Injectable } from '@nestjs/common';
import {
  LEAD_STATES,
  LEAD_TRANSITIONS,
  PingtreeError,
  type LeadDecision,
  type LeadState,
  type PingLead,
} from '@pingtree/contracts';
import { LeadEntity, preparedStatement, runPrepared } from '@pingtree/db';
import { DataSource } from 'typeorm';
import { INTAKE_KEY_WINDOW_HOURS } from '../intake/idempotent-intake';

/** States a lead may be in just before entering `to`, from the contract's transition table. */
function statesBefore(to: LeadState): LeadState[] {
  return LEAD_STATES.filter((from) => LEAD_TRANSITIONS[from].includes(to));
}

/** A state the journey passed through without writing it at the time; recorded with the next write. */
export interface PassedState {
  state: LeadState;
  at: Date;
}

export interface NewLead {
  id: string;
  campaignId: string;
  supplierId: string;
  supplierLeadId: string | null;
  receivedAt: Date;
  deadlineAt: Date;
  pingLead: PingLead;
  /** Sealed envelopes (encrypted at rest). */
  contact: unknown;
  consent: unknown;
  traceId: string | null;
  /** Identity hashes: the filter's suppression lookup and the post service's per-buyer sales use them. */
  dedupeKeyHashes: string[];
}

const INSERT_LEAD = preparedStatement(
  'gateway_insert_lead',
  `
WITH claim AS (
  INSERT INTO intake_keys (supplier_id, key, lead_id) SELECT $3, $12::text, $1 WHERE $12::text IS NOT NULL
  ON CONFLICT (supplier_id, key) DO UPDATE SET lead_id = EXCLUDED.lead_id, created_at = now()
    WHERE intake_keys.created_at < now() - make_interval(hours => $13)
  RETURNING lead_id
), stored AS (
  INSERT INTO leads (id, campaign_id, supplier_id, supplier_lead_id, state, received_at, deadline_at, ping_lead, contact,
    consent, trace_id, dedupe_key_hashes, decision, updated_at, lifecycle)
  SELECT $1, $2, $3, $4, 'received', $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10, $11::text[], NULL, $5,
    jsonb_build_array(jsonb_build_object('state', 'received', 'at', $14::text))
  WHERE $12::text IS NULL OR EXISTS (SELECT 1 FROM claim)
  RETURNING id, deadline_at
)
INSERT INTO open_leads (lead_id, deadline_at) SELECT id, deadline_at FROM stored
RETURNING lead_id AS id`,
);

/**
 * The decision touches no indexed column of `leads` (a HOT update). `open_leads` follows the lead in
 * the same statement: kept while a sweeper may have to close it, flagged while offered, removed
 * otherwise. A journey resumed by a pick gets a fresh deadline there: a campaign's tmax is at most
 * 60 s, so the interrupted-lead sweeper leaves it alone while it may still be posting.
 */
const TRANSITION = preparedStatement(
  'gateway_lead_transition',
  `
WITH moved AS (
  UPDATE leads SET state = $2, decision = COALESCE($3::jsonb, decision), updated_at = clock_timestamp(),
    lifecycle = lifecycle || $5::jsonb || jsonb_build_array(jsonb_build_object('state', $2::text, 'at', clock_timestamp()))
  WHERE id = $1 AND state = ANY($4::text[]) RETURNING id
), watched AS (
  INSERT INTO open_leads (lead_id, deadline_at, offered)
  SELECT id, clock_timestamp() + interval '60 seconds', $2 = 'offered' FROM moved WHERE $2 IN ('pinging', 'posting', 'offered')
  ON CONFLICT (lead_id) DO UPDATE SET offered = EXCLUDED.offered, deadline_at = EXCLUDED.deadline_at
    WHERE open_leads.offered <> EXCLUDED.offered
), closed AS (
  DELETE FROM open_leads WHERE lead_id = $1 AND EXISTS (SELECT 1 FROM moved) AND $2 NOT IN ('pinging', 'posting', 'offered')
)
SELECT id FROM moved`,
);

@Injectable()
export class LeadRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Stores a received lead and its `open_leads` row in one statement. With an intake key
   * (Idempotency-Key or supplier lead id) the lead is stored only if it claims the key: returns
   * false when another lead holds it.
   */
  async insert(lead: NewLead, intakeKey: string | null): Promise<boolean> {
    const rows = await runPrepared(this.ds, INSERT_LEAD, [
      lead.id,
      lead.campaignId,
      lead.supplierId,
      lead.supplierLeadId,
      lead.receivedAt,
      lead.deadlineAt,
      JSON.stringify(lead.pingLead),
      JSON.stringify(lead.contact),
      JSON.stringify(lead.consent),
      lead.traceId,
      [...new Set(lead.dedupeKeyHashes)].sort(),
      intakeKey,
      INTAKE_KEY_WINDOW_HOURS,
      lead.receivedAt.toISOString(),
    ]);
    return rows.length === 1;
  }

  /**
   * Moves the lead to `to` only along allowed transitions; an illegal one is a bug and throws.
   * `via` are states the journey passed through in memory (pinging, posting): they are checked
   * against the contract's table and recorded in the lifecycle with their own times, saving a
   * write per step on the hot path.
   */
  async transition(
    leadId: string,
    to: LeadState,
    decision: LeadDecision | null = null,
    via: readonly PassedState[] = [],
  ): Promise<void> {
    const path = [...via.map((v) => v.state), to];
    for (let i = 1; i < path.length; i++) {
      if (!LEAD_TRANSITIONS[path[i - 1]!].includes(path[i]!)) {
        throw new PingtreeError('CONFLICT', `lead ${leadId} cannot move from ${path[i - 1]} to ${path[i]}`);
      }
    }
    const passed = via.map((v) => ({ state: v.state, at: v.at.toISOString() }));
    const updated = await runPrepared(this.ds, TRANSITION, [
      leadId,
      to,
      decision === null ? null : JSON.stringify(decision),
      statesBefore(path[0]!),
      JSON.stringify(passed),
    ]);
    if (updated.length !== 1) throw new PingtreeError('CONFLICT', `lead ${leadId} cannot move to ${to}`);
  }

  findById(leadId: string): Promise<LeadEntity | null> {
    return this.ds.getRepository(LeadEntity).findOneBy({ id: leadId });
  }

  /** What the post service recorded for this lead, to settle it when the post step's reply was lost. */
  async postStates(leadId: string): Promise<
    Array<{
      channelId: string;
      tierIndex: number;
      state: string;
      price: number;
      payout: number;
      redirectUrl: string | null;
      attemptedAt: Date;
    }>
  > {
    const rows = (await this.ds.query(
      `SELECT channel_id, tier_index, state, price::float8 AS price, coalesce(payout, price)::float8 AS payout, redirect_url,
         attempted_at
       FROM post_attempts WHERE lead_id = $1 ORDER BY id`,
      [leadId],
    )) as Array<{
      channel_id: string;
      tier_index: number;
      state: string;
      price: number;
      payout: number;
      redirect_url: string | null;
      attempted_at: Date;
    }>;
    return rows.map((r) => ({
      channelId: r.channel_id,
      tierIndex: r.tier_index,
      state: r.state,
      price: r.price,
      payout: r.payout,
      redirectUrl: r.redirect_url,
      attemptedAt: r.attempted_at,
    }));
  }
}
