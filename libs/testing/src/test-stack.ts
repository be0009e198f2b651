import type { DynamicModule } from '@nestjs/common';
import { AuctionModule } from '../../../apps/auction/src/auction.module';
import { AuditModule } from '../../../apps/audit/src/audit.module';
import { FilterModule } from '../../../apps/filter/src/filter.module';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';
import { PingModule } from '../../../apps/ping/src/ping.module';
import { PostModule } from '../../../apps/post/src/post.module';
import { CatalogService } from '@pingtree/catalog';
import type { ServiceName } from '@pingtree/contracts';
import { generateEncryptionKey } from '@pingtree/crypto';
import { createDataSource } from '@pingtree/db';
import { startTelemetry } from '@pingtree/telemetry';
import { envSchema, startService, type Env, type RunningService } from '@pingtree/runtime';
import type { DataSource } from 'typeorm';
import { createTestDatabase, testNatsUrl, uniqueNamespace, type TestDatabase } from './test-infra';

const MODULES: Record<ServiceName, (env: Env) => DynamicModule> = {
  gateway: (env) => GatewayModule.forRoot(env),
  filter: (env) => FilterModule.forRoot(env),
  ping: (env) => PingModule.forRoot(env),
  auction: (env) => AuctionModule.forRoot(env),
  post: (env) => PostModule.forRoot(env),
  audit: (env) => AuditModule.forRoot(env),
};

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestStack {
  env: Env;
  db: TestDatabase;
  /** A DataSource for the test itself (seeding, assertions). */
  ds: DataSource;
  services: Map<ServiceName, RunningService[]>;
  gatewayUrl: string;
  start(service: ServiceName): Promise<RunningService>;
  stop(service: ServiceName): Promise<void>;
  /** Makes every running service reload business config now (tests seed after boot). */
  reloadConfig(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The platform on loopback for integration tests: a fresh database, a unique NATS namespace and
 * each service as its own Nest app (own NATS connection, own pool), as in production.
 */
export async function startTestStack(
  options: {
    services?: ServiceName[];
    replicas?: Partial<Record<ServiceName, number>>;
    /** Environment overrides, e.g. a low GATEWAY_MAX_LEADS_IN_FLIGHT. */
    env?: Record<string, string | number>;
  } = {},
): Promise<TestStack> {
  startTelemetry('test-stack');
  const db = await createTestDatabase();
  // Contact data and buyer secrets are encrypted at rest: a generated test key for this process
  // (the services and ConfigStore read it from the environment, as in production).
  process.env['PINGTREE_ENCRYPTION_KEYS'] ??= generateEncryptionKey('test');
  // Test buyers (buyer-sim, local servers) listen on loopback, which production refuses by default.
  process.env['PINGTREE_ALLOW_PRIVATE_BUYER_URLS'] ??= 'true';
  const env = envSchema.parse({
    NATS_URL: testNatsUrl(),
    PINGTREE_ENCRYPTION_KEYS: process.env['PINGTREE_ENCRYPTION_KEYS'],
    PINGTREE_ALLOW_PRIVATE_BUYER_URLS: process.env['PINGTREE_ALLOW_PRIVATE_BUYER_URLS'],
    DATABASE_URL: db.url,
    PINGTREE_NAMESPACE: uniqueNamespace(),
    HTTP_PORT: 0,
    ADMIN_API_KEY: ADMIN_KEY,
    // Two test files run at once against one PostgreSQL: keep every service's pool small.
    DATABASE_POOL_SIZE: 4,
    LOG_LEVEL: process.env['PINGTREE_TEST_LOG_LEVEL'] ?? 'error',
    // Jest runs the services in its own process, where compiling and other suites stall the loop
    // and slow every lead: shed load on lag or queueing only in the tests that set a limit.
    GATEWAY_MAX_EVENT_LOOP_LAG_MS: 60_000,
    GATEWAY_MAX_QUEUE_DELAY_MS: 60_000,
    ...options.env,
  });
  const ds = await createDataSource(db.url, { poolSize: 5, applicationName: 'pingtree-test' }).initialize();
  const services = new Map<ServiceName, RunningService[]>();
  const start = async (service: ServiceName): Promise<RunningService> => {
    const running = await startService(service, MODULES[service](env), env);
    services.set(service, [...(services.get(service) ?? []), running]);
    return running;
  };
  const stop = async (service: ServiceName): Promise<void> => {
    await Promise.all((services.get(service) ?? []).map((s) => s.close()));
    services.delete(service);
  };
  const wanted = options.services ?? ['gateway', 'filter', 'ping', 'auction', 'post', 'audit'];
  for (const service of wanted) {
    for (let i = 0; i < (options.replicas?.[service] ?? 1); i++) {
      const running = await start(service);
      // Buyers' async-post callbacks go to the first gateway; later services read it from env.
      if (service === 'gateway' && !env.PINGTREE_PUBLIC_URL) env.PINGTREE_PUBLIC_URL = running.url;
    }
  }
  const gateway = services.get('gateway')?.[0];
  return {
    env,
    db,
    ds,
    services,
    gatewayUrl: gateway?.url ?? '',
    start,
    stop,
    async reloadConfig() {
      const withCatalog = [...services.entries()].filter(([name]) => name !== 'audit').flatMap(([, running]) => running);
      await Promise.all(withCatalog.map((s) => s.app.get(CatalogService, { strict: false }).reload()));
    },
    async close() {
      for (const service of [...services.keys()]) await stop(service);
      await ds.destroy();
      await db.drop();
    },
  };
}
