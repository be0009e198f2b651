import type { BuyerState } from './buyer-registry';
import { chance, hex8, pick, uniform, uniformCents } from './prng';
import type { CallKind } from './sim-buyer';
import { HTML_TYPE, type RequestBody, type SimAnswer } from './styles';

/** Extra latency of the `slow` mode. */
export const SLOW_EXTRA_MS = 2000;

const POST_REJECT_REASONS = ['Duplicate lead', 'Invalid phone number', 'Outside service area'] as const;

export type ParsedRequest = { ok: true; body: RequestBody } | { ok: false; error: string };

/** What to do with one call: hold it forever (`hang`) or answer after a delay. */
export type Reply = { hang: true } | { hang: false; delayMs: number; answer: SimAnswer };

const HANG: Reply = { hang: true };

export function parseRequest(state: BuyerState, raw: string): ParsedRequest {
  try {
    return { ok: true, body: state.style.parseRequest(raw) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Decides at arrival, so the random stream follows the order calls came in. */
export function decideReply(state: BuyerState, kind: CallKind, request: ParsedRequest): Reply {
  const { buyer, rng } = state;
  if (buyer.mode === 'hang') return HANG;
  const latency = uniform(rng, buyer.latencyMs.min, buyer.latencyMs.max);
  const delayMs = latency + (buyer.mode === 'slow' ? SLOW_EXTRA_MS : 0);
  return { hang: false, delayMs, answer: answerFor(state, kind, request) };
}

function answerFor(state: BuyerState, kind: CallKind, request: ParsedRequest): SimAnswer {
  switch (state.buyer.mode) {
    case 'error5xx':
      return serviceUnavailable();
    case 'garbage':
      return state.style.garbage();
    default:
      if (!request.ok) return state.style.badRequest(request.error);
      return kind === 'ping' ? answerPing(state) : answerPost(state, request.body);
  }
}

function answerPing(state: BuyerState): SimAnswer {
  const { buyer, style, rng } = state;
  if (chance(rng, buyer.pingRejectRate)) return style.pingRejected(rng);
  const id = nextId(state);
  state.book.issue(id);
  return style.pingAccepted(id, uniformCents(rng, buyer.bid.min, buyer.bid.max));
}

function answerPost(state: BuyerState, body: RequestBody): SimAnswer {
  const { buyer, style, rng } = state;
  const ref = readRef(body, style.refField);
  // No id at all is a post-only sale, judged by postRejectRate alone.
  if (ref !== undefined) {
    const redemption = state.book.redeem(ref);
    if (redemption === 'unknown') return style.postRejected('unknown transaction');
    if (redemption === 'already posted') return style.postRejected('transaction already posted');
  }
  if (chance(rng, buyer.postRejectRate)) return style.postRejected(pick(rng, POST_REJECT_REASONS));
  return style.postAccepted(ref ?? nextId(state));
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
