import type { ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import type { BuyerRegistry } from './buyer-registry';
import type { CallbackFilter, CallbackSender } from './callback-sender';
import { sendEmpty, sendJson } from './http-io';
import type { RequestFilter, RequestLog } from './request-log';

export interface AdminContext {
  buyers: BuyerRegistry;
  log: RequestLog;
  callbacks: CallbackSender;
}

export interface AdminCall {
  method: string;
  path: string;
  query: URLSearchParams;
  rawBody: string;
}

interface FieldIssue {
  field: string;
  message: string;
}

const BUYER_PATH = /^\/_sim\/buyers\/([^/]+)$/;

/** Routes under /_sim/ for tests and demos. Returns false when the path is not one of them. */
export function handleAdmin(ctx: AdminContext, call: AdminCall, res: ServerResponse): boolean {
  if (call.path === '/_sim/buyers') {
    if (call.method !== 'GET') return methodNotAllowed(res, 'GET');
    sendJson(res, 200, { buyers: ctx.buyers.list() });
    return true;
  }
  const buyerMatch = BUYER_PATH.exec(call.path);
  if (buyerMatch) {
    if (call.method !== 'PUT') return methodNotAllowed(res, 'PUT');
    putBuyer(ctx, decodeURIComponent(buyerMatch[1]), call.rawBody, res);
    return true;
  }
  if (call.path === '/_sim/requests') {
    if (call.method === 'DELETE') {
      ctx.log.clear();
      sendEmpty(res, 204);
    } else if (call.method === 'GET') {
      listRequests(ctx, call.query, res);
    } else {
      methodNotAllowed(res, 'GET, DELETE');
    }
    return true;
  }
  if (call.path === '/_sim/callbacks') {
    if (call.method === 'DELETE') {
      ctx.callbacks.clear();
      sendEmpty(res, 204);
    } else if (call.method === 'GET') {
      listCallbacks(ctx, call.query, res);
    } else {
      methodNotAllowed(res, 'GET, DELETE');
    }
    return true;
  }
  return false;
}

function putBuyer(ctx: AdminContext, key: string, rawBody: string, res: ServerResponse): void {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return invalid(res, [{ field: '', message: 'body must be JSON' }]);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid(res, [{ field: '', message: 'body must be a JSON object' }]);
  }
  // The key may be left out of the body; if it is given, it must be the one in the URL.
  const withKey: Record<string, unknown> = { key, ...body };
  if (withKey['key'] !== key) return invalid(res, [{ field: 'key', message: 'must match the key in the URL' }]);
  try {
    sendJson(res, 200, ctx.buyers.set(withKey));
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    invalid(
      res,
      err.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })),
    );
  }
}

function listRequests(ctx: AdminContext, query: URLSearchParams, res: ServerResponse): void {
  const filter: RequestFilter = {};
  const buyer = query.get('buyer');
  if (buyer) filter.buyer = buyer;
  const kind = query.get('kind');
  if (kind) {
    if (kind !== 'ping' && kind !== 'post') return invalid(res, [{ field: 'kind', message: 'must be ping or post' }]);
    filter.kind = kind;
  }
  sendJson(res, 200, { requests: ctx.log.list(filter) });
}

function listCallbacks(ctx: AdminContext, query: URLSearchParams, res: ServerResponse): void {
  const filter: CallbackFilter = {};
  const buyer = query.get('buyer');
  if (buyer) filter.buyer = buyer;
  const ref = query.get('ref');
  if (ref) filter.ref = ref;
  sendJson(res, 200, { callbacks: ctx.callbacks.list(filter), scheduled: ctx.callbacks.scheduledCount() });
}

function invalid(res: ServerResponse, issues: FieldIssue[]): void {
  sendJson(res, 400, { error: 'invalid request', issues });
}

function methodNotAllowed(res: ServerResponse, allow: string): true {
  res.setHeader('allow', allow);
  sendJson(res, 405, { error: 'method not allowed' });
  return true;
}
