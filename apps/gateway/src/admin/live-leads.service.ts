import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  LEAD_EVENT_BATCH_SUBJECT,
  leadEventBatchSchema,
  leadEventSchema,
  leadEventSubject,
  withNamespace,
  type LeadDecision,
  type LeadEvent,
} from '@pingtree/contracts';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from '@pingtree/messaging';

/** One finished lead as the live view shows it: outcome and price, never contact data. */
export interface LiveLead {
  leadId: string;
  at: number;
  state: string;
  ms: number | null;
  reason: string | null;
  price: number;
  buyers: string[];
}

type Listener = (lead: LiveLead) => void;

/** Event ids already passed on: a publish retried with the same id reaches core subscribers twice. */
const RECENT_IDS = 1000;

/**
 * Decisions as they finish, for the console's live view. Core NATS subscriptions to the `finished`
 * subject and to the batch subject (a `finished` event alone in its window goes out plain, others in a
 * batch: ADR 0009), held only while someone is watching, so the gateway decodes nothing extra when no
 * operator looks.
 */
@Injectable()
export class LiveLeads implements OnModuleDestroy {
  private readonly logger = new Logger(LiveLeads.name);
  private readonly listeners = new Set<Listener>();
  private readonly closers = new Set<() => void>();
  private readonly recent = new Set<string>();
  private subscriptions: Subscription[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  /** Calls `listener` for each lead that finishes from now on; `close` is called if the gateway stops first. */
  watch(listener: Listener, close: () => void): () => void {
    this.listeners.add(listener);
    this.closers.add(close);
    if (this.subscriptions.length === 0) {
      const subject = (name: string) => withNamespace(this.options.namespace, name);
      this.subscriptions = [
        this.subscribe(subject(leadEventSubject('finished')), (body) => [leadEventSchema.parse(body)]),
        this.subscribe(subject(LEAD_EVENT_BATCH_SUBJECT), (body) =>
          leadEventBatchSchema.parse(body).events.filter((e) => e.type === 'finished'),
        ),
      ];
    }
    return () => {
      this.listeners.delete(listener);
      this.closers.delete(close);
      if (this.listeners.size === 0) this.unsubscribe();
    };
  }

  /** Open streams would keep the HTTP server from closing: end them first. */
  onModuleDestroy(): void {
    for (const close of [...this.closers]) close();
    this.unsubscribe();
  }

  private subscribe(subject: string, finishedIn: (body: unknown) => LeadEvent[]): Subscription {
    return this.nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error) return this.logger.warn(`live lead subscription: ${error.message}`);
        try {
          for (const event of finishedIn(msg.json())) this.deliver(event);
        } catch (e) {
          this.logger.warn(`live lead subscription: unreadable message on ${msg.subject}: ${String(e)}`);
        }
      },
    });
  }

  private unsubscribe(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
  }

  private deliver(event: LeadEvent): void {
    if (this.recent.has(event.id)) return;
    this.recent.add(event.id);
    if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.values().next().value!);
    const decision = event.data as Partial<LeadDecision>;
    const sales = decision.sales ?? [];
    const lead: LiveLead = {
      leadId: event.leadId,
      at: event.at,
      state: typeof decision.state === 'string' ? decision.state : 'unknown',
      ms: typeof decision.ms === 'number' ? decision.ms : null,
      reason: typeof decision.reason === 'string' ? decision.reason : null,
      price: Math.round(sales.reduce((sum, s) => sum + s.price, 0) * 100) / 100,
      buyers: sales.map((s) => s.buyer),
    };
    for (const listener of this.listeners) listener(lead);
  }
}
