import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * lead_events keeps only the indexes its queries use: the event id key (idempotent inserts) and
 * (lead_id, at) (a lead's trail; reports and lead search join by lead). No query filters events by
 * type and time alone, so (type, at) only cost every insert of the audit trail an index entry.
 */
export class LeadEventsLeanIndexes1763982000000 implements MigrationInterface {
  name = 'LeadEventsLeanIndexes1763982000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS lead_events_type_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS lead_events_type_at ON lead_events (type, at)`);
  }
}
