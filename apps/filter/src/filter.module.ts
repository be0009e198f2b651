import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@pingtree/catalog';
import { DbModule } from '@pingtree/db';
import { MessagingModule } from '@pingtree/messaging';
import { HealthController, type Env } from '@pingtree/runtime';
import { BuyerSalesRepository } from './buyer-sales.repository';
import { DedupeRepository } from './dedupe.repository';
import { FilterCheckHandler } from './filter-check.handler';
import { LeadKeysRepository } from './lead-keys.repository';
import { SupplierRules } from './supplier-rules';
import { SuppressionRepository } from './suppression.repository';

@Module({})
export class FilterModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: FilterModule,
      imports: [
        MessagingModule.forRoot({ service: 'filter', natsUrl: env.NATS_URL, namespace: env.PINGTREE_NAMESPACE }),
        DbModule.forRoot({ url: env.DATABASE_URL, service: 'filter', poolSize: env.DATABASE_POOL_SIZE ?? 10 }),
        CatalogModule,
      ],
      controllers: [HealthController],
      providers: [
        DedupeRepository,
        LeadKeysRepository,
        SuppressionRepository,
        BuyerSalesRepository,
        SupplierRules,
        FilterCheckHandler,
      ],
    };
  }
}
