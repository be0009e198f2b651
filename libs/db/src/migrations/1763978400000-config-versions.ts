import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versions of trees and channels: every saved change is a row with its author, time and the full
 * configuration, so a change can be diffed and rolled back. Existing records start at version 1.
 * Also a GIN index on the lead's identity hashes: admins find a lead by phone or email hash.
 */
export class ConfigVersions1763978400000 implements MigrationInterface {
  name = 'ConfigVersions1763978400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE config_versions (
      entity_type text NOT NULL CHECK (entity_type IN ('tree', 'channel')),
      entity_id uuid NOT NULL,
      version int NOT NULL CHECK (version >= 1),
      author text NOT NULL,
      note text,
      config jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (entity_type, entity_id, version))`);
    await q.query(`INSERT INTO config_versions (entity_type, entity_id, version, author, note, config)
      SELECT 'tree', id, 1, 'migration', 'as it was before versioning', config FROM trees`);
    await q.query(`INSERT INTO config_versions (entity_type, entity_id, version, author, note, config)
      SELECT 'channel', id, 1, 'migration', 'as it was before versioning', config FROM channels`);
    await q.query(`CREATE INDEX leads_dedupe_key_hashes ON leads USING gin (dedupe_key_hashes)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS leads_dedupe_key_hashes`);
    await q.query(`DROP TABLE IF EXISTS config_versions`);
  }
}
