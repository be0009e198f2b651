import { Injectable } from '@nestjs/common';
import { auditReportV1, type ReplyOf, type RequestOf } from '@pingtree/contracts';
import { HandleRequest } from '@pingtree/messaging';
import { ReportRepository } from './report.repository';

@Injectable()
export class AuditReportHandler {
  constructor(private readonly reports: ReportRepository) {}

  @HandleRequest(auditReportV1, { minBudgetMs: 50 })
  async report(req: RequestOf<typeof auditReportV1>): Promise<ReplyOf<typeof auditReportV1>> {
    return { rows: await this.reports.report(req) };
  }
}
