import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createBenchCampaign, waitUntilCampaignSells } from './campaign';
import {
  findNatsServerPid,
  machineBusyPercent,
  metricsSource,
  postgresSources,
  procSource,
  selfSource,
  snapshot,
  type CpuSnapshot,
  type CpuSource,
} from './cpu';
import { FlagError, helpText, parseFlags, type BenchFlags } from './flags';
import { LeadBodies } from './lead-body';
import { LoadGenerator, type Progress } from './load';
import { machineFacts } from './machine';
import { auditBacklog, startOwnStack, type Stack } from './own-stack';
import { sleep } from './processes';
import { formatProfileSummary, summarizeProfile, type ProfileSummary } from './profile-summary';
import { buildResult, formatSummary } from './report';
import { runningStack } from './running-stack';

/** Above this, something else is using the cores the platform is about to be measured on. */
const QUIET_MACHINE_BUSY_PERCENT = 15;

/**
 * `npm run bench`: start (or find) the platform, create the benchmark campaign, offer load,
 * measure the window after warm-up, write bench/results/<iso-time>-<mode>.json and print a summary.
 */
async function main(): Promise<void> {
  let flags: BenchFlags | 'help';
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (flags === 'help') {
    process.stdout.write(helpText());
    return;
  }
  const startedAt = new Date();
  const runId = startedAt
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const runTag = randomBytes(3).toString('hex');
  fs.mkdirSync(flags.out, { recursive: true });
  const profileFile = flags.cpuProf ? path.join(flags.out, `${runId}-${flags.cpuProf}.cpuprofile`) : undefined;

  const stack = flags.url
    ? runningStack(flags)
    : await startOwnStack(flags, runId, profileFile ? { service: flags.cpuProf!, file: profileFile } : undefined);
  let closing = false;
  const stop = (code: number) => {
    if (closing) return;
    closing = true;
    void stack.close().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stop(130));
  process.once('SIGTERM', () => stop(143));
  // Whatever goes wrong, the stack we started is stopped and its database dropped.
  process.once('uncaughtException', (error) => {
    process.stderr.write(`[bench] failed: ${error.stack ?? error.message}\n`);
    stop(1);
  });
  try {
    await run(flags, stack, { runId, runTag, startedAt, profileFile });
  } finally {
    if (!closing) {
      closing = true;
      await stack.close();
    }
  }
}

interface RunIds {
  runId: string;
  runTag: string;
  startedAt: Date;
  profileFile: string | undefined;
}

async function run(flags: BenchFlags, stack: Stack, ids: RunIds): Promise<void> {
  const campaign = await createBenchCampaign(stack, flags, ids.runTag);
  await waitUntilCampaignSells(stack, campaign, flags, ids.runTag);
  if (flags.waitQuiet > 0) await waitForQuietMachine(flags.waitQuiet);
  const machine = await machineFacts(stack.own?.pgAdminUrl, stack.own?.natsUrl);
  if ((machine.busyBeforeLoadPercent ?? 0) > QUIET_MACHINE_BUSY_PERCENT) {
    log(
      `warning: the machine was ${machine.busyBeforeLoadPercent}% busy before any load (load average ${machine.loadAverageAtStart.join(' ')}); other work shares these cores and will distort the figures`,
    );
  }
  log(
    `campaign ${campaign.key}: one auction tier over ${campaign.channelIds.length} buyers; gateways ${stack.gatewayUrls.join(', ')}`,
  );

  const { sources, close: closeSources } = await cpuSources(stack);
  try {
    await checkSources(sources);
    const generator = new LoadGenerator(
      stack.gatewayUrls,
      campaign.supplierApiKey,
      new LeadBodies(campaign.key, ids.runTag),
      {
        mode: flags.mode,
        rate: flags.rate,
        concurrency: flags.concurrency,
        warmupMs: flags.warmup * 1000,
        durationMs: flags.duration * 1000,
        timeoutMs: flags.timeout,
        maxInFlight: flags.maxInFlight,
        connections: flags.connections,
      },
      flags.lateMs,
    );
    // Filled in by the generator's window hooks.
    const taken: { cpuStart?: Promise<CpuSnapshot>; cpuEnd?: Promise<CpuSnapshot>; backlogAtEnd?: Promise<number | null> } = {};
    log(
      `offering load: ${flags.mode === 'rate' ? `${flags.rate} leads/s` : `${flags.concurrency} in flight`} for ${flags.warmup} s warm-up + ${flags.duration} s measured`,
    );
    await generator.run({
      onWindowStart: () => {
        taken.cpuStart = snapshot(sources);
        if (ids.profileFile) fs.writeFileSync(`${ids.profileFile}.start`, '');
      },
      onWindowEnd: () => {
        taken.cpuEnd = snapshot(sources);
        if (ids.profileFile) fs.writeFileSync(`${ids.profileFile}.stop`, '');
        if (stack.own) taken.backlogAtEnd = auditBacklog(stack.own.nc, stack.own.namespace);
      },
      onSecond: (p) => log(progressLine(p)),
    });
    await generator.close();
    const afterDrain = stack.own ? await auditBacklog(stack.own.nc, stack.own.namespace) : null;
    const profile = ids.profileFile ? await readProfile(ids.profileFile) : null;

    const result = buildResult({
      flags,
      runId: ids.runId,
      startedAt: ids.startedAt,
      machine,
      stack: {
        own: stack.own !== undefined,
        processes: stack.services.map((s) => s.name),
        namespace: stack.own?.namespace ?? null,
        database: stack.own?.databaseName ?? null,
      },
      records: generator.records,
      windowStart: generator.windowStart,
      windowEnd: generator.windowEnd,
      cpuStart: (await taken.cpuStart) ?? null,
      cpuEnd: (await taken.cpuEnd) ?? null,
      auditBacklog: { atWindowEnd: (await taken.backlogAtEnd) ?? null, afterDrain },
      profile,
    });
    const file = path.join(flags.out, `${ids.runId}-${flags.mode}.json`);
    fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(formatSummary(result, path.relative(process.cwd(), file)));
    if (profile) process.stdout.write(formatProfileSummary(profile) + '\n');
  } finally {
    await closeSources();
  }
}

