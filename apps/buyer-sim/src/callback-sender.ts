import { Agent, request } from 'undici';
import { CALLBACK_SIGNATURE_HEADER, CALLBACK_TIMESTAMP_HEADER, signCallback } from './callback-signature';
import { isLoopbackHttpUrl } from './callback-url';

export type CallbackStatus = 'accepted' | 'rejected';

/** A post's final outcome, to be sent once the buyer "decided". */
export interface CallbackOrder {
  buyer: string;
  url: string;
  /** The buyer's id for the sale (the ping's id the post quoted, or a new one for a post-only sale). */
  ref: string;
  status: CallbackStatus;
  reason?: string;
  secret: string;
  /** From the post's arrival: the pending answer's latency plus the buyer's callback delay. */
  delayMs: number;
  duplicate: boolean;
  late: boolean;
}

/** One callback POST the sim made, and what it got back. */
export interface SentCallback {
  buyer: string;
  url: string;
  ref: string;
  status: CallbackStatus;
  reason?: string;
  /** 2 is the duplicate: same body, timestamp and signature as 1. */
  attempt: 1 | 2;
  late: boolean;
  /** The exact body bytes sent. */
  body: string;
  /** Header values sent. */
  timestamp: string;
  signature: string;
  /** ISO 8601, when the POST started. */
  sentAt: string;
  /** The receiver's answer, or why there was none (refused, timed out, sim closed). */
  reply: { status: number; body: string } | { error: string };
}

export interface CallbackFilter {
  buyer?: string;
  ref?: string;
}

/** Bounds every callback POST: a stuck receiver must not hold the sim. */
export const CALLBACK_TIMEOUT_MS = 5000;
const KEPT_REPLY_CHARS = 4096;
const LOG_CAPACITY = 10_000;

/**
 * Sends callbacks with undici after their delay, records each attempt, and on close() drops timers
 * and aborts what is in flight, so nothing outlives the sim.
 */
export class CallbackSender {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly sent: SentCallback[] = [];
  private readonly agent = new Agent({
    connect: { timeout: CALLBACK_TIMEOUT_MS },
    headersTimeout: CALLBACK_TIMEOUT_MS,
    bodyTimeout: CALLBACK_TIMEOUT_MS,
  });
  private closed = false;

  schedule(order: CallbackOrder): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const delivery = this.deliver(order);
      this.deliveries.add(delivery);
      void delivery.finally(() => this.deliveries.delete(delivery));
    }, order.delayMs);
    this.timers.add(timer);
  }

  /** Oldest first. */
  list(filter: CallbackFilter = {}): SentCallback[] {
    return this.sent.filter(
      (c) => (filter.buyer === undefined || c.buyer === filter.buyer) && (filter.ref === undefined || c.ref === filter.ref),
    );
  }

  /** Callbacks still waiting for their delay. */
  scheduledCount(): number {
    return this.timers.size;
  }

  clear(): void {
    this.sent.length = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const abort of this.inFlight) abort.abort();
    await Promise.allSettled([...this.deliveries]);
    await this.agent.destroy();
  }

  private async deliver(order: CallbackOrder): Promise<void> {
    const body = JSON.stringify({
      ref: order.ref,
      status: order.status,
      ...(order.reason !== undefined && { reason: order.reason }),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signCallback(order.secret, timestamp, body);
    const attempts: Array<1 | 2> = order.duplicate ? [1, 2] : [1];
    for (const attempt of attempts) {
      if (this.closed) return;
      const sentAt = new Date().toISOString();
      const reply = await this.post(order.url, body, timestamp, signature);
      this.record({
        buyer: order.buyer,
        url: order.url,
        ref: order.ref,
        status: order.status,
        ...(order.reason !== undefined && { reason: order.reason }),
        attempt,
        late: order.late,
        body,
        timestamp,
        signature,
        sentAt,
        reply,
      });
    }
  }

  private async post(url: string, body: string, timestamp: string, signature: string): Promise<SentCallback['reply']> {
    // Checked when the post arrived too; checked again so nothing but loopback is ever dialled.
    if (!isLoopbackHttpUrl(url)) return { error: 'not a loopback URL' };
    const abort = new AbortController();
    this.inFlight.add(abort);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        signal: abort.signal,
        headers: {
          'content-type': 'application/json',
          [CALLBACK_TIMESTAMP_HEADER]: timestamp,
          [CALLBACK_SIGNATURE_HEADER]: signature,
        },
        body,
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text.slice(0, KEPT_REPLY_CHARS) };
    } catch (err) {
      return { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    } finally {
      this.inFlight.delete(abort);
    }
  }

  private record(callback: SentCallback): void {
    this.sent.push(callback);
    if (this.sent.length > LOG_CAPACITY) this.sent.shift();
  }
}
