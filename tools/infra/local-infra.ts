/**
 * Local NATS and PostgreSQL for `npm start` and `npm test`, without Docker.
 *
 * Each `ensure*` function reuses a server that already answers; otherwise it
 * starts a private one from the machine's binaries, with its data and logs in
 * a data folder (default `<repo>/.data`). Plain Node on purpose, so it can run
 * from a jest globalSetup as well as from a start script.
 *
 * Private servers are unref'd (they never keep the caller alive) and get
 * SIGTERM when the caller exits, so they do not outlive it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';

export type Log = (message: string) => void;

export interface InfraOptions {
  /** Server to reuse when it answers. */
  url?: string;
  /** Where private servers keep data and logs; default `<repo>/.data`. */
  dataDir?: string;
  log?: Log;
}

export interface NatsHandle {
  url: string;
  /** True when this call started a private nats-server. */
  started: boolean;
  stop(): Promise<void>;
}

export interface PostgresHandle {
  /** Superuser connected to the `postgres` database. */
  adminUrl: string;
  /** True when this call started a private PostgreSQL. */
  started: boolean;
  stop(): Promise<void>;
}

const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const DEFAULT_POSTGRES_URLS = ['postgres://postgres@127.0.0.1:5432/postgres', 'postgres://root@127.0.0.1:5432/postgres'];
const PROBE_TIMEOUT_MS = 3_000;
const NATS_READY_TIMEOUT_MS = 10_000;
const POSTGRES_READY_TIMEOUT_MS = 30_000;
const INITDB_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 5_000;
const POLL_INTERVAL_MS = 150;
/** sun_path is 108 bytes; PostgreSQL appends "/.s.PGSQL.<port>". */
const MAX_SOCKET_DIR_LENGTH = 107 - '/.s.PGSQL.65535'.length;

// ---------------------------------------------------------------- NATS

export async function ensureNats(opts: InfraOptions = {}): Promise<NatsHandle> {
  const log = opts.log ?? defaultLog;
  const url = opts.url ?? process.env.NATS_URL ?? DEFAULT_NATS_URL;
  if ((await readNatsInfo(url)) !== null) {
    log(`using NATS at ${url}`);
    return { url, started: false, stop: () => Promise.resolve() };
  }
  return startPrivateNats(url, resolveDataDir(opts.dataDir), log);
}

/**
 * Connects to the first server of a NATS url and returns its parsed INFO line,
 * or null when nothing NATS-like answers within the timeout.
 */
export function readNatsInfo(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<Record<string, unknown> | null> {
  const { host, port } = parseNatsAddress(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let received = '';
    const finish = (info: Record<string, unknown> | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(info);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const lineEnd = received.indexOf('\r\n');
      if (lineEnd >= 0) finish(parseInfoLine(received.slice(0, lineEnd)));
    });
  });
}

async function startPrivateNats(unreachableUrl: string, dataDir: string, log: Log): Promise<NatsHandle> {
  const bin = findNatsServer();
  const storeDir = path.join(dataDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  const logFile = path.join(dataDir, 'nats-server.log');
  const port = await findFreePort();
  const url = `nats://127.0.0.1:${port}`;
  log(`NATS not reachable at ${unreachableUrl}; starting ${bin} on ${url} (log: ${logFile})`);

  const server = startLoggedProcess({
    bin,
    args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir],
    logFile,
    stopSteps: [
      { signal: 'SIGTERM', waitMs: STOP_TIMEOUT_MS },
      { signal: 'SIGKILL', waitMs: STOP_TIMEOUT_MS },
    ],
  });
  await waitUntilReady(server, 'nats-server', NATS_READY_TIMEOUT_MS, async () => (await readNatsInfo(url)) !== null);
  return { url, started: true, stop: () => server.stop() };
}

function parseNatsAddress(url: string): { host: string; port: number } {
  const first = url.split(',')[0].trim();
  const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 4222) };
}

