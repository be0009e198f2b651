import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { AUDIT_DURABLE, leadEventSchema, type LeadEvent } from '@pingtree/contracts';
import { ensureLeadEventStream, MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from '@pingtree/messaging';
import { LeadEventRepository } from './lead-event.repository';

const BATCH_SIZE = 500;

/**
 * Drains the lead events stream into PostgreSQL through a durable consumer, in batches.
 * Messages are acked only after their batch is stored, so a crash redelivers instead of losing.
 */
@Injectable()
export class LeadEventConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LeadEventConsumer.name);
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly repository: LeadEventRepository,
  ) {}

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

  private async run(messages: ConsumerMessages): Promise<void> {
    let batch: JsMsg[] = [];
    for await (const msg of messages) {
      batch.push(msg);
      // Store whatever has arrived once the buffer is drained, so quiet periods aren't delayed.
      if (batch.length >= BATCH_SIZE || messages.getPending() === 0) {
        await this.store(batch);
        batch = [];
      }
    }
    await this.store(batch);
  }

  /**
   * A batch failed: store its events one at a time, so one event PostgreSQL can't take doesn't hold
   * back every other lead's trail. While the database is unreachable everything is redelivered.
   */
  private async storeOneByOne(batch: JsMsg[], events: LeadEvent[], batchError: unknown): Promise<void> {
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const msg of batch) {
      const event = byId.get((msg.json() as { id?: string }).id ?? '');
      if (!event) {
        msg.ack(); // malformed, already reported
        continue;
      }
      try {
        await this.repository.insertMany([event]);
        msg.ack();
      } catch (error) {
        if (/ECONNREFUSED|terminated|57P0|53300|timeout/i.test(String(error))) {
          this.logger.error(`storing events failed, will be redelivered: ${String(batchError)}`);
          for (const rest of batch) rest.nak(1000);
          return;
        }
        this.logger.error(`dropping event ${event.id} that cannot be stored: ${String(error)}`);
        msg.term();
      }
    }
  }

  private async store(batch: JsMsg[]): Promise<void> {
    if (batch.length === 0) return;
    const events: LeadEvent[] = [];
    for (const msg of batch) {
      const parsed = leadEventSchema.safeParse(msg.json());
      if (parsed.success) events.push(parsed.data);
      else this.logger.warn(`dropping malformed event ${msg.subject}#${msg.seq}: ${parsed.error.message}`);
    }
    try {
      await this.repository.insertMany(events);
      for (const msg of batch) msg.ack();
    } catch (error) {
      await this.storeOneByOne(batch, events, error);
    }
  }
}
