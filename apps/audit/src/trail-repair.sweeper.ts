import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '@pingtree/runtime';
import { TERMINAL_LEAD_STATES } from '@pingtree/contracts';
import { DataSource } from 'typeorm';

const SWEEP_EVERY_MS = 5_000;
/** Older than this, an event that should exist is not just in flight: its publisher died first. */
const SETTLE_S = 10;
/** Don't scan the whole history on every sweep. */
const LOOK_BACK_H = 6;
/**
 * updated_at has no index (one would make every decision a non-HOT update), so the finished repair
 * is bounded by received_at too. A lead is decided within its tmax (at most 60 s) of receipt unless
 * it waits for a pick (offers live at most a day) or a buyer's callback (5 min by default): a day's
 * allowance repairs those. Only callbacks set to wait longer than a day are left out, as the post
 * repairs leave out answers that came more than LOOK_BACK_H after their post.
 */
const DECIDED_WITHIN_H = 24;
/** Each `received` sweep starts this far before where the last one ended (commits land out of order). */
const RECEIVED_OVERLAP_S = 30;

/**
 * A service killed between its database write and its event publish loses that event. The system
 * of record still has the fact, so the trail is repaired from it: a finished lead without a
 * `finished` event, a lead without `received`, a post attempt without `post_attempted`/`posted`. Same
 * ids as the originals, so a late original (or another replica) changes nothing.
 */
@Injectable()
export class TrailRepairSweeper extends PeriodicTask {
  private readonly logger = new Logger(TrailRepairSweeper.name);
  /** Leads received before this were checked for `received` already (the database's clock); null: from LOOK_BACK_H. */
  private receivedCheckedUntil: Date | null = null;

  constructor(private readonly ds: DataSource) {
    super(SWEEP_EVERY_MS);
  }

  protected run(): Promise<unknown> {
    return this.sweep();
  }

  async sweep(settleSeconds = SETTLE_S): Promise<number> {
    try {
      const finished = (await this.ds.query(
        `INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
         SELECT l.id || ':finished', l.id, 'finished', 'audit', l.updated_at, NULL, NULL,
                coalesce(l.decision, jsonb_build_object('state', l.state)) || '{"repaired": true}'::jsonb
         FROM leads l
         WHERE l.state = ANY($1::text[]) AND l.updated_at < now() - make_interval(secs => $2)
           AND l.updated_at > now() - make_interval(hours => $3)
           AND l.received_at > now() - make_interval(hours => $3 + $4)
           AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = l.id || ':finished')
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [TERMINAL_LEAD_STATES, settleSeconds, LOOK_BACK_H, DECIDED_WITHIN_H],
      )) as unknown[];
      const attempted = (await this.ds.query(
        `INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
         SELECT a.lead_id || ':post_attempted:' || a.channel_id, a.lead_id, 'post_attempted', 'audit', a.attempted_at,
                a.tier_index, a.channel_id, jsonb_build_object('price', a.price, 'repaired', true)
         FROM post_attempts a
         WHERE a.attempted_at < now() - make_interval(secs => $1) AND a.attempted_at > now() - make_interval(hours => $2)
           AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = a.lead_id || ':post_attempted:' || a.channel_id)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [settleSeconds, LOOK_BACK_H],
      )) as unknown[];
      const posted = (await this.ds.query(
        `INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
         SELECT a.lead_id || ':posted:' || a.channel_id, a.lead_id, 'posted', 'audit', coalesce(a.answered_at, a.attempted_at),
                a.tier_index, a.channel_id,
                jsonb_build_object('outcome', a.state, 'price', a.price, 'reason', a.reason, 'repaired', true)
         FROM post_attempts a
         WHERE a.state <> 'attempted' AND a.attempted_at < now() - make_interval(secs => $1)
           AND a.attempted_at > now() - make_interval(hours => $2)
           AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = a.lead_id || ':posted:' || a.channel_id)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [settleSeconds, LOOK_BACK_H],
      )) as unknown[];
      const received = await this.repairReceived(settleSeconds);
      const repaired = finished.length + received + attempted.length + posted.length;
      if (repaired > 0) this.logger.warn(`repaired ${repaired} trail events from the system of record`);
      return repaired;
    } catch (error) {
      this.logger.warn(`trail repair failed: ${String(error)}`);
      return 0;
    }
  }
  /**
   * The gateway gathers `received` in its batch window (ADR 0010). Only leads received since the last
   * sweep are checked, so the cost follows the lead rate, not the table's size.
   */
  private async repairReceived(settleSeconds: number): Promise<number> {
    const from = this.receivedCheckedUntil ? new Date(this.receivedCheckedUntil.getTime() - RECEIVED_OVERLAP_S * 1000) : null;
    const [result] = (await this.ds.query(
      `WITH bound AS (SELECT now() - make_interval(secs => $1) AS until),
       repaired AS (
         INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
         SELECT l.id || ':received', l.id, 'received', 'audit', l.received_at, NULL, NULL,
                jsonb_build_object('campaign', c.key, 'supplierId', l.supplier_id,
                  'tmaxMs', round(extract(epoch from l.deadline_at - l.received_at) * 1000)::int,
                  'lead', l.ping_lead, 'repaired', true)
         FROM leads l JOIN campaigns c ON c.id = l.campaign_id
         WHERE l.received_at < (SELECT until FROM bound)
           AND l.received_at > coalesce($2::timestamptz, now() - make_interval(hours => $3))
           AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = l.id || ':received')
         ON CONFLICT (id) DO NOTHING RETURNING id)
       SELECT (SELECT until FROM bound) AS until, (SELECT count(*) FROM repaired)::int AS repaired`,
      [settleSeconds, from, LOOK_BACK_H],
    )) as Array<{ until: Date; repaired: number }>;
    this.receivedCheckedUntil = result!.until;
    return result!.repaired;
  }
}
