import { Global, Module, type DynamicModule, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { LeadEventPublisher } from './lead-event.publisher';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from './messaging.options';
import { connectNats } from './nats-connection';
import { NatsRequestClient } from './nats-request.client';
import { RequestServer } from './request-server';

@Injectable()
class NatsConnectionCloser implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly events: LeadEventPublisher,
  ) {}

  /** Runs after handlers drained (beforeApplicationShutdown): their last events, and what the batch window holds, are published. */
  async onApplicationShutdown(): Promise<void> {
    await this.events.flush();
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => undefined);
  }
}

/** NATS for a Nest service: request client, @HandleRequest server and lead event publisher. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: NATS_CONNECTION,
          useFactory: () => connectNats(options.natsUrl, `pingtree-${options.service}`),
        },
        NatsRequestClient,
        RequestServer,
        LeadEventPublisher,
        NatsConnectionCloser,
      ],
      exports: [MESSAGING_OPTIONS, NATS_CONNECTION, NatsRequestClient, LeadEventPublisher],
    };
  }
}
