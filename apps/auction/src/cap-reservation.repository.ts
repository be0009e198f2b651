import { Injectable } from '@nestjs/common';
import type { CapPeriod } from '@pingtree/contracts';
import { DataSource } from 'typeorm';

/** One window a reservation must fit in, with the limits in force now (null: no limit of that kind). */
export interface CapWindow {
  period: CapPeriod;
  /** Epoch ms of the window's local start. */
  start: number;
  countLimit: number | null;
  spendLimit: number | null;
}

export interface ReservationRequest {
  leadId: string;
  channelId: string;
  price: number;
  windows: CapWindow[];
  expiresAt: number;
}

/** Reserved, or refused with the windows that are full. */
export type ReservationResult = { reserved: true } | { reserved: false; fullPeriods: CapPeriod[] };

/**
 * Reserves one lead and its price in every window of a channel with ONE statement: it locks the
 * channel's window rows (in key order, so concurrent reservations never deadlock), checks them
 * all against the limits, and only if every window has room adds to `reserved` and records the
 * reservation. There is no read-then-write gap for another replica to slip into.
 */
const RESERVE_SQL = `
WITH wanted AS (
  SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::int[], $6::numeric[])
    AS t(period, window_start, count_limit, spend_limit)
),
locked AS (
  SELECT w.period, w.used_count, w.reserved_count, w.used_spend, w.reserved_spend, wanted.count_limit, wanted.spend_limit
  FROM channel_cap_windows w
  JOIN wanted ON w.period = wanted.period AND w.window_start = wanted.window_start
  WHERE w.channel_id = $1
  ORDER BY w.period, w.window_start
  FOR UPDATE OF w
),
full_windows AS (
  SELECT period FROM locked
  WHERE (count_limit IS NOT NULL AND used_count + reserved_count + 1 > count_limit)
     OR (spend_limit IS NOT NULL AND used_spend + reserved_spend + $7::numeric > spend_limit)
),
held AS (
  -- The same lead and channel already holding (a repeated request) is not reserved twice.
  SELECT state FROM cap_reservations WHERE lead_id = $2 AND channel_id = $1 AND state <> 'released'
),
verdict AS (
  SELECT (SELECT count(*) FROM locked) = cardinality($3::text[])
     AND NOT EXISTS (SELECT 1 FROM full_windows)
     AND NOT EXISTS (SELECT 1 FROM held) AS ok
),
bumped AS (
  UPDATE channel_cap_windows w
  SET reserved_count = w.reserved_count + 1, reserved_spend = w.reserved_spend + $7::numeric, updated_at = now()
  FROM wanted
  WHERE w.channel_id = $1 AND w.period = wanted.period AND w.window_start = wanted.window_start
    AND (SELECT ok FROM verdict)
  RETURNING w.period
),
reservation AS (
  INSERT INTO cap_reservations (lead_id, channel_id, price, periods, window_starts, state, expires_at)
  SELECT $2, $1, $7::numeric, $3::text[], $4::timestamptz[], 'reserved', $8
  WHERE (SELECT ok FROM verdict)
  ON CONFLICT (lead_id, channel_id) DO UPDATE
    SET price = EXCLUDED.price, periods = EXCLUDED.periods, window_starts = EXCLUDED.window_starts,
        state = 'reserved', expires_at = EXCLUDED.expires_at, created_at = now(), settled_at = NULL
    WHERE cap_reservations.state = 'released'
  RETURNING id
)
SELECT (SELECT ok FROM verdict) AS ok,
       (SELECT count(*) FROM locked)::int AS present,
       (SELECT count(*) FROM bumped)::int AS bumped,
       ARRAY(SELECT period FROM full_windows ORDER BY period) AS full_periods,
       EXISTS (SELECT 1 FROM held) AS already_held`;

/** Window rows are created empty on first use; ON CONFLICT makes this safe from any replica. */
const ENSURE_WINDOWS_SQL = `
INSERT INTO channel_cap_windows (channel_id, period, window_start)
SELECT $1, period, window_start FROM unnest($2::text[], $3::timestamptz[]) AS t(period, window_start)
ON CONFLICT DO NOTHING`;

interface ReserveRow {
  ok: boolean;
  present: number;
  bumped: number;
  full_periods: CapPeriod[];
  already_held: boolean;
}

@Injectable()
export class CapReservationRepository {
  /** Windows known to exist, so the common case is a single statement. */
  private readonly knownWindows = new Set<string>();

  constructor(private readonly ds: DataSource) {}

  async reserve(req: ReservationRequest): Promise<ReservationResult> {
    if (!this.allKnown(req)) await this.ensureWindows(req);
    let row = await this.tryReserve(req);
    if (row.present < req.windows.length) {
      // A window we thought existed is gone (or a new one began): create it and try once more.
      await this.ensureWindows(req);
      row = await this.tryReserve(req);
    }
    if (row.already_held) return { reserved: true };
    if (row.ok) return { reserved: true };
    if (row.full_periods.length === 0) throw new Error(`cap windows of channel ${req.channelId} could not be created`);
    return { reserved: false, fullPeriods: row.full_periods };
  }

  private async tryReserve(req: ReservationRequest): Promise<ReserveRow> {
    const [row] = (await this.ds.query(RESERVE_SQL, [
      req.channelId,
      req.leadId,
      req.windows.map((w) => w.period),
      req.windows.map((w) => new Date(w.start)),
      req.windows.map((w) => w.countLimit),
      req.windows.map((w) => w.spendLimit),
      req.price,
      new Date(req.expiresAt),
    ])) as ReserveRow[];
    return row!;
  }

  private async ensureWindows(req: ReservationRequest): Promise<void> {
    await this.ds.query(ENSURE_WINDOWS_SQL, [
      req.channelId,
      req.windows.map((w) => w.period),
      req.windows.map((w) => new Date(w.start)),
    ]);
    // Old windows are never asked for again; forgetting them all now and then keeps the set small.
    if (this.knownWindows.size > 10_000) this.knownWindows.clear();
    for (const w of req.windows) this.knownWindows.add(windowKey(req.channelId, w));
  }

  private allKnown(req: ReservationRequest): boolean {
    return req.windows.every((w) => this.knownWindows.has(windowKey(req.channelId, w)));
  }
}

function windowKey(channelId: string, w: CapWindow): string {
  return `${channelId}:${w.period}:${w.start}`;
}
