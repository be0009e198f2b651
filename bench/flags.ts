import path from 'node:path';
import { SERVICES, type ServiceName } from '@pingtree/contracts';
import { STYLES, type Style } from '../apps/buyer-sim/src';

/** A closed range such as `5-50`, both ends included. */
export interface Range {
  min: number;
  max: number;
}

export interface BenchFlags {
  mode: 'rate' | 'max';
  rate: number;
  concurrency: number;
  duration: number;
  warmup: number;
  interval: number;
  buyers: number;
  buyerLatency: Range;
  bids: Range;
  pingRejectRate: number;
  postRejectRate: number;
  style: Style;
  tmax: number;
  dedupeHours: number;
  circuitThreshold: number | undefined;
  replicas: number;
  url: string | undefined;
  adminKey: string;
  simUrl: string;
  metrics: string | undefined;
  timeout: number;
  maxInFlight: number;
  lateMs: number;
  connections: number | undefined;
  dbPool: number | undefined;
  logLevel: string | undefined;
  cpuProf: ServiceName | 'buyer-sim' | undefined;
  out: string;
  keep: boolean;
  label: string;
  waitQuiet: number;
}

interface FlagSpec {
  name: string;
  key: keyof BenchFlags;
  kind: 'int' | 'number' | 'range' | 'string' | 'bool';
  help: string;
  /** Shown in --help; the parsed default lives in DEFAULTS. */
  env?: string;
  choices?: readonly string[];
}

const ROOT = path.resolve(__dirname, '..', '..');

export const DEFAULTS: BenchFlags = {
  mode: 'rate',
  rate: 200,
  concurrency: 64,
  duration: 30,
  warmup: 5,
  interval: 10,
  buyers: 10,
  buyerLatency: { min: 5, max: 50 },
  bids: { min: 1, max: 40 },
  pingRejectRate: 0,
  postRejectRate: 0,
  style: 'bid-json',
  tmax: 3000,
  dedupeHours: 0,
  circuitThreshold: undefined,
  replicas: 1,
  url: undefined,
  adminKey: 'dev-admin-key-change-me',
  simUrl: 'http://127.0.0.1:4100',
  metrics: undefined,
  timeout: 5000,
  maxInFlight: 2048,
  lateMs: 5,
  connections: undefined,
  dbPool: undefined,
  logLevel: undefined,
  cpuProf: undefined,
  out: path.join(ROOT, 'bench', 'results'),
  keep: false,
  label: '',
  waitQuiet: 0,
};

