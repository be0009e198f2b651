import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, request, errors as undiciErrors } from 'undici';
import { checkedConnector } from './checked-connector';
import { DeadlineSignals } from './deadline-signals';
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
 * wouldn't count. The budget is enforced by an abort signal, shared by the calls that end at the
 * same moment (a fan-out): undici's own header/body timeouts run on coarse timers and let late
 * answers through.
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

  async send(req: BuiltRequest, budgetMs: number): Promise<BuyerHttpResult> {
    const started = performance.now();
    const deadline = this.deadlines.acquire(budgetMs);
    const signal = deadline.controller.signal;
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
        dispatcher: this.agent,
      });
      const body = await readCapped(res.body);
      return { kind: 'answered', status: res.statusCode, body, ms: performance.now() - started, error: null };
    } catch (error) {
      const ms = performance.now() - started;
      if (signal.aborted) return { kind: 'timeout', status: null, body: '', ms, error: `no answer within ${budgetMs} ms` };
      const message = error instanceof undiciErrors.UndiciError || error instanceof Error ? error.message : String(error);
      return { kind: 'network_error', status: null, body: '', ms, error: message };
    } finally {
      this.deadlines.release(deadline);
    }
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
 * Collects the answer from the stream's events (cheaper per call than an async iterator); past
 * MAX_BODY_BYTES the rest is dropped. An abort (the deadline) destroys the stream with an error.
 */
function readCapped(body: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(storableText(Buffer.concat(chunks, size).subarray(0, MAX_BODY_BYTES).toString('utf8')));
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_BODY_BYTES) {
        done();
        body.destroy();
      }
    });
    body.once('end', done);
    body.once('error', reject);
    // Settled already unless the stream closed without its end (then the answer is incomplete).
    body.once('close', () => reject(new Error('the connection closed before the answer ended')));
  });
}
