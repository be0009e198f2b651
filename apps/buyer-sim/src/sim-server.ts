import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AdminContext, handleAdmin } from './admin-routes';
import { decideReply, parseRequest } from './buyer-behaviour';
import { BuyerRegistry } from './buyer-registry';
import { type CallbackFilter, CallbackSender, type SentCallback } from './callback-sender';
import { BodyTooLargeError, readBody, sendAnswer, sendJson } from './http-io';
import { PendingAnswers } from './pending-answers';
import { RequestLog, type RecordedRequest, type RequestFilter } from './request-log';
import type { CallKind, SimBuyer, SimBuyerInput } from './sim-buyer';

export interface BuyerSimOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  buyers?: SimBuyerInput[];
  /** Seeds every buyer's random stream; the same seed gives the same bids. */
  seed?: number;
  /** Keep the last 10,000 calls for tests (default true); benchmarks turn it off. */
  recordRequests?: boolean;
}

export interface BuyerSim {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Adds or replaces a buyer; throws a ZodError when invalid. */
  setBuyer(buyer: SimBuyerInput): SimBuyer;
  requests(filter?: RequestFilter): RecordedRequest[];
  clearRequests(): void;
  /** Callback POSTs made so far (each attempt, with the receiver's answer), oldest first. */
  callbacks(filter?: CallbackFilter): SentCallback[];
  /** Callbacks still waiting for their delay. */
  scheduledCallbacks(): number;
  clearCallbacks(): void;
  /**
   * Stops listening, drops waiting answers, held (`hang`) calls and scheduled callbacks, aborts
   * callbacks in flight. Safe to call twice.
   */
  close(): Promise<void>;
}

export const DEFAULT_SEED = 20_240_601;

const BUYER_CALL = /^\/buyers\/([^/]+)\/(ping|post)$/;

export async function startBuyerSim(opts: BuyerSimOptions = {}): Promise<BuyerSim> {
  const host = opts.host ?? '127.0.0.1';
  const recordRequests = opts.recordRequests ?? true;
  const ctx: AdminContext = {
    buyers: new BuyerRegistry(opts.seed ?? DEFAULT_SEED),
    log: new RequestLog(),
    callbacks: new CallbackSender(),
  };
  for (const buyer of opts.buyers ?? []) ctx.buyers.set(buyer);
  // Answers waiting out their latency; cleared on close so no timer outlives the sim.
  const waiting = new PendingAnswers();
  let closing: Promise<void> | undefined;

  /** Callbacks rather than an async function: no promise per call at thousands of answers a second. */
  function handle(req: IncomingMessage, res: ServerResponse): void {
    const receivedAt = recordRequests ? new Date().toISOString() : '';
    readBody(req, (err, rawBody) => {
      if (err) return failed(res, err);
      try {
        route(req, res, rawBody, receivedAt);
      } catch (error) {
        failed(res, error);
      }
    });
  }

  function route(req: IncomingMessage, res: ServerResponse, rawBody: string, receivedAt: string): void {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const call = BUYER_CALL.exec(path);
    if (call) {
      return buyerCall(req, res, decodeURIComponent(call[1]), call[2] as CallKind, rawBody, receivedAt);
    }
    const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
    if (handleAdmin(ctx, { method: req.method ?? 'GET', path, query, rawBody }, res)) return;
    sendJson(res, 404, { error: 'not found', path });
  }

  function buyerCall(
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    kind: CallKind,
    rawBody: string,
    receivedAt: string,
  ): void {
    const state = ctx.buyers.get(key);
    if (!state) return sendJson(res, 404, { error: 'unknown buyer', buyer: key });
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    const request = parseRequest(state, rawBody);
    if (recordRequests) {
      const body = request.ok ? request.body : null;
      ctx.log.add({ buyer: key, kind, method: req.method, headers: req.headers, rawBody, body, receivedAt });
    }
    const reply = decideReply(state, kind, request);
    // A hanging buyer holds the call until the client aborts or close() drops the connection.
    if (reply.hang || closing) return;
    // The buyer calls back whether or not the caller waits for the pending answer.
    if (reply.callback) ctx.callbacks.schedule(reply.callback);
    if (reply.delayMs <= 0) return sendAnswer(res, reply.answer);
    // A client that gave up meanwhile is seen when the answer is due (sendAnswer checks).
    waiting.after(reply.delayMs, () => sendAnswer(res, reply.answer));
  }

  const server = createServer(handle);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  async function shutdown(): Promise<void> {
    waiting.clear();
    await ctx.callbacks.close();
    await new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // Idle keep-alive sockets and hanging calls would otherwise keep close() waiting.
      server.closeAllConnections();
    });
  }

  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    setBuyer: (buyer) => ctx.buyers.set(buyer),
    requests: (filter) => ctx.log.list(filter),
    clearRequests: () => ctx.log.clear(),
    callbacks: (filter) => ctx.callbacks.list(filter),
    scheduledCallbacks: () => ctx.callbacks.scheduledCount(),
    clearCallbacks: () => ctx.callbacks.clear(),
    close: () => (closing ??= shutdown()),
  };
}

function failed(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
  } else if (err instanceof BodyTooLargeError) {
    res.setHeader('connection', 'close');
    sendJson(res, 413, { error: err.message });
  } else if (err instanceof URIError) {
    sendJson(res, 400, { error: 'malformed URL' });
  } else {
    sendJson(res, 500, { error: err instanceof Error ? err.message : 'internal error' });
  }
}

/** Clients can't dial an unspecified address; point them at loopback instead. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
