import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  AUDIT_DURABLE,
  LEAD_EVENT_BATCH_SUBJECT,
  leadEventBatchSchema,
  leadEventSchema,
  withNamespace,
  type LeadEvent,
} from '@pingtree/contracts';
import { ensureLeadEventStream, MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from '@pingtree/messaging';
import { LeadEventRepository } from './lead-event.repository';

const BATCH_SIZE = 500;
/** Under load, stores wait this long after the previous one; the trail lags by at most this plus a store. */
const STORE_INTERVAL_MS = 50;

const sleep = (ms: number) => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms));

/** A stream message and the events it holds: one (a plain event) or a step's batch. */
interface ReceivedMessage {
  msg: JsMsg;
  events: LeadEvent[];
}

/**
 * Drains the lead events stream into PostgreSQL through a durable consumer, in batches.
 * Messages are acked only after their batch is stored, so a crash redelivers instead of losing.
 */
@Injectable()
export class LeadEventConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LeadEventConsumer.name);
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private readonly batchSubject: string;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly repository: LeadEventRepository,
  ) {
    this.batchSubject = withNamespace(options.namespace, LEAD_EVENT_BATCH_SUBJECT);
  }

  async onApplicationBootstrap(): Promise<void> {
    const stream = await ensureLeadEventStream(this.nc, this.options.namespace);
    const jsm = await jetstreamManager(this.nc);
    await jsm.consumers
      .add(stream, {
        durable_name: AUDIT_DURABLE,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: 30_000_000_000,
        max_ack_pending: 20_000,
      })
      .catch(() => jsm.consumers.info(stream, AUDIT_DURABLE));
    const consumer = await jetstream(this.nc).consumers.get(stream, AUDIT_DURABLE);
    this.messages = await consumer.consume({ max_messages: BATCH_SIZE * 2 });
    this.loop = this.run(this.messages);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }

  /**
   * Stores what has arrived, at most once per STORE_INTERVAL_MS: when quiet, a message is stored at
   * once; under load, each store takes everything that came in since the last one, so a statement,
   * a commit and a socket write of acks serve many messages instead of one or two.
   */
  private async run(messages: ConsumerMessages): Promise<void> {
    const incoming = messages[Symbol.asyncIterator]();
    let next = incoming.next();
    let lastStoreAt = 0;
    for (;;) {
      const first = await next;
      if (first.done) return;
      const batch: JsMsg[] = [first.value];
      next = incoming.next();
      // A timer, not the iterator's pending count: messages already queued arrive before it fires.
      const due = sleep(Math.max(0, lastStoreAt + STORE_INTERVAL_MS - Date.now()));
      let closed = false;
      while (batch.length < BATCH_SIZE) {
        const got = await Promise.race([next, due]);
        if (!got) break;
        if (got.done) {
          closed = true;
          break;
        }
        batch.push(got.value);
        next = incoming.next();
      }
      lastStoreAt = Date.now();
      await this.store(batch);
      if (closed) return;
    }
  }

  /**
   * A batch failed: store its events one at a time, so one event PostgreSQL can't take doesn't hold
   * back every other lead's trail. A message is acked once each of its events is stored or dropped.
   * While the database is unreachable everything not yet acked is redelivered.
   */
  private async storeOneByOne(received: ReceivedMessage[], batchError: unknown): Promise<void> {
    for (const [index, { msg, events }] of received.entries()) {
      let dropped = 0;
      for (const event of events) {
        try {
          await this.repository.insertMany([event]);
        } catch (error) {
          if (/ECONNREFUSED|terminated|57P0|53300|timeout/i.test(String(error))) {
            this.logger.error(`storing events failed, will be redelivered: ${String(batchError)}`);
            for (const rest of received.slice(index)) rest.msg.nak(1000);
            return;
          }
          this.logger.error(`dropping event ${event.id} that cannot be stored: ${String(error)}`);
          dropped++;
        }
      }
      if (dropped > 0 && dropped === events.length) msg.term();
      else msg.ack();
    }
  }

  /** Parses a message once; a malformed one yields no events (and is acked, not redelivered forever). */
  private read(msg: JsMsg): LeadEvent[] {
    let body: unknown;
    try {
      body = msg.json();
    } catch (error) {
      this.logger.warn(`dropping unreadable message ${msg.subject}#${msg.seq}: ${String(error)}`);
      return [];
    }
    if (msg.subject === this.batchSubject) {
      const batch = leadEventBatchSchema.safeParse(body);
      if (batch.success) return batch.data.events;
      this.logger.warn(`dropping malformed event batch ${msg.subject}#${msg.seq}: ${batch.error.message}`);
      return [];
    }
    const event = leadEventSchema.safeParse(body);
    if (event.success) return [event.data];
    this.logger.warn(`dropping malformed event ${msg.subject}#${msg.seq}: ${event.error.message}`);
    return [];
  }

  private async store(batch: JsMsg[]): Promise<void> {
    if (batch.length === 0) return;
    const received = batch.map((msg) => ({ msg, events: this.read(msg) }));
    try {
      await this.repository.insertMany(received.flatMap((r) => r.events));
      for (const { msg } of received) msg.ack();
    } catch (error) {
      await this.storeOneByOne(received, error);
    }
  }
}
