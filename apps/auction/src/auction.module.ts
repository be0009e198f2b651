import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@pingtree/catalog';
import { DbModule } from '@pingtree/db';
import { MessagingModule } from '@pingtree/messaging';
import { HealthController, type Env } from '@pingtree/runtime';
import { AuctionSelectHandler } from './auction-select.handler';
import { CapUsageMetrics } from './cap-usage.metrics';
import { CapReservationRepository } from './cap-reservation.repository';
import { CapReservations } from './cap-reservations';
import { PostAcceptanceStats } from './post-acceptance.stats';
import { RoundRobinRepository } from './round-robin.repository';

@Module({})
export class AuctionModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: AuctionModule,
      imports: [
        MessagingModule.forRoot({
          service: 'auction',
          natsUrl: env.NATS_URL,
          namespace: env.PINGTREE_NAMESPACE,
          // Events gathered across leads into fewer stream messages; a crash loses the window's (ADR 0009).
          leadEventsBatchWindowMs: env.LEAD_EVENTS_BATCH_WINDOW_MS,
        }),
        DbModule.forRoot({ url: env.DATABASE_URL, service: 'auction', poolSize: env.DATABASE_POOL_SIZE ?? 4 }),
        CatalogModule,
      ],
      controllers: [HealthController],
      providers: [
        AuctionSelectHandler,
        PostAcceptanceStats,
        RoundRobinRepository,
        CapReservationRepository,
        CapReservations,
        CapUsageMetrics,
      ],
    };
  }
}
