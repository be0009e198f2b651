import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lead's decision (state, decision, updated_at, lifecycle) becomes a HOT update: PostgreSQL
 * writes the new row version on the same page and no entry into any index of `leads`. For that, no
 * index covers a column the decision changes, and inserts leave half of each page free: a stored
 * lead is about 1.5 KB and a decided one about 2 KB (TOAST keeps rows near that), so a page's two
 * or three leads all find room for their decided versions without waiting for the old versions to be
 * pruned, which any open snapshot (a long report, a busy test database) would hold back. With 30%
 * free, only about half the decisions stayed HOT on a busy database.
 *
 * The sweepers found their leads through partial indexes on `state`; they now read `open_leads`,
 * a narrow row per lead that a sweeper may have to close: mid-journey (received, pinging, posting;
 * the interrupted-lead sweeper, by deadline) or offered (the offer-expiry sweeper). The gateway's
 * insert and transition statements keep it in step with the lead. No foreign key: its check would
 * lock the new lead row on every insert, and rows are only written alongside their lead.
 */
export class HotLeadDecisions1763985600000 implements MigrationInterface {
  name = 'HotLeadDecisions1763985600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE open_leads (
      lead_id uuid PRIMARY KEY,
      deadline_at timestamptz NOT NULL,
      offered boolean NOT NULL DEFAULT false)`);
    await q.query(`CREATE INDEX open_leads_due ON open_leads (offered, deadline_at)`);
    await q.query(`INSERT INTO open_leads (lead_id, deadline_at, offered)
      SELECT id, deadline_at, state = 'offered' FROM leads WHERE state IN ('received', 'pinging', 'posting', 'offered')`);
    await q.query(`DROP INDEX IF EXISTS leads_open`);
    await q.query(`DROP INDEX IF EXISTS leads_offered`);
    await q.query(`ALTER TABLE leads SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leads RESET (fillfactor)`);
    await q.query(`CREATE INDEX IF NOT EXISTS leads_offered ON leads (updated_at) WHERE state = 'offered'`);
    await q.query(`CREATE INDEX IF NOT EXISTS leads_open ON leads (deadline_at) WHERE state IN ('received','pinging','posting')`);
    await q.query(`DROP TABLE IF EXISTS open_leads`);
  }
}
