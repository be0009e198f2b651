import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotent intake: a partner's retry (same Idempotency-Key or supplier lead id) gets the first answer. */
export class IntakeKeys1763967600000 implements MigrationInterface {
  name = 'IntakeKeys1763967600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE intake_keys (
      supplier_id uuid NOT NULL,
      key text NOT NULL,
      lead_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (supplier_id, key))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS intake_keys`);
  }
}
