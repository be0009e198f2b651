import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@pingtree/catalog';
import { DbModule } from '@pingtree/db';
import { MessagingModule } from '@pingtree/messaging';
import { HealthController, type Env } from '@pingtree/runtime';
import { PostAttemptRepository } from './post-attempt.repository';
import { PostDeliverHandler } from './post-deliver.handler';

@Module({})
export class PostModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: PostModule,
      imports: [
        MessagingModule.forRoot({ service: 'post', natsUrl: env.NATS_URL, namespace: env.PINGTREE_NAMESPACE }),
        DbModule.forRoot({ url: env.DATABASE_URL, service: 'post' }),
        CatalogModule,
      ],
      controllers: [HealthController],
      providers: [PostAttemptRepository, PostDeliverHandler],
    };
  }
}
