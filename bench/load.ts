import { Agent } from 'undici';
import type { LeadBodies } from './lead-body';
import { percentile } from './stats';

/** One lead as the client saw it; times are performance.now() milliseconds. */
export interface LeadRecord {
  /** When the open-loop schedule wanted it sent (max mode: when it was sent). */
  scheduledAt: number;
  sentAt: number;
  endAt: number;
  result: 'answered' | 'timeout' | 'network' | 'not_sent';
  status: number;
  /** Decision state for 200s; the error code otherwise. */
  state: string;
  reason: string | undefined;
  /** The gateway's own `ms` and `buyerMs` from the decision. */
  ms: number | undefined;
  buyerMs: number | undefined;
  error: string | undefined;
}

export interface LoadPlan {
  mode: 'rate' | 'max';
  rate: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  maxInFlight: number;
  /** Undefined: one per lead that may be in flight, so none queues inside the client unseen. */
  connections: number | undefined;
}

export interface LoadHooks {
  /** Called once at the end of warm-up and once at the end of the measured window. */
  onWindowStart(): void;
  onWindowEnd(): void;
  onSecond(progress: Progress): void;
}

export interface Progress {
  elapsedS: number;
  phase: 'warm-up' | 'measure' | 'drain';
  sent: number;
  done: number;
  /** 200 answers in the last second. */
  okPerSecond: number;
  /** Of the measured window so far (warm-up: of the warm-up). */
  p50: number | null;
  p99: number | null;
  errors: number;
  lateStarts: number;
  inFlight: number;
}

/**
 * The load generator: POST /v1/leads over undici keep-alive connections, round-robin over the
 * gateways. Rate mode is open loop: sends follow the clock, not completions, so a slow platform
 * meets the same arrivals (late sends are counted, not hidden). Max mode keeps `concurrency` in flight.
 */
export class LoadGenerator {
  readonly records: LeadRecord[] = [];
  startedAt = 0;
  windowStart = 0;
  windowEnd = 0;
  private inFlight = 0;
  private next = 0;
  private readonly agent: Agent;
  private readonly drained: Array<() => void> = [];
  private readonly targets: LeadTarget[];
  private readonly headers: Record<string, string>;

  constructor(
    gateways: string[],
    apiKey: string,
    private readonly bodies: LeadBodies,
    private readonly plan: LoadPlan,
    private readonly lateMs: number,
  ) {
    this.targets = gateways.map((gateway) => leadTarget(`${gateway}/v1/leads`));
    this.headers = { 'content-type': 'application/json', 'x-api-key': apiKey };
    const connections = plan.connections ?? (plan.mode === 'max' ? plan.concurrency : plan.maxInFlight);
    // undici's own timeouts rather than an AbortSignal per lead: a signal's timer fires (and builds a
    // DOMException) even after the answer came, which would bill the load generator for every lead.
    this.agent = new Agent({
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 120_000,
      headersTimeout: plan.timeoutMs,
      bodyTimeout: plan.timeoutMs,
    });
  }

