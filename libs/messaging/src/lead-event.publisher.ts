import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { JetStreamApiError, PubHeaders, type ApiError, type PubAck } from '@nats-io/jetstream';
import { headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { LEAD_EVENT_BATCH_SUBJECT, leadEventSubject, withNamespace, type LeadEvent } from '@pingtree/contracts';
import { ensureLeadEventStream } from './lead-event-stream';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from './messaging.options';
import { replyInboxOf } from './reply-inbox';

const MAX_ATTEMPTS = 5;
const ACK_TIMEOUT_MS = 5000;
/** In characters: even at 3 UTF-8 bytes each, under the server's default 1 MiB max_payload. More goes in the next message. */
const MAX_BATCH_CHARS = 256 * 1024;
/** Events per message at most: bounds what audit parses at once and what a crash inside the window loses. */
const MAX_BATCH_EVENTS = 200;

interface LeadEventMessage {
  subject: string;
  payload: string;
  /** Deterministic, so a retried publish is dropped by the stream's duplicate window. */
  msgID: string;
  /** For the log line when the message is given up on. */
  what: string;
}

/** An event waiting for its message, serialized once when it was emitted. */
interface GatheredEvent {
  event: LeadEvent;
  json: string;
}

/**
 * Publishes lead events to JetStream off the hot path: emit() returns at once, acks are awaited in
 * the background and retried with the same message id, so the stream holds each message once.
 * A service step hands all its events to emitAll(): one message, one ack, instead of one per event.
 * With a batch window (MessagingOptions.leadEventsBatchWindowMs), the events of every step in the
 * window, across leads, go out together: one message for many leads (ADR 0009).
 * A publish is a plain request on the connection's reply inbox (what js.publish does, without
 * nats-core's per-request error object), answered by the stream with a PubAck.
 */
@Injectable()
export class LeadEventPublisher implements OnModuleInit {
  private readonly logger = new Logger(LeadEventPublisher.name);
  private readonly pending = new Set<Promise<void>>();
  private readonly windowMs: number;
  private gathered: GatheredEvent[] = [];
  private gatheredChars = 0;
  private windowTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    this.windowMs = options.leadEventsBatchWindowMs ?? 0;
  }

  async onModuleInit(): Promise<void> {
    await ensureLeadEventStream(this.nc, this.options.namespace);
  }

  emit(event: LeadEvent): void {
    this.emitAll([event]);
  }

  /**
   * Publishes the events of one step as one message (a single event goes out as a plain event), at
   * once without a window; with one, they join whatever else the window gathers.
   */
  emitAll(events: LeadEvent[]): void {
    for (const event of events) {
      const json = JSON.stringify(event);
      const full =
        this.gathered.length >= MAX_BATCH_EVENTS ||
        (this.gathered.length > 0 && this.gatheredChars + json.length + 1 > MAX_BATCH_CHARS);
      if (full) this.publishGathered();
      this.gathered.push({ event, json });
      this.gatheredChars += json.length + 1;
    }
    if (this.windowMs === 0) this.publishGathered();
    else if (this.gathered.length > 0) this.windowTimer ??= setTimeout(() => this.publishGathered(), this.windowMs);
  }

  /** Publishes what the window holds now, and waits until every emitted event is stored (or given up on). */
  async flush(): Promise<void> {
    do {
      this.publishGathered();
      await Promise.all([...this.pending]);
    } while (this.pending.size > 0 || this.gathered.length > 0);
  }

  private publishGathered(): void {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
    if (this.gathered.length === 0) return;
    const message = this.message(this.gathered);
    this.gathered = [];
    this.gatheredChars = 0;
    const done = this.publish(message).finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  private message(gathered: GatheredEvent[]): LeadEventMessage {
    if (gathered.length === 1) {
      const { event, json } = gathered[0]!;
      return {
        subject: withNamespace(this.options.namespace, leadEventSubject(event.type)),
        payload: json,
        msgID: event.id,
        what: `event ${event.id}`,
      };
    }
    const events = gathered.map((g) => g.event);
    return {
      subject: withNamespace(this.options.namespace, LEAD_EVENT_BATCH_SUBJECT),
      // What JSON.stringify of a LeadEventBatch gives, from the events serialized when emitted.
      payload: `{"events":[${gathered.map((g) => g.json).join(',')}]}`,
      msgID: batchMessageId(events),
      what: `${events.length} events from ${events[0]!.id}`,
    };
  }

  private async publish(message: LeadEventMessage): Promise<void> {
    const inbox = replyInboxOf(this.nc);
    // Every attempt carries the same id: the stream stores the first that arrives, acks the rest as duplicates.
    const messageHeaders = headers();
    messageHeaders.set(PubHeaders.MsgIdHdr, message.msgID);
    for (let attempt = 1; ; attempt++) {
      try {
        checkPubAck(await inbox.request(message.subject, message.payload, messageHeaders, ACK_TIMEOUT_MS));
        return;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) {
          this.logger.error(`lost ${message.what} after ${attempt} attempts: ${(error as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}

/**
 * The stream's answer to a publish, as nats.js reads it: `{stream, seq, duplicate?}` once stored,
 * `{error}` when the stream refused the message (a limit, a failed write), which is then retried.
 */
function checkPubAck(msg: Msg): void {
  const ack = msg.json<Partial<PubAck> & { error?: ApiError }>();
  if (ack.error) throw new JetStreamApiError(ack.error);
  if (!ack.stream) throw new Error('invalid JetStream ack response');
}

/**
 * The first event's id and the count keep it readable; the digest of every id keeps two different
 * batches that happen to start alike (a re-run step that ranked differently) from being deduplicated.
 */
export function batchMessageId(events: LeadEvent[]): string {
  const digest = createHash('sha1')
    .update(events.map((e) => e.id).join('\n'))
    .digest('base64url')
    .slice(0, 16);
  return `${events[0]!.id}+${events.length}:${digest}`;
}
