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
 * A service killed between its database write and its event publish loses that event. The system
 * of record still has the fact, so the trail is repaired from it: a finished lead without a
 * `finished` event, a post attempt without `post_attempted`/`posted`. Same ids as the originals,
 * so a late original (or another replica) changes nothing.
 */
@Injectable()
export class TrailRepairSweeper extends PeriodicTask {
  private readonly logger = new Logger(TrailRepairSweeper.name);

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
           AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = l.id || ':finished')
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [TERMINAL_LEAD_STATES, settleSeconds, LOOK_BACK_H],
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
      const repaired = finished.length + attempted.length + posted.length;
      if (repaired > 0) this.logger.warn(`repaired ${repaired} trail events from the system of record`);
      return repaired;
    } catch (error) {
      this.logger.warn(`trail repair failed: ${String(error)}`);
      return 0;
    }
  }
}
