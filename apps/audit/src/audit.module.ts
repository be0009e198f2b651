import { Module, type DynamicModule } from '@nestjs/common';
import { DbModule } from '@pingtree/db';
import { MessagingModule } from '@pingtree/messaging';
import { HealthController, type Env } from '@pingtree/runtime';
import { AuditReportHandler } from './audit-report.handler';
import { AuditTrailHandler } from './audit-trail.handler';
import { LeadEventConsumer } from './lead-event.consumer';
import { LeadEventRepository } from './lead-event.repository';
import { ReportRepository } from './report.repository';
import { TrailRepairSweeper } from './trail-repair.sweeper';

@Module({})
export class AuditModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: AuditModule,
      imports: [
        MessagingModule.forRoot({ service: 'audit', natsUrl: env.NATS_URL, namespace: env.PINGTREE_NAMESPACE }),
        DbModule.forRoot({ url: env.DATABASE_URL, service: 'audit', poolSize: env.DATABASE_POOL_SIZE ?? 4 }),
      ],
      controllers: [HealthController],
      providers: [
        LeadEventRepository,
        LeadEventConsumer,
        AuditTrailHandler,
        ReportRepository,
        AuditReportHandler,
        TrailRepairSweeper,
      ],
    };
  }
}
