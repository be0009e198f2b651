import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { SUBJECTS, withNamespace } from '@pingtree/contracts';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from '@pingtree/messaging';
import { DataSource } from 'typeorm';
import type { Catalog } from './catalog';
import { loadCatalog } from './catalog-loader';

/**
 * The business configuration, cached in memory (never read per lead) and reloaded whenever any
 * replica of any service announces a change on `config.v1.changed`.
 */
@Injectable()
export class CatalogService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CatalogService.name);
  private snapshot!: Catalog;
  private subscription: Subscription | null = null;
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;

  constructor(
    private readonly ds: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscription = this.nc.subscribe(withNamespace(this.options.namespace, SUBJECTS.configChanged), {
      callback: () => void this.reload(),
    });
    await this.load();
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  get current(): Catalog {
    return this.snapshot;
  }

  /** Tells every service to reload; the caller's own copy is reloaded before this returns. */
  async announceChange(): Promise<void> {
    await this.reload();
    this.nc.publish(withNamespace(this.options.namespace, SUBJECTS.configChanged));
  }

  /** Coalesces bursts of change notices into at most one reload in flight plus one after it. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.reloadAgain = false;
        await this.load().catch((error: unknown) => this.logger.error(`config reload failed: ${String(error)}`));
      } while (this.reloadAgain);
      this.reloading = null;
    })();
    return this.reloading;
  }

  private async load(): Promise<void> {
    this.snapshot = await loadCatalog(this.ds, (what, id, message) =>
      this.logger.warn(`skipping invalid ${what} ${id}: ${message}`),
    );
  }
}
