import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@pingtree/catalog';
import { DbModule } from '@pingtree/db';
import { MessagingModule } from '@pingtree/messaging';
import { HealthController, type Env } from '@pingtree/runtime';
import { DedupeRepository } from './dedupe.repository';
import { FilterCheckHandler } from './filter-check.handler';

@Module({})
export class FilterModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: FilterModule,
      imports: [
        MessagingModule.forRoot({ service: 'filter', natsUrl: env.NATS_URL, namespace: env.PINGTREE_NAMESPACE }),
        DbModule.forRoot({ url: env.DATABASE_URL, service: 'filter' }),
        CatalogModule,
      ],
      controllers: [HealthController],
      providers: [DedupeRepository, FilterCheckHandler],
    };
  }
}
