import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { auditReportV1, PingtreeError, reportQuerySchema, type ReportRow } from '@pingtree/contracts';
import { fieldIssues, NatsRequestClient } from '@pingtree/messaging';
import { AdminGuard } from '../admin/admin.guard';
import { unreadableTimestamps } from '../admin/parse-timestamp';

/** Reports take a scan of the range: an operator waits, not a consumer. */
const REPORT_DEADLINE_MS = 15_000;

/** `GET /v1/admin/reports?groupBy=channel&from=…&to=…&bucket=hour`, answered by the audit service. */
@Controller('v1/admin/reports')
@UseGuards(AdminGuard)
export class ReportsController {
  constructor(private readonly nats: NatsRequestClient) {}

  @Get()
  async report(@Query() query: Record<string, unknown>): Promise<{ rows: ReportRow[] }> {
    const parsed = reportQuerySchema.safeParse(query);
    if (!parsed.success) throw new PingtreeError('VALIDATION_FAILED', 'invalid report query', fieldIssues(parsed.error));
    const unreadable = unreadableTimestamps(parsed.data, ['from', 'to']);
    if (unreadable.length > 0) throw new PingtreeError('VALIDATION_FAILED', 'invalid report query', unreadable);
    if (Date.parse(parsed.data.to) <= Date.parse(parsed.data.from)) {
      throw new PingtreeError('VALIDATION_FAILED', 'invalid report query', [{ field: 'to', message: 'must be after from' }]);
    }
    return this.nats.request(auditReportV1, parsed.data, { deadlineAt: Date.now() + REPORT_DEADLINE_MS });
  }
}
