import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leadInputSchema } from '@pingtree/contracts';
import { DEFAULTS, FlagError, parseFlags } from './flags';
import { LeadBodies } from './lead-body';
import type { LeadRecord } from './load';
import type { MachineFacts } from './machine';
import { formatOverTime, overTime } from './over-time';
import { summarizeProfile } from './profile-summary';
import { buildResult } from './report';
import { distribution } from './stats';

describe('bench flags', () => {
  it('defaults to 200 leads/s for 30 s after a 5 s warm-up, over 10 buyers answering in 5-50 ms', () => {
    expect(parseFlags([], {})).toMatchObject({
      mode: 'rate',
      rate: 200,
      duration: 30,
      warmup: 5,
      buyers: 10,
      buyerLatency: { min: 5, max: 50 },
      bids: { min: 1, max: 40 },
      replicas: 1,
    });
  });

  it('reads --name value, --name=value, ranges and bare booleans', () => {
    const flags = parseFlags(['--mode', 'max', '--concurrency=32', '--buyer-latency', '10-20', '--keep'], {});
    expect(flags).toMatchObject({ mode: 'max', concurrency: 32, buyerLatency: { min: 10, max: 20 }, keep: true });
  });

  it('takes the running stack from the environment', () => {
    expect(parseFlags([], { PINGTREE_URL: 'http://127.0.0.1:3000', PINGTREE_ADMIN_KEY: 'k'.repeat(20) })).toMatchObject({
      url: 'http://127.0.0.1:3000',
      adminKey: 'k'.repeat(20),
    });
  });

  it.each([
    [['--rate', 'fast'], /not a number/],
    [['--buyer-latency', '50-5'], /MAX is below MIN/],
    [['--mode', 'burst'], /one of rate, max/],
    [['--nope', '1'], /unknown flag --nope/],
    [['--rate'], /needs a value/],
    [['--url', 'http://x', '--replicas', '2'], /own stack/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv, {})).toThrow(FlagError);
    expect(() => parseFlags(argv, {})).toThrow(message);
  });

  it('answers help', () => {
    expect(parseFlags(['--help'], {})).toBe('help');
  });
});

describe('bench stats', () => {
  it('gives nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(distribution(values)).toEqual({ n: 100, mean: 50.5, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(distribution([]).p50).toBeNull();
  });
});

describe('bench lead bodies', () => {
  it('are valid leads with contact data no other lead of the run shares', () => {
    const bodies = new LeadBodies('bench-abc123', 'abc123');
    const leads = Array.from({ length: 20_005 }, () => leadInputSchema.parse(JSON.parse(bodies.next())));
    expect(new Set(leads.map((l) => l.contact.phone)).size).toBe(leads.length);
    expect(new Set(leads.map((l) => l.contact.email)).size).toBe(leads.length);
    expect(new Set(leads.map((l) => l.supplierLeadId)).size).toBe(leads.length);
  });
});

describe('bench report', () => {
  const machine = { nproc: 2, loadAverageAtStart: [0, 0, 0] } as unknown as MachineFacts;
  const record = (at: number, e2e: number, buyerMs: number, status = 200): LeadRecord => ({
    scheduledAt: at,
    sentAt: at,
    endAt: at + e2e,
    result: 'answered',
    status,
    state: status === 200 ? 'sold' : 'OVERLOADED',
    reason: undefined,
    ms: e2e - 1,
    buyerMs: status === 200 ? buyerMs : undefined,
    error: undefined,
  });

  it('takes overhead as client end-to-end minus buyer time, counting only the measured window', () => {
    const records = [
      record(500, 400, 1), // warm-up: left out
      record(1000, 50, 46),
      record(1100, 60, 52),
      record(1200, 10, 0, 429),
    ];
    const result = buildResult({
      flags: { ...DEFAULTS },
      runId: 'r',
      startedAt: new Date(),
      machine,
      stack: { own: true, processes: [], namespace: null, database: null },
      records,
      windowStart: 1000,
      windowEnd: 2000,
      cpuStart: null,
      cpuEnd: null,
      auditBacklog: { atWindowEnd: null, afterDrain: null },
      profile: null,
    });
    expect(result.latency.endToEnd).toMatchObject({ n: 2, p50: 50, max: 60 });
    expect(result.latency.overhead).toMatchObject({ n: 2, p50: 4, max: 8 });
    expect(result.latency.overheadInsideGateway).toMatchObject({ p50: 3, max: 7 });
    expect(result.errors).toEqual({ total: 1, byKind: { 'http 429 OVERLOADED': 1 } });
    expect(result.outcomes).toEqual({ sold: 2 });
    expect(result.load.leadsPerSecond).toBe(2);
  });

  it('slices the window by --interval, so a run that drifts shows it', () => {
    const records = [
      record(1000, 50, 46),
      record(1500, 60, 50),
      record(2100, 300, 40), // second slice: slower
      record(2600, 20, 0, 429),
      record(2900, 310, 45),
    ];
    const intervals = overTime(records, 1000, 3000, 1);
    expect(intervals).toHaveLength(2);
    expect(intervals[0]).toMatchObject({
      fromS: 0,
      toS: 1,
      offeredPerSecond: 2,
      answeredPerSecond: 2,
      errors: 0,
      endToEnd: { p50: 50, p99: 60 },
      overhead: { p50: 4, p99: 10 },
    });
    expect(intervals[1]).toMatchObject({ fromS: 1, toS: 2, offeredPerSecond: 3, errors: 1, endToEnd: { p50: 300, p99: 310 } });
    // The 2100 lead answered at 2400 counts in the second slice's answers; the 2900 one answered after the window.
    expect(intervals[1]!.answeredPerSecond).toBe(1);
    expect(formatOverTime(intervals)).toHaveLength(3);
    expect(formatOverTime(intervals.slice(0, 1))).toEqual([]);
  });
});

describe('bench profile summary', () => {
  it('ranks self time by function and package, and total time by our own functions', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prof-')), 'p.cpuprofile');
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    fs.writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
          { id: 2, callFrame: frame('dispatch', 'file:///r/dist/apps/ping/src/ping-dispatch.handler.js'), children: [3] },
          { id: 3, callFrame: frame('request', 'file:///r/node_modules/undici/lib/api/api-request.js') },
          { id: 4, callFrame: frame('(idle)', '') },
        ],
        samples: [3, 3, 3, 2, 4, 4, 4, 4],
        startTime: 0,
        endTime: 8000,
      }),
    );
    const summary = summarizeProfile(file);
    expect(summary.idlePercent).toBe(50);
    expect(summary.selfByPlace[0]).toEqual({ what: 'undici', percent: 75 });
    expect(summary.totalByOwnFunction[0]).toEqual({ what: 'dispatch apps/ping/src/ping-dispatch.handler.js:1', percent: 100 });
  });
});
