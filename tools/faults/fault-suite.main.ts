import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ResponseRules } from '@pingtree/contracts';
import { ENCRYPTION_KEYS_VAR, generateEncryptionKey } from '@pingtree/crypto';
import { createDataSource, runMigrations } from '@pingtree/db';
import { Client } from 'pg';
import { createDatabase } from '../infra/local-infra';
import { BuyerRecorder } from './buyer-recorder';
import { runChecks, type CheckInput } from './checks';
import {
  CAP_TIMEZONE,
  CAPPED_BUYER,
  DAILY_CAP,
  FAULT_BUYERS,
  FAULT_CAMPAIGN,
  FAULT_SUPPLIER_KEY,
  seedFaultCampaign,
} from './fault-campaign';
import { runFaultSchedule } from './fault-schedule';
import { LeadLoad } from './lead-load';
import { sleep, startPrivateNats, startPrivatePostgres } from './private-servers';
import { ServiceProcess, type UnexpectedExit } from './service-processes';
import { reconcileWithBuyers } from './reconcile-with-buyers';
import { waitForSettling } from './settle';
import { SimRequestLog } from './sim-request-log';
import { buildSummary, printSummary } from './summary';

/**
 * `npm run test:faults`: the crash and restart suite. The built platform runs as separate
 * processes against a private nats-server and PostgreSQL, under a steady load of leads, while each
 * service is SIGKILLed and restarted, then NATS, then PostgreSQL. Then it checks that every lead
 * ended, none was sold twice, no cap went over, and no event is missing. Loopback only, bounded.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'faults');
const LEADS_PER_SECOND = Number(process.env['FAULTS_LEADS_PER_SECOND'] ?? 20);
const MAX_IN_FLIGHT = 150;
const WARMUP_MS = 8_000;
const TAIL_MS = 10_000;
/** The whole run, setup to summary, never takes longer than this. */
const WATCHDOG_MS = 9 * 60_000;
const ADMIN_API_KEY = 'faults-admin-key-0000000001';
/** Killed in this order; ping and post have a second replica that keeps serving. */
const KILL_ORDER = ['gateway', 'filter', 'ping', 'auction', 'post', 'audit'] as const;

const log = (message: string): void => void process.stdout.write(`[faults] ${message}\n`);

