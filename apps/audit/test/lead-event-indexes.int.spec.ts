import { createDataSource } from '@pingtree/db';
import { createTestDatabase, type TestDatabase } from '@pingtree/testing';
import type { DataSource } from 'typeorm';
import { LeadEventsLeanIndexes1763982000000 } from '../../../libs/db/src/migrations/1763982000000-lead-events-lean-indexes';

/** The audit trail's table carries only the indexes its queries use; each one costs every insert. */
describe('lead_events indexes (migration LeadEventsLeanIndexes)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  const indexes = async (): Promise<string[]> =>
    (
      (await ds.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'lead_events' ORDER BY 1`)) as Array<{
        indexname: string;
      }>
    ).map((r) => r.indexname);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, { poolSize: 2 });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('leaves the event id key and the trail index after every migration', async () => {
    expect(await indexes()).toEqual(['lead_events_lead_at', 'lead_events_pkey']);
  });

  it('reverts to the (type, at) index and applies again', async () => {
    const migration = new LeadEventsLeanIndexes1763982000000();
    const runner = ds.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await indexes()).toEqual(['lead_events_lead_at', 'lead_events_pkey', 'lead_events_type_at']);
      await migration.up(runner);
      expect(await indexes()).toEqual(['lead_events_lead_at', 'lead_events_pkey']);
    } finally {
      await runner.release();
    }
  });
});
