import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@pingtree/catalog';
import { DbModule } from '@pingtree/db';
import { MessagingModule } from '@pingtree/messaging';
import { HealthController, type Env } from '@pingtree/runtime';
import { ChannelCircuits } from './channel-circuits.service';
import { PingDispatchHandler } from './ping-dispatch.handler';

@Module({})
export class PingModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: PingModule,
      imports: [
        MessagingModule.forRoot({
          service: 'ping',
          natsUrl: env.NATS_URL,
          namespace: env.PINGTREE_NAMESPACE,
          // Events gathered across leads into fewer stream messages; a crash loses the window's (ADR 0009).
          leadEventsBatchWindowMs: env.LEAD_EVENTS_BATCH_WINDOW_MS,
        }),
        DbModule.forRoot({ url: env.DATABASE_URL, service: 'ping', poolSize: env.DATABASE_POOL_SIZE ?? 2 }),
        CatalogModule,
      ],
      controllers: [HealthController],
      providers: [PingDispatchHandler, ChannelCircuits],
    };
  }
}
