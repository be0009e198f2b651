import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { checkedConnector } from './checked-connector';
import { type Deadline, type DeadlineCall, DeadlineSignals } from './deadline-signals';
import type { BuiltRequest } from './request-builder';
import { storableText } from './storable-text';

/** Cap on a buyer's answer; a larger body is cut and read as what arrived. */
const MAX_BODY_BYTES = 64 * 1024;

export interface BuyerHttpResult {
  kind: 'answered' | 'timeout' | 'network_error';
  status: number | null;
  body: string;
  ms: number;
  error: string | null;
}

/**
 * Keep-alive pools per origin, sized so pings don't queue inside the pool where their timeout
 * wouldn't count. The budget is enforced by a deadline shared by the calls that end at the same
 * moment (a fan-out): undici's own header/body timeouts run on coarse timers and let late answers
 * through.
 */
export class BuyerHttpClient {
  private readonly agent: Agent;
  private readonly deadlines = new DeadlineSignals();

  /**
   * Every connection is checked against forbidden addresses (metadata, link-local; loopback and
   * private unless PINGTREE_ALLOW_PRIVATE_BUYER_URLS=true). `lookup` replaces DNS in tests.
   */
  constructor(options: { allowPrivateAddresses?: boolean; lookup?: LookupFunction } = {}) {
    const allowPrivate = options.allowPrivateAddresses ?? process.env['PINGTREE_ALLOW_PRIVATE_BUYER_URLS'] === 'true';
    this.agent = new Agent({
      connections: 512,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
      pipelining: 1,
      connect: checkedConnector({ allowPrivate, lookup: options.lookup }),
    });
  }

  send(req: BuiltRequest, budgetMs: number): Promise<BuyerHttpResult> {
    return new Promise((resolve) => {
      const call = new BuyerCall(this.deadlines, budgetMs, resolve);
      let origin: string;
      let path: string;
      try {
        const url = new URL(req.url);
        origin = url.origin;
        path = url.pathname + url.search;
      } catch (error) {
        return call.failed(error);
      }
      // Errors (refused address, bad header) reach the call's onResponseError, never a throw.
      this.agent.dispatch({ origin, path, method: req.method, headers: req.headers, body: req.body ?? null }, call);
    });
  }

  /** Deadlines with buyer calls still running (tests: a settled fan-out leaves no timer behind). */
  get openDeadlines(): number {
    return this.deadlines.size;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/**
 * One buyer call as undici's dispatch handler: collects the answer's chunks (up to MAX_BODY_BYTES,
 * the rest is cut) and settles once, with the answer, the error, or the deadline, whichever comes
 * first. Cheaper than `request()`, which builds a Readable stream and promise plumbing per call.
 */
class BuyerCall implements Dispatcher.DispatchHandler, DeadlineCall {
  private readonly started = performance.now();
  private readonly deadline: Deadline;
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private chunks: Buffer[] = [];
  private size = 0;
  private settled = false;

  constructor(
    private readonly deadlines: DeadlineSignals,
    private readonly budgetMs: number,
    private readonly resolve: (result: BuyerHttpResult) => void,
  ) {
    this.deadline = deadlines.acquire(budgetMs, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // The deadline passed while the call waited for a connection.
    if (this.settled) controller.abort(new Error(`no answer within ${this.budgetMs} ms`));
    else this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    // 1xx answers are interim; the final status follows.
    if (statusCode >= 200) this.status = statusCode;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size < MAX_BODY_BYTES) return;
    this.answered();
    controller.abort(new Error(`answer over ${MAX_BODY_BYTES} bytes`));
  }

  onResponseEnd(): void {
    this.answered();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.failed(error);
  }

  /** The deadline passed first: settled now, to the millisecond; the connection is dropped. */
  expire(): void {
    if (this.settled) return;
    this.settle({
      kind: 'timeout',
      status: null,
      body: '',
      ms: performance.now() - this.started,
      error: `no answer within ${this.budgetMs} ms`,
    });
    this.controller?.abort(new Error(`no answer within ${this.budgetMs} ms`));
  }

  failed(error: unknown): void {
    if (this.settled) return;
    const message = error instanceof Error ? error.message : String(error);
    this.settle({ kind: 'network_error', status: null, body: '', ms: performance.now() - this.started, error: message });
  }

  private answered(): void {
    if (this.settled) return;
    const text = Buffer.concat(this.chunks, this.size).subarray(0, MAX_BODY_BYTES).toString('utf8');
    this.chunks = [];
    const ms = performance.now() - this.started;
    this.settle({ kind: 'answered', status: this.status, body: storableText(text), ms, error: null });
  }

  private settle(result: BuyerHttpResult): void {
    this.settled = true;
    this.deadlines.release(this.deadline, this);
    this.resolve(result);
  }
}
