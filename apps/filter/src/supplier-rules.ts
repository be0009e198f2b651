import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { filterRulesSchema, SUBJECTS, withNamespace, type FieldRule } from '@pingtree/contracts';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from '@pingtree/messaging';
import { DataSource } from 'typeorm';

/**
 * Supplier-level filter rules, cached in memory and reloaded on `config.v1.changed` like the
 * catalog (which doesn't carry them yet). Rows that don't parse are reported and treated as empty.
 */
@Injectable()
export class SupplierRules implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SupplierRules.name);
  private bySupplier = new Map<string, FieldRule[]>();
  private subscription: Subscription | null = null;

  constructor(
    private readonly ds: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscription = this.nc.subscribe(withNamespace(this.options.namespace, SUBJECTS.configChanged), {
      callback: () => void this.reload().catch((e: unknown) => this.logger.error(`supplier rules reload failed: ${String(e)}`)),
    });
    await this.reload();
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  of(supplierId: string | null): FieldRule[] {
    return (supplierId && this.bySupplier.get(supplierId)) || [];
  }

  async reload(): Promise<void> {
    const rows = (await this.ds.query(`SELECT id, filters FROM suppliers WHERE filters <> '[]'::jsonb`)) as Array<{
      id: string;
      filters: unknown;
    }>;
    const next = new Map<string, FieldRule[]>();
    for (const row of rows) {
      const parsed = filterRulesSchema.safeParse(row.filters);
      if (parsed.success) next.set(row.id, parsed.data);
      else this.logger.warn(`skipping invalid filters of supplier ${row.id}: ${parsed.error.message}`);
    }
    this.bySupplier = next;
  }
}
