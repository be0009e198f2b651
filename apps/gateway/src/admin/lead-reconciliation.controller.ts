import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { leadReconciliationBodySchema, PingtreeError, postReconcileV1 } from '@pingtree/contracts';
import { NatsRequestClient } from '@pingtree/messaging';
import { LeadJourney } from '../journey/lead-journey.service';
import { LeadRepository } from '../journey/lead.repository';
import { AdminAuthor } from './admin-author';
import { AdminGuard } from './admin.guard';
import { parseBody } from './parse-body';
import { found, IdPipe } from './parse-id';

/** An operator waits on the console for this; the post service answers from one row. */
const RECONCILE_DEADLINE_MS = 5000;

/**
 * `POST /v1/admin/leads/:leadId/reconciliation` `{ channelId, outcome: accepted|rejected, reason? }`:
 * an operator records what the buyer says happened to a post whose answer the platform never got.
 * The post is settled once (cap room and the buyer's sale follow), then the lead: sold if any post
 * sold, unsold once no post's answer is unknown. The trail names the operator.
 */
@Controller('v1/admin/leads')
@UseGuards(AdminGuard)
export class LeadReconciliationController {
  constructor(
    private readonly nats: NatsRequestClient,
    private readonly leads: LeadRepository,
    private readonly journey: LeadJourney,
  ) {}

  @Post(':id/reconciliation')
  @HttpCode(200)
  async reconcile(@Param('id', IdPipe) leadId: string, @Body() body: unknown, @AdminAuthor() author: string) {
    const { channelId, outcome, reason } = parseBody(leadReconciliationBodySchema, body, 'reconciliation');
    const lead = found(await this.leads.findById(leadId), 'lead', leadId);
    if (lead.state !== 'needs_reconciliation') {
      throw new PingtreeError('CONFLICT', `only a lead in needs_reconciliation can be reconciled; this one is ${lead.state}`);
    }
    const post = await this.nats.request(
      postReconcileV1,
      { leadId, channelId, outcome, reason: reason ?? null, author },
      { deadlineAt: Date.now() + RECONCILE_DEADLINE_MS, leadId },
    );
    await this.journey.afterCallback(leadId, 'the buyer did not buy it, as reconciled');
    const after = found(await this.leads.findById(leadId), 'lead', leadId);
    return { leadId, state: after.state, post };
  }
}