function parseInfoLine(line: string): Record<string, unknown> | null {
  if (!line.startsWith('INFO ')) return null;
  try {
    return JSON.parse(line.slice('INFO '.length)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function findNatsServer(): string {
  const bin = findExecutable('nats-server', ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin']);
  if (bin === undefined) {
    throw new Error(
      'nats-server not found (looked in PATH, /usr/sbin, /usr/local/bin). ' +
        'Install it with `apt-get install nats-server`, ' +
        'or set NATS_URL to a running NATS server with JetStream enabled.',
    );
  }
  return bin;
}

// ---------------------------------------------------------------- PostgreSQL

/**
 * An explicit `opts.url` is the only server tried before starting a private
 * one; without it, DATABASE_URL and then the usual local defaults are tried.
 */
export async function ensurePostgres(opts: InfraOptions = {}): Promise<PostgresHandle> {
  const log = opts.log ?? defaultLog;
  for (const candidate of postgresCandidates(opts.url)) {
    const adminUrl = withDatabase(candidate, 'postgres');
    const probe = await probePostgres(adminUrl);
    if (probe.ok) {
      log(`using PostgreSQL at ${redact(adminUrl)}`);
      return { adminUrl, started: false, stop: () => Promise.resolve() };
    }
    log(`PostgreSQL at ${redact(adminUrl)} not usable: ${probe.reason}`);
  }
  return startPrivatePostgres(resolveDataDir(opts.dataDir), log);
}

/** Creates the database if missing; returns its URL (adminUrl with the database swapped). */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  assertDatabaseName(name);
  await withClient(adminUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) await createDatabaseTolerantOfRaces(client, name);
  });
  return withDatabase(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withClient(adminUrl, async (client) => {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
      name,
    ]);
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}

function postgresCandidates(explicitUrl: string | undefined): string[] {
  if (explicitUrl !== undefined) return [explicitUrl];
  const fromEnv = process.env.DATABASE_URL;
  return fromEnv ? [fromEnv, ...DEFAULT_POSTGRES_URLS] : [...DEFAULT_POSTGRES_URLS];
}

type Probe = { ok: true } | { ok: false; reason: string };

async function probePostgres(adminUrl: string): Promise<Probe> {
  try {
    const isSuperuser = await withClient(adminUrl, async (client) => {
      const result = await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      return result.rows[0]?.rolsuper === true;
    });
    return isSuperuser ? { ok: true } : { ok: false, reason: 'user is not a superuser' };
  } catch (error) {
    return { ok: false, reason: errorMessage(error) };
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  // A server shutting down emits 'error' on idle clients; failures we care about reject the query.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createDatabaseTolerantOfRaces(client: Client, name: string): Promise<void> {
  try {
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  } catch (error) {
    // Another process created it between our check and CREATE: that is what we wanted.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  }
}

async function startPrivatePostgres(dataDir: string, log: Log): Promise<PostgresHandle> {
  const bins = findPostgresBinaries();
  const account = postgresAccount(log);
  const pgDir = path.join(dataDir, 'pg');
  const socketDir = path.join(dataDir, 'pg-socket');
  const logFile = path.join(dataDir, 'postgres.log');
  fs.mkdirSync(dataDir, { recursive: true });
  assertReachableBy(account, dataDir);
  prepareOwnedDir(pgDir, account);
  prepareOwnedDir(socketDir, account);

  if (!isInitialised(pgDir)) await initialiseCluster(bins.initdb, pgDir, logFile, account, log);

  const port = await findFreePort();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  log(`starting ${bins.postgres} on 127.0.0.1:${port} with data in ${pgDir} (log: ${logFile})`);
  const server = startLoggedProcess({
    bin: bins.postgres,
    args: ['-D', pgDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', socketDirArgument(socketDir, log)],
    logFile,
    account,
    // SIGTERM ("smart") waits for clients to leave, so soon follow with
    // SIGINT ("fast", pg_ctl's default), which disconnects them and shuts down cleanly.
    stopSteps: [
      { signal: 'SIGTERM', waitMs: 1_000 },
      { signal: 'SIGINT', waitMs: STOP_TIMEOUT_MS },
      { signal: 'SIGKILL', waitMs: STOP_TIMEOUT_MS },
    ],
  });
  await waitUntilReady(server, 'postgres', POSTGRES_READY_TIMEOUT_MS, async () => (await probePostgres(adminUrl)).ok);
  return { adminUrl, started: true, stop: () => server.stop() };
}

async function initialiseCluster(
  initdb: string,
  pgDir: string,
  logFile: string,
  account: Account | undefined,
  log: Log,
): Promise<void> {
  if (fs.readdirSync(pgDir).length > 0) {
    // Leftovers of an interrupted initdb; initdb refuses a non-empty directory.
    log(`${pgDir} holds an incomplete cluster; re-initialising it`);
    fs.rmSync(pgDir, { recursive: true, force: true });
    prepareOwnedDir(pgDir, account);
  }
  log(`initialising a PostgreSQL cluster in ${pgDir}`);
  const initProcess = startLoggedProcess({
    bin: initdb,
    // --no-sync: a throwaway local cluster does not need fsync during creation.
    args: ['-D', pgDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
    logFile,
    account,
    stopSteps: [{ signal: 'SIGKILL', waitMs: STOP_TIMEOUT_MS }],
  });
  const exitCode = await initProcess.waitForExit(INITDB_TIMEOUT_MS);
  if (exitCode !== 0) {
    throw new Error(`initdb failed (exit ${String(exitCode)}); see ${logFile}:\n${tailOfFile(logFile)}`);
  }
}

function isInitialised(pgDir: string): boolean {
  return fs.existsSync(path.join(pgDir, 'PG_VERSION'));
}

function socketDirArgument(socketDir: string, log: Log): string {
  if (socketDir.length <= MAX_SOCKET_DIR_LENGTH) return socketDir;
  log(`socket dir path too long for a Unix socket; PostgreSQL will listen on TCP only`);
  return '';
}

function findPostgresBinaries(): { initdb: string; postgres: string } {
  for (const binDir of debianPostgresBinDirs()) {
    const initdb = path.join(binDir, 'initdb');
    const postgres = path.join(binDir, 'postgres');
    if (isExecutableFile(initdb) && isExecutableFile(postgres)) return { initdb, postgres };
  }
  const initdb = findExecutable('initdb', []);
  const postgres = findExecutable('postgres', []);
  if (initdb !== undefined && postgres !== undefined) return { initdb, postgres };
  throw new Error(
    'PostgreSQL server binaries (initdb, postgres) not found in /usr/lib/postgresql/*/bin or PATH. ' +
      'Install them with `apt-get install postgresql`, ' +
      'or set DATABASE_URL to a running PostgreSQL server with a superuser.',
  );
}

/** `/usr/lib/postgresql/<version>/bin`, newest version first. */
function debianPostgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(root, version, 'bin'));
}

function assertDatabaseName(name: string): void {
  // Kept URL-safe so the returned URL round-trips, and within PostgreSQL's 63-byte limit.
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) {
    throw new Error(`invalid database name ${JSON.stringify(name)}: use 1-63 letters, digits, _ or -`);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

// ---------------------------------------------------------------- OS accounts

interface Account {
  name: string;
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root, so root runs it as `postgres`; anyone else runs it as themselves. */
function postgresAccount(log: Log): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookupAccount('postgres');
  if (existing !== undefined) return existing;
  log('creating system user "postgres" to run PostgreSQL');
  const result = spawnSync(
    'useradd',
    ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'],
    { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS },
  );
  const created = lookupAccount('postgres');
  if (created === undefined) {
    throw new Error(`could not create user "postgres" to run PostgreSQL: ${result.stderr || String(result.error)}`);
  }
  return created;
}

function lookupAccount(name: string): Account | undefined {
  const result = spawnSync('getent', ['passwd', name], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  if (result.status !== 0) return undefined;
  const fields = result.stdout.trim().split(':');
  return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
}

function assertReachableBy(account: Account | undefined, dir: string): void {
  if (account === undefined) return;
  const result = spawnSync('test', ['-x', dir], { uid: account.uid, gid: account.gid, timeout: PROBE_TIMEOUT_MS });
  if (result.status !== 0) {
    throw new Error(
      `PostgreSQL runs as user "${account.name}", who cannot reach ${dir} ` +
        '(a parent directory is private, e.g. /root). Use a dataDir it can reach, or chmod o+x the parents.',
    );
  }
}

/** A directory only the account running PostgreSQL may use (initdb and postgres insist on it). */
function prepareOwnedDir(dir: string, account: Account | undefined): void {
  fs.mkdirSync(dir, { recursive: true });
  if (account !== undefined) fs.chownSync(dir, account.uid, account.gid);
  fs.chmodSync(dir, 0o700);
}

// ---------------------------------------------------------------- child processes

interface LoggedProcessSpec {
  bin: string;
  args: string[];
  logFile: string;
  account?: Account;
  /** Signals sent in order by stop(), each given waitMs to end the process. */
  stopSteps: { signal: NodeJS.Signals; waitMs: number }[];
}

interface LoggedProcess {
  logFile: string;
  hasExited(): boolean;
  /** Exit code (null when killed by a signal), or throws after timeoutMs having killed the process. */
  waitForExit(timeoutMs: number): Promise<number | null>;
  stop(): Promise<void>;
}

/** Children still running; terminated if our process exits without stopping them. */
const runningChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function startLoggedProcess(spec: LoggedProcessSpec): LoggedProcess {
  const child = spawnWithLogFile(spec);
  trackUntilExit(child);
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  const hasExited = (): boolean => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;

  const stop = async (): Promise<void> => {
    for (const { signal, waitMs } of spec.stopSteps) {
      if (hasExited()) return;
      child.kill(signal);
      await settlesWithin(exited, waitMs);
    }
    if (!hasExited()) throw new Error(`${spec.bin} (pid ${String(child.pid)}) did not stop`);
  };

  const waitForExit = async (timeoutMs: number): Promise<number | null> => {
    if (!(await settlesWithin(exited, timeoutMs))) {
      await stop();
      throw new Error(`${spec.bin} did not finish within ${timeoutMs} ms; see ${spec.logFile}`);
    }
    if (spawnError !== undefined) throw new Error(`could not run ${spec.bin}: ${spawnError.message}`);
    return child.exitCode;
  };

  return { logFile: spec.logFile, hasExited, waitForExit, stop };
}

function spawnWithLogFile(spec: LoggedProcessSpec): ChildProcess {
  fs.appendFileSync(spec.logFile, `\n--- ${new Date().toISOString()} ${spec.bin} ${spec.args.join(' ')}\n`);
  const logFd = fs.openSync(spec.logFile, 'a');
  try {
    return spawn(spec.bin, spec.args, {
      stdio: ['ignore', logFd, logFd],
      uid: spec.account?.uid,
      gid: spec.account?.gid,
      // C locale: initdb and postgres fail on locales the machine lacks.
      env: { ...process.env, LC_ALL: 'C' },
    });
  } finally {
    fs.closeSync(logFd); // the child holds its own copy
  }
}

function trackUntilExit(child: ChildProcess): void {
  installExitHookOnce();
  runningChildren.add(child);
  const forget = (): void => void runningChildren.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
  // Servers must not keep the caller's event loop alive; the exit hook ends them.
  child.unref();
}

function installExitHookOnce(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of runningChildren) child.kill('SIGTERM');
  });
}

async function waitUntilReady(
  server: LoggedProcess,
  what: string,
  timeoutMs: number,
  isReady: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isReady()) return;
    if (server.hasExited()) {
      throw new Error(`${what} exited while starting; see ${server.logFile}:\n${tailOfFile(server.logFile)}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  await server.stop();
  throw new Error(`${what} not ready after ${timeoutMs} ms; see ${server.logFile}:\n${tailOfFile(server.logFile)}`);
}

/** Resolves true if the promise settles within timeoutMs, false otherwise. */
async function settlesWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------- small helpers

function defaultLog(message: string): void {
  process.stderr.write(`[infra] ${message}\n`);
}

function resolveDataDir(dataDir: string | undefined): string {
  return path.resolve(dataDir ?? path.join(findRepoRoot(), '.data'));
}

/** Nearest ancestor with a package.json, so this works from source and from dist/. */
function findRepoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function findExecutable(name: string, extraDirs: string[]): string | undefined {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return [...pathDirs, ...extraDirs].map((dir) => path.join(dir, name)).find(isExecutableFile);
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function tailOfFile(file: string, maxBytes = 2_000): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-maxBytes);
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
