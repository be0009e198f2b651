import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureNats, ensurePostgres, readNatsInfo } from '../infra/local-infra';
import { Client } from 'pg';

/**
 * A private nats-server and PostgreSQL for the fault suite, in a temp data dir, that can be
 * stopped and started again on the SAME port and data: services keep their URLs and must
 * reconnect by themselves. Nothing else on the machine uses these servers.
 *
 * The first start goes through local-infra (it finds the binaries, runs initdb, picks the
 * account); a restart runs the server again with the exact command line it ran with.
 */
export interface RestartableServer {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Nothing listens on port 1, so local-infra starts a private server instead of reusing one. */
const UNREACHABLE_NATS = 'nats://127.0.0.1:1';
const UNREACHABLE_POSTGRES = 'postgres://postgres@127.0.0.1:1/postgres';
const READY_TIMEOUT_MS = 30_000;

export async function startPrivateNats(dataDir: string, log: (m: string) => void): Promise<RestartableServer> {
  const first = await ensureNats({ url: UNREACHABLE_NATS, dataDir, log });
  const port = new URL(first.url).port;
  const bin = findExecutable('nats-server', ['/usr/sbin', '/usr/local/bin', '/usr/bin']);
  // The same arguments local-infra uses, so the restarted server finds its JetStream store.
  const args = ['-js', '-a', '127.0.0.1', '-p', port, '-sd', path.join(dataDir, 'nats')];
  let stopFirst: (() => Promise<void>) | null = () => first.stop();
  let child: ChildProcess | null = null;
  return {
    url: first.url,
    async stop() {
      if (stopFirst) await stopFirst();
      stopFirst = null;
      if (child) await stopChild(child, ['SIGTERM', 'SIGKILL']);
      child = null;
    },
    async start() {
      child = spawnLogged(bin, args, path.join(dataDir, 'nats-server.log'));
      await waitFor('nats-server', child, async () => (await readNatsInfo(first.url, 1_000)) !== null);
    },
  };
}

export async function startPrivatePostgres(dataDir: string, log: (m: string) => void): Promise<RestartableServer> {
  const first = await ensurePostgres({ url: UNREACHABLE_POSTGRES, dataDir, log });
  const pgDir = path.join(dataDir, 'pg');
  // PostgreSQL records its own command line; pg_ctl restart reuses it the same way.
  const [bin, ...args] = readPostmasterOpts(pgDir);
  const account = process.getuid?.() === 0 ? lookupAccount('postgres') : undefined;
  let stopFirst: (() => Promise<void>) | null = () => first.stop();
  let child: ChildProcess | null = null;
  return {
    url: first.adminUrl,
    async stop() {
      if (stopFirst) await stopFirst();
      stopFirst = null;
      // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, data is flushed.
      if (child) await stopChild(child, ['SIGINT', 'SIGKILL']);
      child = null;
    },
    async start() {
      child = spawnLogged(bin!, args, path.join(dataDir, 'postgres.log'), account);
      await waitFor('postgres', child, () => canQuery(first.adminUrl));
    },
  };
}

function readPostmasterOpts(pgDir: string): string[] {
  const line = fs.readFileSync(path.join(pgDir, 'postmaster.opts'), 'utf8').trim();
  // `/usr/lib/postgresql/15/bin/postgres "-D" "/tmp/…/pg" "-p" "5433" …`
  const bin = line.split(' ')[0]!;
  const args = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  return [bin, ...args];
}

function spawnLogged(bin: string, args: string[], logFile: string, account?: { uid: number; gid: number }): ChildProcess {
  fs.appendFileSync(logFile, `\n--- ${new Date().toISOString()} restart: ${bin} ${args.join(' ')}\n`);
  const fd = fs.openSync(logFile, 'a');
  try {
    const child = spawn(bin, args, {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, LC_ALL: 'C' },
      ...(account && { uid: account.uid, gid: account.gid }),
    });
    child.unref();
    // If the suite dies, its servers must not outlive it.
    process.once('exit', () => child.kill('SIGKILL'));
    return child;
  } finally {
    fs.closeSync(fd);
  }
}

async function stopChild(child: ChildProcess, signals: NodeJS.Signals[]): Promise<void> {
  for (const signal of signals) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await Promise.race([exited, sleep(8_000)]);
  }
}

async function waitFor(what: string, child: ChildProcess, ready: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < until) {
    if (await ready()) return;
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) while restarting`);
    await sleep(100);
  }
  throw new Error(`${what} not ready ${READY_TIMEOUT_MS} ms after restart`);
}

async function canQuery(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function lookupAccount(name: string): { uid: number; gid: number } {
  const result = spawnSync('getent', ['passwd', name], { encoding: 'utf8' });
  const fields = result.stdout.trim().split(':');
  if (result.status !== 0 || fields.length < 4) throw new Error(`no "${name}" account to run PostgreSQL as`);
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function findExecutable(name: string, extraDirs: string[]): string {
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean), ...extraDirs];
  const found = dirs.map((d) => path.join(d, name)).find((f) => fs.existsSync(f));
  if (!found) throw new Error(`${name} not found in PATH or ${extraDirs.join(', ')}`);
  return found;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
