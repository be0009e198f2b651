import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { Client } from 'pg';

/** A process (or a set of PostgreSQL backends) whose CPU seconds the bench reads at both ends of the window. */
export interface CpuSource {
  name: string;
  /** What it is summed under, e.g. `ping` for every ping replica. */
  group: string;
  read(): Promise<number | null>;
}

export interface CpuSnapshot {
  /** performance.now() half-way through taking the snapshot. */
  at: number;
  seconds: Map<string, { group: string; seconds: number | null }>;
  /** Whole machine from /proc/stat: busy and total core-seconds since boot. */
  machine: { busy: number; total: number } | null;
}

const CLK_TCK = clockTicks();

export async function snapshot(sources: CpuSource[]): Promise<CpuSnapshot> {
  const before = performance.now();
  const [values, machine] = await Promise.all([Promise.all(sources.map((s) => s.read().catch(() => null))), readMachine()]);
  const seconds = new Map(sources.map((s, i) => [s.name, { group: s.group, seconds: values[i]! }]));
  return { at: (before + performance.now()) / 2, seconds, machine };
}

/** A service's own `pingtree_process_cpu_seconds_total` (prom-client: user + system of the process). */
export function metricsSource(name: string, group: string, url: string): CpuSource {
  return {
    name,
    group,
    async read() {
      const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3000) });
      if (!res.ok) return null;
      const match = /^pingtree_process_cpu_seconds_total\s+([0-9.eE+-]+)/m.exec(await res.text());
      return match ? Number(match[1]) : null;
    },
  };
}

/** Any process we can see in /proc (buyer-sim, nats-server). */
export function procSource(name: string, group: string, pid: number): CpuSource {
  return { name, group, read: () => Promise.resolve(procCpuSeconds(pid)) };
}

/** The load generator itself. */
export function selfSource(): CpuSource {
  return {
    name: 'bench',
    group: 'bench (load generator)',
    read: () => {
      const u = process.cpuUsage();
      return Promise.resolve((u.user + u.system) / 1e6);
    },
  };
}

/**
 * PostgreSQL work on behalf of each service: the backends serving our database, grouped by their
 * application_name (`pingtree-<service>`). Backends that come and go inside the window are missed;
 * the services keep pooled connections, so in practice none do.
 */
export async function postgresSources(
  adminUrl: string,
  database: string,
): Promise<{ sources: CpuSource[]; close(): Promise<void> }> {
  const client = new Client({ connectionString: adminUrl, application_name: 'pingtree-bench' });
  client.on('error', () => undefined);
  await client.connect();
  const groups = ['gateway', 'filter', 'ping', 'auction', 'post', 'audit'];
  // Seconds used by backends while we watched, per pid, so a backend that opens or closes mid-run never subtracts.
  const seen = new Map<number, number>();
  const totals = new Map<string, number>();
  // One query per snapshot for every group: a pg Client runs one query at a time.
  let backends: { at: number; rows: Promise<Array<{ pid: number; application_name: string }>> } | null = null;
  const listBackends = () => {
    if (!backends || performance.now() - backends.at > 500) {
      const rows = client
        .query<{ pid: number; application_name: string }>(
          "SELECT pid, application_name FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'pingtree-%'",
          [database],
        )
        .then((r) => r.rows);
      backends = { at: performance.now(), rows };
    }
    return backends.rows;
  };
  const read = async (group: string): Promise<number> => {
    const rows = (await listBackends()).filter((r) => r.application_name === `pingtree-${group}`);
    let total = totals.get(group) ?? 0;
    for (const { pid } of rows) {
      const now = procCpuSeconds(pid);
      if (now === null) continue;
      total += now - (seen.get(pid) ?? 0);
      seen.set(pid, now);
    }
    totals.set(group, total);
    return total;
  };
  return {
    sources: groups.map((group) => ({ name: `postgres:${group}`, group: `postgres for ${group}`, read: () => read(group) })),
    close: () => client.end(),
  };
}

/** nats-server serving the given URL's port (the first one if the port can't be matched). */
export function findNatsServerPid(natsUrl: string): number | null {
  const port = new URL(natsUrl.split(',')[0]!.replace(/^nats:/, 'http:')).port || '4222';
  const candidates: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'nats-server') continue;
      candidates.push({ pid: Number(entry), cmdline: fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      // The process ended while we looked.
    }
  }
  const byPort = candidates.find((c) => new RegExp(`(-p|--port)[ =]${port}\\b`).test(c.cmdline));
  return (byPort ?? (port === '4222' ? candidates.find((c) => !/(-p|--port)[ =]/.test(c.cmdline)) : undefined))?.pid ?? null;
}

/** utime + stime of a process from /proc/<pid>/stat, in seconds. */
export function procCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

export async function readMachine(): Promise<CpuSnapshot['machine']> {
  try {
    const line = (await fs.promises.readFile('/proc/stat', 'utf8')).split('\n')[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy: busy / CLK_TCK, total: (busy + idle! + iowait!) / CLK_TCK };
  } catch {
    return null;
  }
}

/** Percent of all cores busy over the next `ms`: other work on the machine that will share it with the run. */
export async function machineBusyPercent(ms: number): Promise<number | null> {
  const before = await readMachine();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await readMachine();
  if (!before || !after || after.total === before.total) return null;
  return Math.round(((after.busy - before.busy) / (after.total - before.total)) * 1000) / 10;
}

function clockTicks(): number {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(out.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
}