async function main(): Promise<number> {
  const startedAt = Date.now();
  // The recorder plays the buyers' network: a busy suite process would look like slow buyers.
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const logsDir = path.join(ARTIFACTS, 'logs');
  fs.rmSync(logsDir, { recursive: true, force: true });
  fs.mkdirSync(logsDir, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingtree-faults-'));
  // PostgreSQL runs as `postgres` when we are root; it must reach its data dir.
  fs.chmodSync(dataDir, 0o755);
  const cleanups: Array<() => Promise<void>> = [];
  // A throwaway key for this run's contact data and buyer secrets; every process inherits it.
  process.env[ENCRYPTION_KEYS_VAR] ??= generateEncryptionKey('faults');
  // The buyers (buyer-sim behind the recorder) live on loopback.
  process.env['PINGTREE_ALLOW_PRIVATE_BUYER_URLS'] = 'true';
  try {
    const nats = await startPrivateNats(dataDir, log);
    cleanups.push(() => nats.stop());
    const postgres = await startPrivatePostgres(dataDir, log);
    cleanups.push(() => postgres.stop());
    const databaseUrl = await createDatabase(postgres.url, 'pingtree_faults');
    await runMigrations(databaseUrl);
    log(`private NATS ${nats.url}, PostgreSQL ${databaseUrl} (data in ${dataDir})`);

    const unexpectedExits: UnexpectedExit[] = [];
    const onUnexpectedExit = (exit: UnexpectedExit): void => {
      unexpectedExits.push(exit);
      log(`!! ${exit.name} exited on its own (${exit.signal ?? exit.code}); log tail:\n${exit.logTail}`);
    };
    const processes: ServiceProcess[] = [];
    const spawnProcess = async (name: string, script: string, env: NodeJS.ProcessEnv, port?: number): Promise<ServiceProcess> => {
      const p = new ServiceProcess(
        name,
        script,
        port ?? (await freePort()),
        env,
        path.join(logsDir, `${name}.log`),
        onUnexpectedExit,
      );
      processes.push(p);
      return p;
    };
    cleanups.push(async () => {
      await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    });

    // Buyers: buyer-sim as its own process, behind a recorder that keeps each post and its answer.
    const simPort = await freePort();
    const sim = await spawnProcess(
      'buyer-sim',
      'apps/buyer-sim/src/main.js',
      { BUYER_SIM_PORT: String(simPort), BUYER_SIM_SEED: '8' },
      simPort,
    );
    sim.start();
    await sim.waitReady('/_sim/buyers');
    for (const buyer of FAULT_BUYERS) await putSimBuyer(sim.url, buyer.key, buyer);
    const postRules = new Map<string, ResponseRules>();
    const recorder = new BuyerRecorder(sim.url, (buyer) => postRules.get(buyer));
    const recorderUrl = await recorder.listen();
    cleanups.push(() => recorder.close());

    const ds = await createDataSource(databaseUrl, { poolSize: 1 }).initialize();
    const seeded = await seedFaultCampaign(ds, recorderUrl);
    await ds.destroy();
    for (const [buyer, rules] of seeded.postRules) postRules.set(buyer, rules);

    const common = {
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY,
      LOG_LEVEL: 'info',
    };
    const first = new Map<string, ServiceProcess>();
    for (const service of KILL_ORDER) first.set(service, await spawnProcess(service, `apps/${service}/src/main.js`, common));
    await spawnProcess('ping-2', 'apps/ping/src/main.js', common);
    await spawnProcess('post-2', 'apps/post/src/main.js', common);
    const services = processes.filter((p) => p !== sim);
    for (const s of services) s.start();
    await Promise.all(services.map((s) => s.waitReady()));
    log(`services up: ${services.map((s) => `${s.name} :${s.port}`).join(', ')}`);

    let phase = 'warmup';
    const gateway = first.get('gateway')!;
    const load = new LeadLoad({
      gatewayUrl: gateway.url,
      apiKey: FAULT_SUPPLIER_KEY,
      campaign: FAULT_CAMPAIGN,
      leadsPerSecond: LEADS_PER_SECOND,
      maxInFlight: MAX_IN_FLIGHT,
      phase: () => phase,
    });
    const simLog = new SimRequestLog(sim.url);
    simLog.start();
    const loadStartedAt = Date.now();
    load.start();
    log(`load: ${LEADS_PER_SECOND} leads/s, at most ${MAX_IN_FLIGHT} in flight`);
    // Freshly started processes are slow for a while; faults begin once leads sell steadily.
    await waitUntil(() => load.firstSaleSince(loadStartedAt) !== null, 30_000);
    await sleep(WARMUP_MS);

    const faults = await runFaultSchedule({
      services: KILL_ORDER.map((s) => first.get(s)!),
      all: services,
      responders: services
        .filter((s) => !['gateway', 'audit'].includes(s.name))
        .map((s) => ({ service: s.name.replace(/-\d+$/, ''), process: s })),
      nats,
      postgres,
      postInFlight: () => waitUntil(() => recorder.postsInFlight > 0, 5_000),
      firstSaleSince: (since) => load.firstSaleSince(since),
      inFlight: () => ({ leads: load.leadsInFlight, posts: recorder.postsInFlight }),
      setPhase: (p) => (phase = p),
      log,
    });
    phase = 'tail';
    await sleep(TAIL_MS);
    await load.stop();
    const loadSeconds = Math.round((Date.now() - loadStartedAt) / 1000);
    log(`load stopped after ${loadSeconds} s: ${load.answers.length} sent; waiting for sweepers and audit`);

    // Connected only now: PostgreSQL was restarted under the load.
    const db = new Client({ connectionString: databaseUrl });
    db.on('error', () => undefined);
    await db.connect();
    cleanups.push(() => db.end());
    let simPosts = await simLog.stop();
    const checkInput = (): CheckInput => ({
      db,
      acceptedLeadIds: load.answers.filter((a) => a.status === 200 && a.leadId !== null).map((a) => a.leadId!),
      recorded: recorder.posts,
      simPosts,
      cappedChannelId: seeded.cappedChannelId,
      cappedBuyer: CAPPED_BUYER,
      dailyCap: DAILY_CAP,
      capTimezone: CAP_TIMEZONE,
      channelByBuyer: seeded.channelByBuyer,
    });
    const settled = await waitForSettling(db, checkInput, log);
    // Posts made by sweepers while settling, if any.
    simPosts = await new SimRequestLog(sim.url).stop().then((latest) => mergePosts(simPosts, latest));
    // Then the operator's part: every post whose answer was lost is reconciled as the buyer says,
    // and the guarantees are checked again on the reconciled database.
    const reconciliation = await reconcileWithBuyers({
      db,
      gatewayUrl: gateway.url,
      adminKey: ADMIN_API_KEY,
      recorded: recorder.posts,
      channelByBuyer: seeded.channelByBuyer,
    });
    const afterReconciliation = await runChecks(checkInput());
    log(`reconciled with the buyers: ${JSON.stringify(reconciliation.recorded)}`);

    const summary = buildSummary({
      startedAt,
      loadSeconds,
      leadsPerSecond: LEADS_PER_SECOND,
      answers: load.answers,
      skippedTicks: load.skipped,
      faults,
      findings: settled.findings,
      reconciliation,
      afterReconciliation,
      settledAfterMs: settled.settledAfterMs,
      settleTimedOut: settled.timedOut,
      unexpectedExits,
      suiteEventLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
      machineLoad: os.loadavg().map((n) => Math.round(n * 10) / 10),
    });
    printSummary(summary, (line) => void process.stdout.write(`${line}\n`));
    fs.writeFileSync(path.join(ARTIFACTS, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    // The raw material, to look into a failure after the temp database is gone.
    fs.writeFileSync(path.join(ARTIFACTS, 'answers.json'), JSON.stringify(load.answers));
    fs.writeFileSync(path.join(ARTIFACTS, 'buyer-posts.json'), JSON.stringify(recorder.posts));
    fs.writeFileSync(path.join(ARTIFACTS, 'db.json'), JSON.stringify(await dumpOutcomes(db, seeded.channelByBuyer)));
    log(`summary: ${path.relative(ROOT, path.join(ARTIFACTS, 'summary.json'))}, service logs: ${path.relative(ROOT, logsDir)}/`);
    return summary.verdict === 'pass' ? 0 : 1;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    for (const file of ['nats-server.log', 'postgres.log']) {
      if (fs.existsSync(path.join(dataDir, file))) fs.copyFileSync(path.join(dataDir, file), path.join(logsDir, file));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function dumpOutcomes(db: Client, channelByBuyer: Map<string, string>): Promise<object> {
  const buyerOf = Object.fromEntries([...channelByBuyer].map(([buyer, channel]) => [channel, buyer]));
  const leads = await db.query(
    `SELECT id, state, decision->>'reason' AS reason, received_at, deadline_at, updated_at, lifecycle FROM leads ORDER BY received_at`,
  );
  const posts = await db.query<{ channel_id: string }>(
    `SELECT lead_id, channel_id, tier_index, state, reason, http_status, attempted_at, answered_at FROM post_attempts ORDER BY id`,
  );
  return { leads: leads.rows, postAttempts: posts.rows.map((p) => ({ ...p, buyer: buyerOf[p.channel_id] })) };
}

async function putSimBuyer(simUrl: string, key: string, buyer: object): Promise<void> {
  const res = await fetch(`${simUrl}/_sim/buyers/${encodeURIComponent(key)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(buyer),
  });
  if (!res.ok) throw new Error(`buyer-sim refused buyer ${key}: ${res.status} ${await res.text()}`);
}

function mergePosts<T extends { buyer: string; receivedAt: string; leadId: string | null }>(a: T[], b: T[]): T[] {
  const byKey = new Map([...a, ...b].map((p) => [`${p.buyer}|${p.receivedAt}|${p.leadId}`, p]));
  return [...byKey.values()];
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await sleep(10);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const watchdog = setTimeout(() => {
  log(`!! the suite ran over ${WATCHDOG_MS / 60_000} minutes; stopping`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
