import type { LeadState } from './lead/lead-state';

/** Partner-facing HTTP header names and response shapes of the intake gateway. */
export const HTTP_HEADERS = {
  apiKey: 'x-api-key',
  adminKey: 'x-admin-key',
  /** A partner may lower the campaign's deadline for this lead, in milliseconds. */
  tmax: 'x-pingtree-tmax-ms',
  /** Buyer callbacks: Unix seconds and the HMAC-SHA256 hex of `${timestamp}.${body}`. */
  callbackTimestamp: 'x-pingtree-timestamp',
  callbackSignature: 'x-pingtree-signature',
  /** A retry with the same key gets the first request's answer. */
  idempotencyKey: 'idempotency-key',
} as const;

export interface LeadSale {
  buyer: string;
  channelId: string;
  /** What the buyer pays. */
  price: number;
  /** What the supplier earns from this sale, after the campaign margin. */
  payout: number;
  redirectUrl: string | null;
}

/** A buyer the consumer may pick in a choice tier (ping, pick, post). */
export interface LeadOffer {
  offerId: string;
  buyer: string;
  price: number;
  expiresAt: string;
}

export interface LeadDecision {
  leadId: string;
  state: LeadState;
  /** Present for sold leads. */
  sales?: LeadSale[];
  /** Present for offered leads: pick with POST /v1/leads/:id/choice. */
  offers?: LeadOffer[];
  /** Why the lead did not sell, or was rejected / duplicate. */
  reason?: string;
  duplicateOf?: string;
  /** Milliseconds from intake to this answer. */
  ms: number;
  /** Of `ms`, the time spent waiting on buyers along the critical path (platform overhead = ms − buyerMs). */
  buyerMs?: number;
  /** True when this is the stored answer to an earlier request with the same idempotency key. */
  replayed?: boolean;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}
