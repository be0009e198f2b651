import type { BuyerState } from './buyer-registry';
import type { CallbackOrder, CallbackStatus } from './callback-sender';
import { readCallbackUrl } from './callback-url';
import { chance, hex8, pick, uniform, uniformCents } from './prng';
import { type CallKind, DEFAULT_CALLBACK_URL_FIELD, DEFAULT_LATE_MS, type SimBuyer } from './sim-buyer';
import { HTML_TYPE, type RequestBody, type SimAnswer } from './styles';

/** Extra latency of the `slow` mode. */
export const SLOW_EXTRA_MS = 2000;

const POST_REJECT_REASONS = ['Duplicate lead', 'Invalid phone number', 'Outside service area'] as const;

export type ParsedRequest = { ok: true; body: RequestBody } | { ok: false; error: string };

/**
 * What to do with one call: hold it forever (`hang`) or answer after a delay, and for a buyer
 * with callbacks, the outcome to POST later.
 */
export type Reply = { hang: true } | { hang: false; delayMs: number; answer: SimAnswer; callback?: CallbackOrder };

/** The outcome a pending post will call back with. */
interface CallbackOutcome {
  url: string;
  ref: string;
  status: CallbackStatus;
  reason?: string;
}

interface Decision {
  answer: SimAnswer;
  callback?: CallbackOutcome;
}

const HANG: Reply = { hang: true };

export function parseRequest(state: BuyerState, raw: string): ParsedRequest {
  try {
    return { ok: true, body: state.style.parseRequest(raw) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Decides at arrival, so the random stream follows the order calls came in. */
export function decideReply(state: BuyerState, kind: CallKind, request: ParsedRequest, now = Date.now()): Reply {
  const { buyer, rng } = state;
  if (buyer.mode === 'hang') return HANG;
  const delayMs = uniform(rng, buyer.latencyMs.min, buyer.latencyMs.max) + extraDelay(buyer);
  const decision = decide(state, kind, request, now, now + delayMs);
  if (!decision.callback || !buyer.callback || buyer.callbackSecret === undefined) {
    return { hang: false, delayMs, answer: decision.answer };
  }
  const callback: CallbackOrder = {
    buyer: buyer.key,
    ...decision.callback,
    secret: buyer.callbackSecret,
    delayMs: delayMs + buyer.callback.delayMs,
    duplicate: buyer.callback.duplicate,
    late: buyer.callback.late,
  };
  return { hang: false, delayMs, answer: decision.answer, callback };
}

function extraDelay(buyer: SimBuyer): number {
  if (buyer.mode === 'slow') return SLOW_EXTRA_MS;
  if (buyer.mode === 'late') return buyer.lateMs ?? DEFAULT_LATE_MS;
  return 0;
}

function decide(state: BuyerState, kind: CallKind, request: ParsedRequest, now: number, answerAt: number): Decision {
  const { style } = state;
  switch (state.buyer.mode) {
    case 'error5xx':
      return { answer: serviceUnavailable() };
    case 'garbage':
      return { answer: style.garbage() };
    case 'empty200':
      return { answer: { status: 200, contentType: style.contentType, body: '' } };
    default:
      if (!request.ok) return { answer: style.badRequest(request.error) };
      return kind === 'ping' ? { answer: answerPing(state, answerAt) } : answerPost(state, request.body, now);
  }
}

function answerPing(state: BuyerState, answerAt: number): SimAnswer {
  const { buyer, style, rng } = state;
  if (chance(rng, buyer.pingRejectRate)) return style.pingRejected(rng);
  const id = nextId(state);
  const price = uniformCents(rng, buyer.bid.min, buyer.bid.max);
  const expireInSeconds = buyer.expireInSeconds ?? style.defaultExpireInSeconds;
  // The bid's clock starts when the answer leaves, not when the ping arrived.
  state.book.issue(id, expireInSeconds === undefined ? Infinity : answerAt + expireInSeconds * 1000);
  return style.pingAccepted({ id, price, ...(expireInSeconds !== undefined && { expireInSeconds }) }, rng);
}

function answerPost(state: BuyerState, body: RequestBody, now: number): Decision {
  const { buyer, style, rng } = state;
  // A buyer that calls back can't take a post that says nowhere to; checked first so the bid isn't spent.
  const callbackUrl = buyer.callback ? readCallbackUrl(body, buyer.callbackUrlField ?? DEFAULT_CALLBACK_URL_FIELD) : undefined;
  if (callbackUrl && !callbackUrl.ok) return { answer: style.postRejected(callbackUrl.reason, rng) };
  const ref = readRef(body, style.refField);
  // No id at all is a post-only sale, judged by postRejectRate alone.
  if (ref !== undefined) {
    const redemption = state.book.redeem(ref, now);
    if (redemption === 'unknown') return { answer: style.postRejected('unknown transaction', rng) };
    if (redemption === 'already posted') return { answer: style.postRejected('transaction already posted', rng) };
    if (redemption === 'expired') return { answer: style.postRejected('bid expired', rng) };
  }
  // Always draws, so `bid_then_reject` keeps the stream where `normal` would have it.
  const rolledReject = chance(rng, buyer.postRejectRate);
  const reason = rolledReject || buyer.mode === 'bid_then_reject' ? pick(rng, POST_REJECT_REASONS) : undefined;
  if (!callbackUrl) {
    return { answer: reason !== undefined ? style.postRejected(reason, rng) : style.postAccepted(ref ?? nextId(state), rng) };
  }
  const id = ref ?? nextId(state);
  return {
    answer: style.postPending(id),
    callback: {
      url: callbackUrl.url,
      ref: id,
      ...(reason === undefined ? { status: 'accepted' } : { status: 'rejected', reason }),
    },
  };
}

function readRef(body: RequestBody, field: string): string | undefined {
  const value = body[field];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function nextId(state: BuyerState): string {
  state.issued += 1;
  return `${state.style.idPrefix}-${state.issued.toString(36)}-${hex8(state.rng)}`;
}

function serviceUnavailable(): SimAnswer {
  return {
    status: 503,
    contentType: HTML_TYPE,
    body:
      '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>' +
      '<body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>',
  };
}