async function waitForQuietMachine(seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  let lastLog = 0;
  while (Date.now() < until) {
    const busy = await machineBusyPercent(2000);
    if (busy === null || busy <= QUIET_MACHINE_BUSY_PERCENT) return;
    if (Date.now() - lastLog > 10_000) {
      log(`waiting for a quiet machine: ${busy}% of the cores busy with other work`);
      lastLog = Date.now();
    }
  }
}

async function cpuSources(stack: Stack): Promise<{ sources: CpuSource[]; close(): Promise<void> }> {
  const sources: CpuSource[] = stack.services.map((s) => metricsSource(s.name, s.group, s.url));
  if (stack.buyerSimPid) sources.push(procSource('buyer-sim', 'buyer-sim', stack.buyerSimPid));
  sources.push(selfSource());
  if (!stack.own) return { sources, close: () => Promise.resolve() };
  const natsPid = findNatsServerPid(stack.own.natsUrl);
  if (natsPid) sources.push(procSource('nats-server', 'nats-server (shared)', natsPid));
  const pg = await postgresSources(stack.own.pgAdminUrl, stack.own.databaseName);
  return { sources: [...sources, ...pg.sources], close: pg.close };
}

/** A source that can't be read now would silently leave a service out of the CPU figures. */
async function checkSources(sources: CpuSource[]): Promise<void> {
  const values = await Promise.all(sources.map((s) => s.read().catch(() => null)));
  const missing = sources.filter((_, i) => values[i] === null).map((s) => s.name);
  if (missing.length) log(`warning: no CPU reading for ${missing.join(', ')}; they show as n/a`);
}

async function readProfile(file: string): Promise<ProfileSummary | null> {
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await sleep(100);
  if (!fs.existsSync(file)) {
    log(`warning: the CPU profile ${file} was not written`);
    return null;
  }
  for (const control of ['start', 'stop']) fs.rmSync(`${file}.${control}`, { force: true });
  return summarizeProfile(file);
}

function progressLine(p: Progress): string {
  const ms = (v: number | null) => (v === null ? '-' : v.toFixed(1));
  return [
    `${p.elapsedS.toFixed(0).padStart(3)}s ${p.phase.padEnd(7)}`,
    `sent ${p.sent}`,
    `done ${p.done}`,
    `${p.okPerSecond} leads/s`,
    `e2e p50 ${ms(p.p50)} p99 ${ms(p.p99)} ms`,
    `errors ${p.errors}`,
    `late ${p.lateStarts}`,
    `in flight ${p.inFlight}`,
  ].join('  ');
}

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