  async run(hooks: LoadHooks): Promise<void> {
    this.startedAt = performance.now();
    this.windowStart = this.startedAt + this.plan.warmupMs;
    this.windowEnd = this.windowStart + this.plan.durationMs;
    const timers = [
      setTimeout(() => safely(() => hooks.onWindowStart()), this.plan.warmupMs),
      setTimeout(() => safely(() => hooks.onWindowEnd()), this.plan.warmupMs + this.plan.durationMs),
    ];
    let lastOk = 0;
    const ticker = setInterval(() => {
      const p = this.progress(lastOk);
      lastOk = p.okTotal;
      safely(() => hooks.onSecond(p));
    }, 1000);
    try {
      if (this.plan.mode === 'rate') await this.runRate();
      else await this.runMax();
      await this.drain();
    } finally {
      clearInterval(ticker);
      timers.forEach(clearTimeout);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Open loop: the i-th lead is due at start + i / rate, whatever happened to the others. */
  private runRate(): Promise<void> {
    const interval = 1000 / this.plan.rate;
    return new Promise((resolve) => {
      let i = 0;
      const tick = () => {
        const now = performance.now();
        for (;;) {
          const due = this.startedAt + i * interval;
          // The schedule is done, but the window (and its end hook) runs to its end.
          if (due >= this.windowEnd) return void setTimeout(resolve, Math.max(0, this.windowEnd - now));
          if (due > now) break;
          i++;
          if (this.inFlight >= this.plan.maxInFlight) this.records.push(notSent(due));
          else void this.send(due);
        }
        const wait = this.startedAt + i * interval - performance.now();
        if (wait >= 1) setTimeout(tick, Math.floor(wait));
        else setImmediate(tick);
      };
      tick();
    });
  }

  /** Closed loop: each worker sends its next lead as soon as its last one is answered. */
  private async runMax(): Promise<void> {
    const worker = async () => {
      while (performance.now() < this.windowEnd) await this.send(performance.now());
    };
    await Promise.all(Array.from({ length: this.plan.concurrency }, worker));
  }

  private drain(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private async send(scheduledAt: number): Promise<void> {
    const target = this.targets[this.next++ % this.targets.length]!;
    const body = this.bodies.next();
    this.inFlight++;
    const sentAt = performance.now();
    const record: LeadRecord = {
      scheduledAt,
      sentAt,
      endAt: 0,
      result: 'answered',
      status: 0,
      state: '',
      reason: undefined,
      ms: undefined,
      buyerMs: undefined,
      error: undefined,
    };
    this.records.push(record);
    try {
      const answer = await postLead(this.agent, target, this.headers, body);
      record.endAt = performance.now();
      record.status = answer.status;
      readAnswer(record, answer.text);
    } catch (error) {
      record.endAt = performance.now();
      const code = (error as { code?: string }).code;
      record.result = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : 'network';
      record.state = record.result;
      record.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (--this.inFlight === 0) this.drained.splice(0).forEach((resolve) => resolve());
    }
  }

  private progress(lastOk: number): Progress & { okTotal: number } {
    const now = performance.now();
    const phase = now < this.windowStart ? 'warm-up' : now < this.windowEnd ? 'measure' : 'drain';
    const [from, to] = phase === 'warm-up' ? [this.startedAt, this.windowStart] : [this.windowStart, this.windowEnd];
    const latencies: number[] = [];
    let done = 0;
    let okTotal = 0;
    let errors = 0;
    let lateStarts = 0;
    for (const r of this.records) {
      if (r.result === 'not_sent') {
        errors++;
        continue;
      }
      if (r.sentAt - r.scheduledAt > this.lateMs) lateStarts++;
      if (r.endAt === 0) continue;
      done++;
      if (r.status === 200) okTotal++;
      else errors++;
      if (r.status === 200 && r.sentAt >= from && r.sentAt < to) latencies.push(r.endAt - r.sentAt);
    }
    const sorted = Float64Array.from(latencies).sort();
    return {
      elapsedS: (now - this.startedAt) / 1000,
      phase,
      sent: this.records.length,
      done,
      okPerSecond: okTotal - lastOk,
      okTotal,
      p50: sorted.length ? percentile(sorted, 50) : null,
      p99: sorted.length ? percentile(sorted, 99) : null,
      errors,
      lateStarts,
      inFlight: this.inFlight,
    };
  }
}

/** Where leads go: POST /v1/leads on one gateway, split the way undici's dispatch takes it. */
interface LeadTarget {
  origin: string;
  path: string;
}

function leadTarget(url: string): LeadTarget {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: parsed.pathname + parsed.search };
}

/**
 * One lead's POST and its whole answer, through undici's dispatch with a small handler: the load
 * generator is billed per lead too, and `request()` builds a Readable stream and promise plumbing
 * for each. Errors are undici's own (header/body timeouts keep their codes).
 */
function postLead(
  agent: Agent,
  target: LeadTarget,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    agent.dispatch(
      { origin: target.origin, path: target.path, method: 'POST', headers, body },
      {
        // Its presence makes undici call the handler API below (onResponse*), not the older one.
        onRequestStart: () => undefined,
        onResponseStart: (_controller, statusCode) => {
          status = statusCode;
        },
        onResponseData: (_controller, chunk) => {
          chunks.push(chunk);
        },
        onResponseEnd: () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }),
        onResponseError: (_controller, error) => reject(error),
      },
    );
  });
}

/** A failing hook must not take the load (and the stack's cleanup) down with it. */
function safely(hook: () => void): void {
  try {
    hook();
  } catch (error) {
    process.stderr.write(`[bench] window hook failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

function readAnswer(record: LeadRecord, text: string): void {
  try {
    const body = JSON.parse(text) as {
      state?: string;
      reason?: string;
      ms?: number;
      buyerMs?: number;
      error?: { code?: string; message?: string };
    };
    if (record.status === 200) {
      record.state = body.state ?? 'unknown';
      record.reason = body.reason;
      record.ms = body.ms;
      record.buyerMs = body.buyerMs;
    } else {
      record.state = body.error?.code ?? 'no error code';
      record.error = body.error?.message;
    }
  } catch {
    record.state = 'unparseable answer';
    record.error = text.slice(0, 200);
  }
}

function notSent(due: number): LeadRecord {
  return {
    scheduledAt: due,
    sentAt: due,
    endAt: due,
    result: 'not_sent',
    status: 0,
    state: 'not_sent',
    reason: undefined,
    ms: undefined,
    buyerMs: undefined,
    error: 'max-in-flight reached',
  };
}
