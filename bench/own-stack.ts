import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AUDIT_DURABLE, leadEventsStreamName, SERVICES, type ServiceName } from '@pingtree/contracts';
import { runMigrations } from '@pingtree/db';
import { createDatabase, dropDatabase, ensureNats, ensurePostgres } from '../tools/infra/local-infra';
import type { BenchFlags } from './flags';
import { DIST, freePort, spawnNode, stopProcess, waitForHttp, type BenchProcess } from './processes';

/** What the bench drives and measures, whether it started it or found it running. */
export interface Stack {
  gatewayUrls: string[];
  simUrl: string;
  adminKey: string;
  /** Every process whose /metrics the bench scrapes, plus buyer-sim (no /metrics: read from /proc). */
  services: Array<{ name: string; group: string; url: string; pid?: number }>;
  buyerSimPid?: number;
  /** Own stack only: where its PostgreSQL backends and NATS come from. */
  own?: {
    namespace: string;
    databaseName: string;
    pgAdminUrl: string;
    natsUrl: string;
    nc: NatsConnection;
  };
  close(): Promise<void>;
}

/** The profiler preload for --cpu-prof, and the file it writes. */
export interface ProfileTarget {
  service: ServiceName | 'buyer-sim';
  file: string;
}

const BOOT_ORDER: ServiceName[] = ['filter', 'ping', 'auction', 'post', 'audit', 'gateway'];

/**
 * Our own platform: a fresh database on the local PostgreSQL, a unique namespace on the local NATS,
 * buyer-sim with recording off and every service as its own process (`--replicas` of each, in queue groups).
 */
export async function startOwnStack(flags: BenchFlags, runId: string, profile?: ProfileTarget): Promise<Stack> {
  const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);
  const logDir = path.join(flags.out, 'logs', runId);
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => log(`cleanup: ${String(e)}`));
  };
  try {
    const nats = await ensureNats({ log });
    if (nats.started) cleanups.push(() => nats.stop());
    const pg = await ensurePostgres({ log });
    if (pg.started) cleanups.push(() => pg.stop());

    const suffix = randomBytes(4).toString('hex');
    const namespace = `bench${suffix}`;
    const databaseName = `pingtree_bench_${suffix}`;
    const databaseUrl = await createDatabase(pg.adminUrl, databaseName);
    if (!flags.keep) cleanups.push(() => dropDatabase(pg.adminUrl, databaseName));
    await runMigrations(databaseUrl);
    const nc = await connect({ servers: nats.url.split(','), name: `bench-${namespace}` });
    cleanups.push(async () => {
      if (!flags.keep) await deleteStream(nc, namespace);
      await nc.close();
    });
    log(`database ${databaseName}, NATS namespace ${namespace}, service logs in ${path.relative(process.cwd(), logDir)}/`);

    const procs: BenchProcess[] = [];
    // If the bench dies before it can clean up, its services must not outlive it.
    const killLeftovers = () =>
      procs.forEach((p) => p.child.exitCode === null && p.child.signalCode === null && p.child.kill('SIGTERM'));
    process.once('exit', killLeftovers);
    cleanups.push(async () => {
      // Gateways first, so no new journeys start while the services behind them stop.
      const gateways = procs.filter((p) => p.group === 'gateway');
      await Promise.all(gateways.map((p) => stopProcess(p)));
      await Promise.all(procs.filter((p) => p.group !== 'gateway').map((p) => stopProcess(p)));
    });

    const simPort = await freePort();
    const sim = spawnNode({
      name: 'buyer-sim',
      group: 'buyer-sim',
      script: 'apps/buyer-sim/src/main.js',
      port: simPort,
      env: {
        BUYER_SIM_PORT: String(simPort),
        BUYER_SIM_HOST: '127.0.0.1',
        BUYER_SIM_RECORD: 'false',
        ...(profile?.service === 'buyer-sim' && { BENCH_PROFILE_FILE: profile.file }),
      },
      logDir,
      ...(profile?.service === 'buyer-sim' && { nodeArgs: ['-r', path.join(DIST, 'bench', 'profile-hook.js')] }),
    });
    procs.push(sim);

    const adminKey = `bench-admin-${randomBytes(12).toString('hex')}`;
    const ports = new Map<string, number>();
    for (const service of BOOT_ORDER) {
      for (let replica = 1; replica <= flags.replicas; replica++) ports.set(`${service}#${replica}`, await freePort());
    }
    const common: NodeJS.ProcessEnv = {
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      PINGTREE_NAMESPACE: namespace,
      HTTP_HOST: '127.0.0.1',
      ADMIN_API_KEY: adminKey,
      // A throwaway key for this run's throwaway database, unless the caller gives one.
      PINGTREE_ENCRYPTION_KEYS: process.env['PINGTREE_ENCRYPTION_KEYS'] ?? `bench:${randomBytes(32).toString('base64')}`,
      // The simulated buyers listen on 127.0.0.1.
      PINGTREE_ALLOW_PRIVATE_BUYER_URLS: 'true',
      PINGTREE_PUBLIC_URL: `http://127.0.0.1:${ports.get('gateway#1')!}`,
      ...(flags.dbPool !== undefined && { DATABASE_POOL_SIZE: String(flags.dbPool) }),
      ...(flags.logLevel !== undefined && { LOG_LEVEL: flags.logLevel }),
    };
    for (const service of BOOT_ORDER) {
      for (let replica = 1; replica <= flags.replicas; replica++) {
        const port = ports.get(`${service}#${replica}`)!;
        const profiled = profile?.service === service && replica === 1;
        procs.push(
          spawnNode({
            name: `${service}#${replica}`,
            group: service,
            script: `apps/${service}/src/main.js`,
            port,
            env: { ...common, HTTP_PORT: String(port), ...(profiled && { BENCH_PROFILE_FILE: profile.file }) },
            logDir,
            ...(profiled && { nodeArgs: ['-r', path.join(DIST, 'bench', 'profile-hook.js')] }),
          }),
        );
      }
    }
    await waitForHttp(sim, '/_sim/buyers');
    await Promise.all(procs.filter((p) => p !== sim).map((p) => waitForHttp(p, '/health/ready', 60_000)));
    const services = procs.filter((p) => p !== sim);
    log(`started buyer-sim and ${services.length} service processes (${flags.replicas} of each of ${SERVICES.length})`);
    return {
      gatewayUrls: services.filter((p) => p.group === 'gateway').map((p) => p.url),
      simUrl: sim.url,
      adminKey,
      services: services.map((p) => ({ name: p.name, group: p.group, url: p.url, pid: p.pid })),
      buyerSimPid: sim.pid,
      own: { namespace, databaseName, pgAdminUrl: pg.adminUrl, natsUrl: nats.url, nc },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Messages the audit consumer has not yet stored (pending + unacknowledged): how far the trail lags. */
export async function auditBacklog(nc: NatsConnection, namespace: string): Promise<number | null> {
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.consumers.info(leadEventsStreamName(namespace), AUDIT_DURABLE);
    return info.num_pending + info.num_ack_pending;
  } catch {
    return null;
  }
}

async function deleteStream(nc: NatsConnection, namespace: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(leadEventsStreamName(namespace)).catch(() => false);
}
