import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Circuit breaker state per channel: written on transitions only, read by replicas and the admin API. */
export class ChannelCircuits1763938800000 implements MigrationInterface {
  name = 'ChannelCircuits1763938800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE channel_circuits (
      channel_id uuid PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
      state text NOT NULL,
      reason text,
      opened_at timestamptz,
      retry_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS channel_circuits`);
  }
}
