import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Client } from 'pg';
import { readNatsInfo } from '../tools/infra/local-infra';
import { machineBusyPercent } from './cpu';
import { ROOT } from './processes';

export interface MachineFacts {
  date: string;
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1/5/15-minute load averages when the run started: anything else busy on the machine shows here. */
  loadAverageAtStart: number[];
  /** Percent of all cores busy in the 2 s before the load started, with our stack idle: others' work. */
  busyBeforeLoadPercent: number | null;
  postgres: string | null;
  nats: string | null;
  gitCommit: string | null;
  gitDirtyFiles: number | null;
}

export async function machineFacts(pgAdminUrl?: string, natsUrl?: string): Promise<MachineFacts> {
  const [postgres, nats, busyBeforeLoadPercent] = await Promise.all([
    postgresVersion(pgAdminUrl),
    natsVersion(natsUrl),
    machineBusyPercent(2000),
  ]);
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const status = git(['status', '--porcelain']);
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    busyBeforeLoadPercent,
    postgres,
    nats,
    gitCommit: commit,
    gitDirtyFiles: status === null ? null : status.split('\n').filter(Boolean).length,
  };
}

async function postgresVersion(adminUrl: string | undefined): Promise<string | null> {
  if (!adminUrl) return null;
  const client = new Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function natsVersion(url: string | undefined): Promise<string | null> {
  if (!url) return null;
  const info = await readNatsInfo(url);
  return typeof info?.['version'] === 'string' ? info['version'] : null;
}

function git(args: string[]): string | null {
  const out = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : null;
}
