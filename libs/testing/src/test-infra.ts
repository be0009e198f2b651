import { randomBytes } from 'node:crypto';
import { runMigrations } from '@pingtree/db';
import { createDatabase, dropDatabase } from '../../../tools/infra/local-infra';

export function testNatsUrl(): string {
  return process.env['PINGTREE_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
}

function adminUrl(): string {
  return process.env['PINGTREE_TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** A unique namespace, so this run's subjects and streams don't meet any other stack's. */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database with every migration applied. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `pingtree_test_${randomBytes(6).toString('hex')}`;
  const url = await createDatabase(adminUrl(), name);
  await runMigrations(url);
  return { url, drop: () => dropDatabase(adminUrl(), name) };
}
