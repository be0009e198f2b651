import { ensureNats, ensurePostgres, type NatsHandle, type PostgresHandle } from '../../../tools/infra/local-infra';

/**
 * Jest globalSetup: real NATS and PostgreSQL for the whole run, reused when they answer and
 * started from the machine's binaries otherwise. Workers read the URLs from the environment.
 */
export default async function globalSetup(): Promise<void> {
  const nats = await ensureNats();
  const postgres = await ensurePostgres();
  process.env['PINGTREE_TEST_NATS_URL'] = nats.url;
  process.env['PINGTREE_TEST_PG_ADMIN_URL'] = postgres.adminUrl;
  (globalThis as { __pingtreeInfra?: Array<NatsHandle | PostgresHandle> }).__pingtreeInfra = [nats, postgres];
}
