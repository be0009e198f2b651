import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { createDatabase, dropDatabase, ensureNats, ensurePostgres, readNatsInfo } from './local-infra';

const UNREACHABLE_NATS_URL = 'nats://127.0.0.1:1';
const UNREACHABLE_POSTGRES_URL = 'postgres://postgres@127.0.0.1:1/postgres';
const quiet = (): void => undefined;

/** mkdtemp makes 0700 dirs; PostgreSQL runs as another user when we are root and must reach it. */
function makeTempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingtree-infra-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

async function queryOne<T>(url: string, sql: string): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const result = await client.query(sql);
    return result.rows[0] as T;
  } finally {
    await client.end();
  }
}

async function canConnect(url: string): Promise<boolean> {
  try {
    await queryOne(url, 'SELECT 1');
    return true;
  } catch {
    return false;
  }
}

describe('ensureNats', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = makeTempDataDir();
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds a reachable NATS server with JetStream', async () => {
    const nats = await ensureNats({ dataDir, log: quiet });
    try {
      const info = await readNatsInfo(nats.url);
      expect(info).not.toBeNull();
      expect(info?.jetstream).toBe(true);
    } finally {
      await nats.stop();
    }
  }, 30_000);

  it('starts a private nats-server when the url does not answer, and stops it', async () => {
    const nats = await ensureNats({ url: UNREACHABLE_NATS_URL, dataDir, log: quiet });
    try {
      expect(nats.started).toBe(true);
      expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
      expect((await readNatsInfo(nats.url))?.jetstream).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'nats-server.log'))).toBe(true);

      const reused = await ensureNats({ url: nats.url, dataDir, log: quiet });
      expect(reused).toMatchObject({ url: nats.url, started: false });
    } finally {
      await nats.stop();
    }
    expect(await readNatsInfo(nats.url, 500)).toBeNull();
  }, 30_000);
});

describe('ensurePostgres', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = makeTempDataDir();
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds a reachable PostgreSQL superuser on the postgres database', async () => {
    const postgres = await ensurePostgres({ dataDir, log: quiet });
    try {
      const row = await queryOne<{ db: string; superuser: boolean }>(
        postgres.adminUrl,
        'SELECT current_database() AS db, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
      );
      expect(row).toEqual({ db: 'postgres', superuser: true });
    } finally {
      await postgres.stop();
    }
  }, 60_000);

  it('creates and drops a database, even with a connection open', async () => {
    const postgres = await ensurePostgres({ dataDir, log: quiet });
    const name = `infra_spec_${process.pid}_${Date.now()}`;
    try {
      const url = await createDatabase(postgres.adminUrl, name);
      expect(await createDatabase(postgres.adminUrl, name)).toBe(url); // idempotent
      expect(await queryOne(url, 'SELECT current_database() AS db')).toEqual({ db: name });

      // An open session must not block the drop.
      const open = new Client({ connectionString: url });
      open.on('error', quiet);
      await open.connect();
      await dropDatabase(postgres.adminUrl, name);
      await open.end().catch(quiet);

      expect(await canConnect(url)).toBe(false);
      await dropDatabase(postgres.adminUrl, name); // dropping a missing database is fine
    } finally {
      await dropDatabase(postgres.adminUrl, name);
      await postgres.stop();
    }
  }, 60_000);

  it('starts a private PostgreSQL when the url does not answer, and stops it', async () => {
    const postgres = await ensurePostgres({ url: UNREACHABLE_POSTGRES_URL, dataDir, log: quiet });
    try {
      expect(postgres.started).toBe(true);
      expect(postgres.adminUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'postgres.log'))).toBe(true);

      const dbUrl = await createDatabase(postgres.adminUrl, 'private_check');
      expect(await queryOne(dbUrl, 'SELECT current_database() AS db')).toEqual({ db: 'private_check' });

      const reused = await ensurePostgres({ url: postgres.adminUrl, dataDir, log: quiet });
      expect(reused).toMatchObject({ adminUrl: postgres.adminUrl, started: false });
    } finally {
      await postgres.stop();
    }
    expect(await canConnect(postgres.adminUrl)).toBe(false);
  }, 60_000);
});
