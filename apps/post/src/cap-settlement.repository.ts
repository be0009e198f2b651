import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

type ReservationState = 'reserved' | 'committed' | 'released';

/** How a settlement moves a reservation and its windows' counters. */
interface Move {
  from: ReservationState;
  to: ReservationState;
  /** Added to reserved_count / reserved_spend (times the reservations' count and price). */
  reserved: -1 | 0;
  /** Added to used_count / used_spend. */
  used: -1 | 0 | 1;
}

const COMMIT: Move = { from: 'reserved', to: 'committed', reserved: -1, used: 1 };
const RELEASE: Move = { from: 'reserved', to: 'released', reserved: -1, used: 0 };
/** The buyer accepted after the reservation was released (expired): the sale still counts. */
const LATE_COMMIT: Move = { from: 'released', to: 'committed', reserved: 0, used: 1 };
/** An operator learned that a post the sweeper counted as a sale (its answer was unknown) did not sell. */
const UNCOMMIT: Move = { from: 'committed', to: 'released', reserved: 0, used: -1 };

/**
 * One statement per settlement: the reservations change state (only from `move.from`, so a
 * settlement happens once however many replicas try), and their windows' counters move in the
 * same statement. Window rows are locked in key order first so settlements never deadlock.
 * `picked` is a SELECT of reservation ids; it is built here from fixed text, never from input.
 */
function settleSql(move: Move, picked: string): string {
  return `
WITH settled AS (
  UPDATE cap_reservations r SET state = '${move.to}', settled_at = now()
  WHERE r.id IN (${picked}) AND r.state = '${move.from}'
  RETURNING r.channel_id, r.price, r.periods, r.window_starts
),
per_window AS (
  SELECT s.channel_id, x.period, x.window_start, count(*)::int AS n, sum(s.price) AS spend
  FROM settled s, unnest(s.periods, s.window_starts) AS x(period, window_start)
  GROUP BY s.channel_id, x.period, x.window_start
),
locked AS (
  SELECT w.channel_id, w.period, w.window_start FROM channel_cap_windows w
  JOIN per_window p USING (channel_id, period, window_start)
  ORDER BY w.channel_id, w.period, w.window_start
  FOR UPDATE OF w
),
moved AS (
  UPDATE channel_cap_windows w
  SET reserved_count = w.reserved_count + ${move.reserved} * p.n,
      reserved_spend = w.reserved_spend + ${move.reserved} * p.spend,
      used_count = w.used_count + ${move.used} * p.n,
      used_spend = w.used_spend + ${move.used} * p.spend,
      updated_at = now()
  FROM locked l JOIN per_window p USING (channel_id, period, window_start)
  WHERE w.channel_id = l.channel_id AND w.period = l.period AND w.window_start = l.window_start
  RETURNING 1
)
SELECT (SELECT count(*) FROM settled)::int AS settled, (SELECT count(*) FROM moved)::int AS windows`;
}

const FOR_LEAD = `SELECT id FROM cap_reservations WHERE lead_id = $1 AND channel_id = ANY($2::uuid[])`;
/**
 * Expired reservations, a batch at a time; SKIP LOCKED lets replicas sweep side by side. A post
 * that was accepted, or went out with no known answer (the buyer may have bought), keeps its room:
 * counting a sale that didn't happen is safe, selling past the cap is not.
 */
const EXPIRED = (postMayHaveSold: boolean) => `
  SELECT r.id FROM cap_reservations r
  WHERE r.state = 'reserved' AND r.expires_at < now()
    AND ${postMayHaveSold ? '' : 'NOT '}EXISTS (
      SELECT 1 FROM post_attempts a WHERE a.lead_id = r.lead_id AND a.channel_id = r.channel_id
        AND a.state IN ('accepted', 'attempted', 'timeout', 'pending', 'callback_timeout'))
  ORDER BY r.expires_at LIMIT $1 FOR UPDATE OF r SKIP LOCKED`;

/** Commits and releases cap reservations made at selection by the auction service. */
@Injectable()
export class CapSettlementRepository {
  constructor(private readonly ds: DataSource) {}

  /** The post was accepted: reserved becomes used. Counted even if the reservation had already expired. */
  async commit(leadId: string, channelId: string): Promise<void> {
    if ((await this.settle(COMMIT, FOR_LEAD, [leadId, [channelId]])) === 0) {
      await this.settle(LATE_COMMIT, FOR_LEAD, [leadId, [channelId]]);
    }
  }

  /** The post failed or never happened: the room goes back to the channel. */
  async release(leadId: string, channelIds: string[]): Promise<number> {
    if (channelIds.length === 0) return 0;
    return this.settle(RELEASE, FOR_LEAD, [leadId, channelIds]);
  }

  /**
   * The post did not sell after all (reconciliation): its room goes back, whether still reserved or
   * already counted as used because the answer was unknown when the reservation expired.
   */
  async unsell(leadId: string, channelId: string): Promise<void> {
    if ((await this.release(leadId, [channelId])) === 0) await this.settle(UNCOMMIT, FOR_LEAD, [leadId, [channelId]]);
  }

  /**
   * Settles reservations past their expiry (the post service died, or a choice offer was never
   * picked): committed if the post to that channel was accepted, otherwise released.
   */
  async settleExpired(batch: number): Promise<{ committed: number; released: number }> {
    const committed = await this.settle(COMMIT, EXPIRED(true), [batch]);
    const released = await this.settle(RELEASE, EXPIRED(false), [batch]);
    return { committed, released };
  }

  private async settle(move: Move, picked: string, params: unknown[]): Promise<number> {
    const [row] = (await this.ds.query(settleSql(move, picked), params)) as Array<{ settled: number }>;
    return row?.settled ?? 0;
  }
}
