import { Injectable } from '@nestjs/common';
import { auditTrailV1, type ReplyOf, type RequestOf } from '@pingtree/contracts';
import { HandleRequest } from '@pingtree/messaging';
import { LeadEventRepository } from './lead-event.repository';

@Injectable()
export class AuditTrailHandler {
  constructor(private readonly repository: LeadEventRepository) {}

  @HandleRequest(auditTrailV1, { minBudgetMs: 5 })
  async trail(req: RequestOf<typeof auditTrailV1>): Promise<ReplyOf<typeof auditTrailV1>> {
    return { events: await this.repository.trail(req.leadId) };
  }
}
