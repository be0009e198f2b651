import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { leadEventSubject, withNamespace, type LeadDecision, type LeadEvent } from '@pingtree/contracts';
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
 * Decisions as they finish, for the console's live view. A core NATS subscription to the lead
 * events subject (JetStream publishes reach it too), held only while someone is watching, so the
 * gateway decodes nothing extra when no operator looks.
 */
@Injectable()
export class LiveLeads implements OnModuleDestroy {
  private readonly logger = new Logger(LiveLeads.name);
  private readonly listeners = new Set<Listener>();
  private readonly closers = new Set<() => void>();
  private readonly recent = new Set<string>();
  private subscription: Subscription | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  /** Calls `listener` for each lead that finishes from now on; `close` is called if the gateway stops first. */
  watch(listener: Listener, close: () => void): () => void {
    this.listeners.add(listener);
    this.closers.add(close);
    if (!this.subscription) {
      this.subscription = this.nc.subscribe(withNamespace(this.options.namespace, leadEventSubject('finished')), {
        callback: (error, msg) => {
          if (error) return this.logger.warn(`live lead subscription: ${error.message}`);
          this.deliver(msg.json<LeadEvent>());
        },
      });
    }
    return () => {
      this.listeners.delete(listener);
      this.closers.delete(close);
      if (this.listeners.size === 0) {
        this.subscription?.unsubscribe();
        this.subscription = null;
      }
    };
  }

  /** Open streams would keep the HTTP server from closing: end them first. */
  onModuleDestroy(): void {
    for (const close of [...this.closers]) close();
    this.subscription?.unsubscribe();
    this.subscription = null;
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
