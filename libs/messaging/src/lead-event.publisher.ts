import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { leadEventSubject, withNamespace, type LeadEvent } from '@pingtree/contracts';
import { ensureLeadEventStream } from './lead-event-stream';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from './messaging.options';

const MAX_ATTEMPTS = 5;

/**
 * Publishes lead events to JetStream off the hot path: emit() returns at once, acks are awaited in
 * the background and retried with the same message id, so the stream holds each event once.
 */
@Injectable()
export class LeadEventPublisher implements OnModuleInit {
  private readonly logger = new Logger(LeadEventPublisher.name);
  private readonly js: JetStreamClient;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    this.js = jetstream(nc);
  }

  async onModuleInit(): Promise<void> {
    await ensureLeadEventStream(this.nc, this.options.namespace);
  }

  emit(event: LeadEvent): void {
    const done = this.publish(event).finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Waits until every emitted event is stored (or given up on). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async publish(event: LeadEvent): Promise<void> {
    const subject = withNamespace(this.options.namespace, leadEventSubject(event.type));
    const payload = JSON.stringify(event);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.js.publish(subject, payload, { msgID: event.id, timeout: 5000 });
        return;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) {
          this.logger.error(`lost event ${event.id} after ${attempt} attempts: ${(error as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}
