import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A buyer disputes a lead it bought: revenue goes back and the channel's ranking learns from it. */
export class LeadReturns1763964000000 implements MigrationInterface {
  name = 'LeadReturns1763964000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE lead_returns (
      lead_id uuid NOT NULL REFERENCES leads(id),
      channel_id uuid NOT NULL REFERENCES channels(id),
      reason text NOT NULL,
      amount numeric(12,2) NOT NULL,
      returned_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (lead_id, channel_id))`);
    await q.query(`CREATE INDEX lead_events_type_at ON lead_events (type, at)`);
    await q.query(`CREATE INDEX leads_received_at ON leads (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS leads_received_at`);
    await q.query(`DROP INDEX IF EXISTS lead_events_type_at`);
    await q.query(`DROP TABLE IF EXISTS lead_returns`);
  }
}
