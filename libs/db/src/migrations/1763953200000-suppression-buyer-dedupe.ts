import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suppression lists (hashes of normalised phones and emails, scoped global, per campaign or per
 * buyer), per-buyer sales for "don't sell the same consumer to the same buyer within N days", the
 * lead's identity hashes on its row (so the post service can record a sale without contact data),
 * and supplier-level filter rules.
 */
export class SuppressionBuyerDedupe1763953200000 implements MigrationInterface {
  name = 'SuppressionBuyerDedupe1763953200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE suppression_lists (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE,
      kind text NOT NULL,
      scope text NOT NULL CHECK (scope IN ('global', 'campaign', 'buyer')),
      campaign_id uuid REFERENCES campaigns(id) ON DELETE CASCADE,
      buyer_id uuid REFERENCES buyers(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((scope = 'campaign') = (campaign_id IS NOT NULL)),
      CHECK ((scope = 'buyer') = (buyer_id IS NOT NULL)))`);
    // Key hash first: the filter looks a lead's hashes up across every list at once.
    await q.query(`CREATE TABLE suppression_entries (
      key_hash text NOT NULL,
      list_id uuid NOT NULL REFERENCES suppression_lists(id) ON DELETE CASCADE,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (key_hash, list_id))`);
    await q.query(`CREATE INDEX suppression_entries_list ON suppression_entries (list_id)`);
    await q.query(`CREATE TABLE buyer_sales (
      buyer_id uuid NOT NULL REFERENCES buyers(id) ON DELETE CASCADE,
      key_hash text NOT NULL,
      lead_id uuid NOT NULL,
      sold_at timestamptz NOT NULL,
      PRIMARY KEY (buyer_id, key_hash))`);
    await q.query(`ALTER TABLE leads ADD COLUMN dedupe_key_hashes text[]`);
    await q.query(`ALTER TABLE suppliers ADD COLUMN filters jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE suppliers DROP COLUMN IF EXISTS filters`);
    await q.query(`ALTER TABLE leads DROP COLUMN IF EXISTS dedupe_key_hashes`);
    await q.query(`DROP TABLE IF EXISTS buyer_sales`);
    await q.query(`DROP TABLE IF EXISTS suppression_entries`);
    await q.query(`DROP TABLE IF EXISTS suppression_lists`);
  }
}