const SPECS: FlagSpec[] = [
  {
    name: 'mode',
    key: 'mode',
    kind: 'string',
    choices: ['rate', 'max'],
    help: 'rate: fixed arrival rate (open loop); max: as fast as --concurrency allows',
  },
  { name: 'rate', key: 'rate', kind: 'number', help: 'leads per second offered in rate mode' },
  { name: 'concurrency', key: 'concurrency', kind: 'int', help: 'leads in flight in max mode (closed loop)' },
  { name: 'duration', key: 'duration', kind: 'number', help: 'measured seconds' },
  { name: 'warmup', key: 'warmup', kind: 'number', help: 'seconds of load before measuring (excluded from every figure)' },
  {
    name: 'interval',
    key: 'interval',
    kind: 'number',
    help: 'the summary and JSON also give rate and latency per this many seconds of the window (does a long run hold?)',
  },
  { name: 'buyers', key: 'buyers', kind: 'int', help: 'simulated buyers in the one auction tier' },
  {
    name: 'buyer-latency',
    key: 'buyerLatency',
    kind: 'range',
    help: 'each buyer answer takes uniform MIN-MAX ms (pings and posts)',
  },
  { name: 'bids', key: 'bids', kind: 'range', help: 'each bid is uniform in MIN-MAX dollars' },
  { name: 'ping-reject-rate', key: 'pingRejectRate', kind: 'number', help: 'share of pings a buyer declines (0-1)' },
  { name: 'post-reject-rate', key: 'postRejectRate', kind: 'number', help: 'share of posts a buyer rejects (0-1)' },
  { name: 'style', key: 'style', kind: 'string', choices: STYLES, help: 'buyer-sim answer dialect of every buyer' },
  { name: 'tmax', key: 'tmax', kind: 'int', help: "benchmark campaign's whole-lead deadline, ms" },
  {
    name: 'dedupe-hours',
    key: 'dedupeHours',
    kind: 'number',
    help: "campaign's dedupe window; 0 skips the dedupe claim (leads are unique anyway), 24 is the production default",
  },
  {
    name: 'circuit-threshold',
    key: 'circuitThreshold',
    kind: 'int',
    help: "failed pings in a row that open a channel's circuit (1-1000); default: the channel default",
  },
  { name: 'replicas', key: 'replicas', kind: 'int', help: 'processes of each service (queue groups); own stack only' },
  {
    name: 'url',
    key: 'url',
    kind: 'string',
    env: 'PINGTREE_URL',
    help: 'gateway of a running stack (comma-separate several); default: start our own',
  },
  { name: 'admin-key', key: 'adminKey', kind: 'string', env: 'PINGTREE_ADMIN_KEY', help: 'admin API key of the running stack' },
  {
    name: 'sim-url',
    key: 'simUrl',
    kind: 'string',
    env: 'BUYER_SIM_URL',
    help: "running stack's buyer-sim (must be reachable by its ping/post services)",
  },
  {
    name: 'metrics',
    key: 'metrics',
    kind: 'string',
    help: 'running stack: name=url,... of /metrics to scrape (default: the npm start ports)',
  },
  { name: 'timeout', key: 'timeout', kind: 'int', help: 'client timeout per lead, ms' },
  {
    name: 'max-in-flight',
    key: 'maxInFlight',
    kind: 'int',
    help: 'rate mode: leads in flight before new arrivals are dropped (and counted)',
  },
  {
    name: 'late-ms',
    key: 'lateMs',
    kind: 'number',
    help: 'rate mode: a lead sent this much after its scheduled time counts as a late start',
  },
  {
    name: 'connections',
    key: 'connections',
    kind: 'int',
    help: 'keep-alive connections per gateway; default: one per lead in flight (--max-in-flight, or --concurrency in max mode), so no lead waits inside the client for a connection',
  },
  {
    name: 'db-pool',
    key: 'dbPool',
    kind: 'int',
    help: "override every service's PostgreSQL pool (DATABASE_POOL_SIZE); default: the services' own",
  },
  {
    name: 'log-level',
    key: 'logLevel',
    kind: 'string',
    choices: ['debug', 'info', 'warn', 'error'],
    help: "services' LOG_LEVEL; default: the services' own",
  },
  {
    name: 'cpu-prof',
    key: 'cpuProf',
    kind: 'string',
    choices: [...SERVICES, 'buyer-sim'],
    help: 'CPU-profile this process (its first replica) during the measured window (.cpuprofile + top frames)',
  },
  { name: 'out', key: 'out', kind: 'string', help: 'folder for results JSON (service logs go to <out>/logs/)' },
  { name: 'keep', key: 'keep', kind: 'bool', help: 'own stack: keep the database and JetStream stream afterwards' },
  { name: 'label', key: 'label', kind: 'string', help: 'free text stored with the results' },
  {
    name: 'wait-quiet',
    key: 'waitQuiet',
    kind: 'number',
    help: 'on a shared machine: wait up to this many seconds for other work to leave the cores before loading',
  },
];

export class FlagError extends Error {}

