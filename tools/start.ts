import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateEncryptionKey } from '@pingtree/crypto';
import { createDataSource, runMigrations } from '@pingtree/db';
import { DEMO_CAMPAIGN, DEMO_SUPPLIER_KEY, seedDemo } from './demo/seed-demo';
import { createDatabase, ensureNats, ensurePostgres } from './infra/local-infra';

/**
 * `npm start`: the whole platform on this machine with simulated buyers and the demo campaign.
 * Uses NATS_URL / DATABASE_URL when they answer, otherwise starts nats-server and PostgreSQL
 * from the machine's binaries under .data/. Each service runs as its own process.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const GATEWAY_PORT = Number(process.env['HTTP_PORT'] ?? process.env['PORT'] ?? 3000);
const BUYER_SIM_PORT = Number(process.env['BUYER_SIM_PORT'] ?? 4100);
const SERVICES = ['filter', 'ping', 'auction', 'post', 'audit', 'gateway'] as const;
const ADMIN_API_KEY = process.env['ADMIN_API_KEY'] ?? 'dev-admin-key-change-me';

const children: ChildProcess[] = [];
const stops: Array<() => Promise<void>> = [];

function run(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['-r', path.join(DIST, 'tools', 'runtime-aliases.js'), path.join(DIST, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}] `;
  const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) =>
    stream.write(
      chunk
        .toString()
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => prefix + l + '\n')
        .join(''),
    );
  child.stdout?.on('data', forward(process.stdout));
  child.stderr?.on('data', forward(process.stderr));
  child.on('exit', (code, signal) => {
    if (!shuttingDown) process.stderr.write(`${prefix}exited (${signal ?? code}); stopping the platform\n`);
    void shutdown(code ?? 1);
  });
  children.push(child);
  return child;
}

async function waitForHttp(url: string, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become ready at ${url} within ${timeoutMs} ms`);
}

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r)))));
  for (const stop of stops) await stop().catch(() => undefined);
  process.exit(code);
}

/**
 * Keys for contact data and buyer secrets at rest. Without PINGTREE_ENCRYPTION_KEYS, a development
 * key generated once into .data/ (next to the local database, so its leads stay readable).
 */
function encryptionKeys(): string {
  const given = process.env['PINGTREE_ENCRYPTION_KEYS'];
  if (given) {
    log('encryption at rest: keys from PINGTREE_ENCRYPTION_KEYS');
    return given;
  }
  const file = path.join(ROOT, '.data', 'dev-encryption-keys');
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${generateEncryptionKey('dev')}\n`, { mode: 0o600, flag: 'wx' });
    log(`encryption at rest: PINGTREE_ENCRYPTION_KEYS is not set; generated a DEVELOPMENT key into ${file}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    log(`encryption at rest: PINGTREE_ENCRYPTION_KEYS is not set; using the DEVELOPMENT key in ${file}`);
  }
  return readFileSync(file, 'utf8').trim();
}

async function main(): Promise<void> {
  // Migrations, the demo seed (ConfigStore) and every service read these from the environment.
  process.env['PINGTREE_ENCRYPTION_KEYS'] = encryptionKeys();
  // The demo's buyers (buyer-sim) listen on 127.0.0.1, which production refuses as a buyer address.
  process.env['PINGTREE_ALLOW_PRIVATE_BUYER_URLS'] ??= 'true';
  const allowPrivate = process.env['PINGTREE_ALLOW_PRIVATE_BUYER_URLS'] === 'true';
  log(
    `buyer URLs on loopback and private networks: ${allowPrivate ? 'allowed (PINGTREE_ALLOW_PRIVATE_BUYER_URLS=true)' : 'refused'}`,
  );
  const nats = await ensureNats();
  if (nats.started) stops.push(() => nats.stop());
  const postgres = await ensurePostgres();
  if (postgres.started) stops.push(() => postgres.stop());
  const dbName = process.env['DATABASE_URL'] ? new URL(process.env['DATABASE_URL']).pathname.slice(1) || 'pingtree' : 'pingtree';
  const databaseUrl = await createDatabase(postgres.adminUrl, dbName);
  const applied = await runMigrations(databaseUrl);
  log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');

  const simUrl = `http://127.0.0.1:${BUYER_SIM_PORT}`;
  run('buyer-sim', 'apps/buyer-sim/src/main.js', { BUYER_SIM_PORT: String(BUYER_SIM_PORT) });
  await waitForHttp(`${simUrl}/_sim/buyers`, 'buyer-sim');
  const ds = await createDataSource(databaseUrl, { poolSize: 1 }).initialize();
  const { created } = await seedDemo(ds, simUrl);
  await ds.destroy();
  log(created ? 'demo campaign seeded' : 'demo campaign already present');

  const common = {
    NATS_URL: nats.url,
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY,
    HTTP_HOST: '127.0.0.1',
    PINGTREE_PUBLIC_URL: process.env['PINGTREE_PUBLIC_URL'] ?? `http://127.0.0.1:${GATEWAY_PORT}`,
  };
  const ports = SERVICES.map((service, i) => (service === 'gateway' ? GATEWAY_PORT : GATEWAY_PORT + 101 + i));
  SERVICES.forEach((service, i) => {
    run(service, `apps/${service}/src/main.js`, { ...common, HTTP_PORT: String(ports[i]) });
  });
  const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}`;
  // Up means every service answers (each serves its NATS subjects before its HTTP port), not only the
  // gateway: a lead sent earlier would find no filter or ping. Six Node processes booting at once on
  // a small machine can take a while.
  await Promise.all(SERVICES.map((service, i) => waitForHttp(`http://127.0.0.1:${ports[i]}/health/ready`, service, 120_000)));
  log(`pingtree is up: gateway ${gatewayUrl}, buyer-sim ${simUrl}, NATS ${nats.url}`);
  log(`operators' console: ${gatewayUrl}/console/ (sign in with the admin key below)`);
  log(
    `sell a demo lead:  curl -s -X POST ${gatewayUrl}/v1/leads -H 'content-type: application/json' -H 'x-api-key: ${DEMO_SUPPLIER_KEY}' -d @docs/demo-lead.json`,
  );
  log(
    `campaign "${DEMO_CAMPAIGN}"; admin key for trails: ${ADMIN_API_KEY === 'dev-admin-key-change-me' ? ADMIN_API_KEY : '(from ADMIN_API_KEY)'}`,
  );
}

function log(message: string): void {
  process.stdout.write(`[pingtree] ${message}\n`);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error: unknown) => {
  process.stderr.write(`[pingtree] could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
