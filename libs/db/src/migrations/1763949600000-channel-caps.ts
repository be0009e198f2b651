import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Caps per channel. One row per channel, period and window (window_start is the buyer's local hour,
 * midnight, Monday or 1st of the month, as an instant): leads and money reserved at selection and
 * used by accepted posts. A reservation remembers its windows so commit and release touch exactly
 * those rows, even after the window rolled over.
 */
export class ChannelCaps1763949600000 implements MigrationInterface {
  name = 'ChannelCaps1763949600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE channel_cap_windows (
      channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
      period text NOT NULL CHECK (period IN ('hour', 'day', 'week', 'month')),
      window_start timestamptz NOT NULL,
      used_count int NOT NULL DEFAULT 0 CHECK (used_count >= 0),
      reserved_count int NOT NULL DEFAULT 0 CHECK (reserved_count >= 0),
      used_spend numeric(14,2) NOT NULL DEFAULT 0 CHECK (used_spend >= 0),
      reserved_spend numeric(14,2) NOT NULL DEFAULT 0 CHECK (reserved_spend >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (channel_id, period, window_start))`);
    await q.query(`CREATE TABLE cap_reservations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      lead_id uuid NOT NULL REFERENCES leads(id),
      channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
      price numeric(12,2) NOT NULL,
      periods text[] NOT NULL,
      window_starts timestamptz[] NOT NULL,
      state text NOT NULL CHECK (state IN ('reserved', 'committed', 'released')),
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      settled_at timestamptz,
      UNIQUE (lead_id, channel_id))`);
    await q.query(`CREATE INDEX cap_reservations_due ON cap_reservations (expires_at) WHERE state = 'reserved'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS cap_reservations`);
    await q.query(`DROP TABLE IF EXISTS channel_cap_windows`);
  }
}