/** Parses `--name value`, `--name=value` and bare `--keep`; environment fills flags that name one. */
export function parseFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchFlags | 'help' {
  const flags: BenchFlags = { ...DEFAULTS };
  for (const spec of SPECS) {
    const fromEnv = spec.env ? env[spec.env] : undefined;
    if (fromEnv) assign(flags, spec, fromEnv);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument ${JSON.stringify(arg)} (flags start with --)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = SPECS.find((s) => s.name === name);
    if (!spec) throw new FlagError(`unknown flag --${name}; see --help`);
    if (spec.kind === 'bool') {
      assign(flags, spec, eq === -1 ? 'true' : arg.slice(eq + 1));
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new FlagError(`--${name} needs a value`);
    assign(flags, spec, value);
  }
  check(flags);
  return flags;
}

function assign(flags: BenchFlags, spec: FlagSpec, raw: string): void {
  const target = flags as unknown as Record<string, unknown>;
  const fail = (what: string): never => {
    throw new FlagError(`--${spec.name} ${JSON.stringify(raw)}: ${what}`);
  };
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) fail('not a number');
      if (spec.kind === 'int' && !Number.isInteger(n)) fail('not a whole number');
      target[spec.key] = n;
      return;
    }
    case 'range': {
      const match = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(raw.trim());
      if (!match) fail('use MIN-MAX, e.g. 5-50');
      const min = Number(match![1]);
      const max = match![2] === undefined ? min : Number(match![2]);
      if (max < min) fail('MAX is below MIN');
      target[spec.key] = { min, max };
      return;
    }
    case 'bool':
      if (!['true', 'false', '1', '0'].includes(raw)) fail('use true or false');
      target[spec.key] = raw === 'true' || raw === '1';
      return;
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) fail(`one of ${spec.choices.join(', ')}`);
      target[spec.key] = raw;
      return;
  }
}

function check(f: BenchFlags): void {
  const positive: Array<[string, number]> = [
    ['rate', f.rate],
    ['concurrency', f.concurrency],
    ['duration', f.duration],
    ['interval', f.interval],
    ['buyers', f.buyers],
    ['replicas', f.replicas],
    ['timeout', f.timeout],
    ['max-in-flight', f.maxInFlight],
    ['connections', f.connections ?? 1],
    ['tmax', f.tmax],
  ];
  for (const [name, value] of positive) if (!(value > 0)) throw new FlagError(`--${name} must be above 0`);
  if (f.warmup < 0) throw new FlagError('--warmup must be 0 or more');
  if (f.waitQuiet < 0) throw new FlagError('--wait-quiet must be 0 or more');
  if (f.dedupeHours < 0) throw new FlagError('--dedupe-hours must be 0 or more');
  if (f.circuitThreshold !== undefined && (f.circuitThreshold < 1 || f.circuitThreshold > 1000)) {
    throw new FlagError('--circuit-threshold must be from 1 to 1000');
  }
  for (const [name, value] of [
    ['ping-reject-rate', f.pingRejectRate],
    ['post-reject-rate', f.postRejectRate],
  ] as const) {
    if (value < 0 || value > 1) throw new FlagError(`--${name} must be between 0 and 1`);
  }
  if (f.bids.min <= 0) throw new FlagError('--bids must be above 0 (buyer-sim bids are positive)');
  if (f.url && f.replicas !== 1) throw new FlagError('--replicas applies to our own stack; scale a running stack yourself');
  if (f.url && f.cpuProf) throw new FlagError('--cpu-prof needs our own stack (it starts the profiled service)');
}

export function helpText(): string {
  const rows = SPECS.map((s) => {
    const value = DEFAULTS[s.key];
    const shown =
      value === undefined || value === ''
        ? s.env
          ? `$${s.env}`
          : '-'
        : typeof value === 'object'
          ? `${value.min}-${value.max}`
          : s.key === 'out'
            ? 'bench/results'
            : String(value);
    const choices = s.choices ? ` [${s.choices.join('|')}]` : '';
    const env = s.env && value !== undefined ? ` (env ${s.env})` : '';
    return `  --${s.name.padEnd(17)} ${s.help}${choices}${env}\n  ${' '.repeat(19)} default: ${shown}`;
  });
  return [
    'npm run bench -- [flags]',
    '',
    'Drives the whole platform with an auction over simulated buyers and writes results JSON to bench/results/.',
    'Without --url it starts its own stack: a fresh database on the local PostgreSQL, a unique NATS namespace,',
    'buyer-sim (recording off) and every service as its own process.',
    '',
    ...rows,
    '',
    'Examples:',
    '  npm run bench                                   # 200 leads/s for 30 s after 5 s warm-up',
    '  npm run bench -- --mode max --concurrency 64',
    '  npm run bench -- --mode rate --rate 600',
    '  npm run bench -- --replicas 2 --mode max',
    '  npm run bench -- --cpu-prof ping --duration 15',
    '',
  ].join('\n');
}
