import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every state a lead passed through, with its time, kept on the lead itself (no extra row per step). */
export class LeadLifecycle1763960400000 implements MigrationInterface {
  name = 'LeadLifecycle1763960400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leads ADD COLUMN lifecycle jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await q.query(`UPDATE leads SET lifecycle = jsonb_build_array(jsonb_build_object('state', 'received', 'at', received_at))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leads DROP COLUMN IF EXISTS lifecycle`);
  }
}
