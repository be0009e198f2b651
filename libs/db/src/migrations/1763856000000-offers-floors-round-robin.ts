import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Supplier price floors, supplier payouts per post, choice offers, and round-robin cursors shared by every auction replica. */
export class OffersFloorsRoundRobin1763856000000 implements MigrationInterface {
  name = 'OffersFloorsRoundRobin1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE suppliers ADD COLUMN price_floor numeric(12,2) NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE post_attempts ADD COLUMN payout numeric(12,2)`);
    await q.query(`CREATE TABLE lead_offers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      lead_id uuid NOT NULL REFERENCES leads(id),
      channel_id uuid NOT NULL REFERENCES channels(id),
      tier_index int NOT NULL,
      price numeric(12,2) NOT NULL,
      effective_bid numeric(12,2) NOT NULL,
      payout numeric(12,2) NOT NULL,
      buyer_ref text,
      buyer_name text NOT NULL,
      rank int NOT NULL,
      expires_at timestamptz NOT NULL,
      picked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (lead_id, channel_id))`);
    await q.query(`CREATE TABLE round_robin_cursors (
      tree_id uuid NOT NULL,
      tier_index int NOT NULL,
      position bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (tree_id, tier_index))`);
    await q.query(`CREATE INDEX leads_offered ON leads (updated_at) WHERE state = 'offered'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS leads_offered`);
    await q.query(`DROP TABLE IF EXISTS round_robin_cursors`);
    await q.query(`DROP TABLE IF EXISTS lead_offers`);
    await q.query(`ALTER TABLE post_attempts DROP COLUMN IF EXISTS payout`);
    await q.query(`ALTER TABLE suppliers DROP COLUMN IF EXISTS price_floor`);
  }
}
