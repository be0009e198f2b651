import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@pingtree/catalog';
import { DbModule } from '@pingtree/db';
import { MessagingModule } from '@pingtree/messaging';
import { HealthController, type Env } from '@pingtree/runtime';
import { CapReservationSweeper } from './cap-reservation.sweeper';
import { CapSettlement } from './cap-settlement';
import { CapSettlementRepository } from './cap-settlement.repository';
import { PostAttemptRepository } from './post-attempt.repository';
import { PostCallbackHandler } from './post-callback.handler';
import { PostDeliverHandler } from './post-deliver.handler';
import { PostReconcileHandler } from './post-reconcile.handler';
import { PUBLIC_URL } from './public-url';

@Module({})
export class PostModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: PostModule,
      imports: [
        MessagingModule.forRoot({
          service: 'post',
          natsUrl: env.NATS_URL,
          namespace: env.PINGTREE_NAMESPACE,
          // Events gathered across leads into fewer stream messages; a crash loses the window's (ADR 0009).
          leadEventsBatchWindowMs: env.LEAD_EVENTS_BATCH_WINDOW_MS,
        }),
        DbModule.forRoot({ url: env.DATABASE_URL, service: 'post', poolSize: env.DATABASE_POOL_SIZE ?? 10 }),
        CatalogModule,
      ],
      controllers: [HealthController],
      providers: [
        PostAttemptRepository,
        PostDeliverHandler,
        PostCallbackHandler,
        PostReconcileHandler,
        CapSettlementRepository,
        CapSettlement,
        CapReservationSweeper,
        { provide: PUBLIC_URL, useValue: env.PINGTREE_PUBLIC_URL ?? `http://${env.HTTP_HOST}:3000` },
      ],
    };
  }
}
