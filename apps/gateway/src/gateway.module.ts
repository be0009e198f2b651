import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CatalogModule } from '@pingtree/catalog';
import { DbModule } from '@pingtree/db';
import { MessagingModule } from '@pingtree/messaging';
import { HealthController, type Env } from '@pingtree/runtime';
import { FieldCipher } from '@pingtree/crypto';
import { AdminConfig } from './admin/admin-config.service';
import { AdminGuard } from './admin/admin.guard';
import { BuyersController } from './admin/buyers.controller';
import { CampaignsController } from './admin/campaigns.controller';
import { ChannelsController } from './admin/channels.controller';
import { SuppliersController } from './admin/suppliers.controller';
import { SuppressionController } from './admin/suppression.controller';
import { SuppressionListRepository } from './admin/suppression.repository';
import { TreesController } from './admin/trees.controller';
import { ChannelStatusController } from './admin/channel-status.controller';
import { ConfigVersionBaseline } from './admin/config-version-baseline';
import { ConfigVersionsController } from './admin/config-versions.controller';
import { LeadReconciliationController } from './admin/lead-reconciliation.controller';
import { LeadSearchController } from './admin/lead-search.controller';
import { LeadSearchRepository } from './admin/lead-search.repository';
import { LiveLeadsController } from './admin/live-leads.controller';
import { LiveLeads } from './admin/live-leads.service';
import { ConsoleController } from './console/console.controller';
import { AdminAuth, ADMIN_API_KEY } from './http/admin-auth';
import { LeadReturnsController } from './reports/lead-returns.controller';
import { ReportsController } from './reports/reports.controller';
import { ErrorFilter } from './http/error.filter';
import { LeadsController } from './http/leads.controller';
import { ADMISSION_LIMITS, AdmissionControl } from './intake/admission-control';
import { IdempotentIntake } from './intake/idempotent-intake';
import { LeadIntake } from './intake/lead-intake';
import { LeadAcceptance } from './journey/lead-acceptance.service';
import { LeadJourney } from './journey/lead-journey.service';
import { LeadRepository } from './journey/lead.repository';
import { LeadOfferRepository } from './journey/lead-offer.repository';
import { LeadChoice } from './journey/lead-choice.service';
import { OfferExpirySweeper } from './journey/offer-expiry.sweeper';
import { InterruptedLeadSweeper } from './journey/interrupted-lead.sweeper';
import { CallbackTimeoutSweeper } from './callbacks/callback-timeout.sweeper';
import { PostCallbacksController } from './callbacks/post-callbacks.controller';
import { BUYER_URL_POLICY, BuyerUrlPolicy } from './security/buyer-url-policy';
import { JsonBodyParser } from './security/json-body-parser';
import { SupplierRateLimitGuard } from './security/supplier-rate-limit.guard';

@Module({})
export class GatewayModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        MessagingModule.forRoot({
          service: 'gateway',
          natsUrl: env.NATS_URL,
          namespace: env.PINGTREE_NAMESPACE,
          // `received` and `finished` gathered across leads; the trail repair restores a crash's window (ADR 0010).
          leadEventsBatchWindowMs: env.LEAD_EVENTS_BATCH_WINDOW_MS,
        }),
        DbModule.forRoot({ url: env.DATABASE_URL, service: 'gateway', poolSize: env.DATABASE_POOL_SIZE ?? 20 }),
        CatalogModule,
      ],
      controllers: [
        HealthController,
        LeadsController,
        PostCallbacksController,
        ReportsController,
        LeadReturnsController,
        SuppliersController,
        BuyersController,
        ChannelsController,
        TreesController,
        CampaignsController,
        SuppressionController,
        LeadSearchController,
        LeadReconciliationController,
        ChannelStatusController,
        ConfigVersionsController,
        LiveLeadsController,
        ConsoleController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: ADMIN_API_KEY, useValue: env.ADMIN_API_KEY },
        { provide: FieldCipher, useValue: FieldCipher.fromKeyList(env.PINGTREE_ENCRYPTION_KEYS) },
        { provide: APP_GUARD, useClass: SupplierRateLimitGuard },
        JsonBodyParser,
        BuyerUrlPolicy,
        {
          provide: BUYER_URL_POLICY,
          useValue: {
            allowPrivate: env.PINGTREE_ALLOW_PRIVATE_BUYER_URLS,
            httpHost: env.HTTP_HOST,
            publicUrl: env.PINGTREE_PUBLIC_URL,
          },
        },
        AdminAuth,
        AdminGuard,
        AdminConfig,
        ConfigVersionBaseline,
        LeadSearchRepository,
        LiveLeads,
        SuppressionListRepository,
        LeadIntake,
        IdempotentIntake,
        AdmissionControl,
        {
          provide: ADMISSION_LIMITS,
          useValue: {
            maxLeadsInFlight: env.GATEWAY_MAX_LEADS_IN_FLIGHT,
            maxEventLoopLagMs: env.GATEWAY_MAX_EVENT_LOOP_LAG_MS,
            maxQueueDelayMs: env.GATEWAY_MAX_QUEUE_DELAY_MS,
          },
        },
        LeadRepository,
        LeadOfferRepository,
        LeadChoice,
        OfferExpirySweeper,
        InterruptedLeadSweeper,
        CallbackTimeoutSweeper,
        LeadJourney,
        LeadAcceptance,
      ],
    };
  }
}
