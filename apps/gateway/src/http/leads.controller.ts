import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { auditTrailV1, HTTP_HEADERS, PingtreeError, type LeadDecision } from '@pingtree/contracts';
import { NatsRequestClient } from '@pingtree/messaging';
import { z } from 'zod';
import { AdmissionControl } from '../intake/admission-control';
import { LeadIntake } from '../intake/lead-intake';
import { LeadAcceptance } from '../journey/lead-acceptance.service';
import { LeadChoice } from '../journey/lead-choice.service';
import { LeadRepository } from '../journey/lead.repository';
import { AdminAuth } from './admin-auth';

/** Deadline for trail lookups: an operator is waiting, not a consumer. */
const TRAIL_DEADLINE_MS = 5000;

const leadIdSchema = z.uuid();

@Controller('v1/leads')
export class LeadsController {
  constructor(
    private readonly intake: LeadIntake,
    private readonly acceptance: LeadAcceptance,
    private readonly leads: LeadRepository,
    private readonly nats: NatsRequestClient,
    private readonly admin: AdminAuth,
    private readonly choice: LeadChoice,
    private readonly admission: AdmissionControl,
  ) {}

  /** Choice tiers: the consumer picked these offers; post to them in this order. */
  @Post(':id/choice')
  @HttpCode(200)
  async pick(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers(HTTP_HEADERS.apiKey) apiKey: string | undefined,
  ): Promise<LeadDecision> {
    const supplier = this.intake.authenticate(apiKey);
    if (!leadIdSchema.safeParse(id).success) throw new PingtreeError('INVALID_REQUEST', 'lead id must be a UUID');
    return this.choice.pick(supplier.id, id, body);
  }

  @Post()
  @HttpCode(200)
  async post(
    @Body() body: unknown,
    @Headers(HTTP_HEADERS.apiKey) apiKey: string | undefined,
    @Headers(HTTP_HEADERS.tmax) tmaxHeader: string | undefined,
    @Headers(HTTP_HEADERS.idempotencyKey) idempotencyKey: string | undefined,
  ): Promise<LeadDecision> {
    const supplier = this.intake.authenticate(apiKey);
    const tmax = parseTmax(tmaxHeader);
    const key = parseIdempotencyKey(idempotencyKey);
    // Admission first: past capacity a 429 must cost less than validating the lead.
    return this.admission.run(() => this.acceptance.accept(supplier, this.intake.validate(body), tmax, key));
  }

  /** The lead's state and its trail. Readable by the supplier that sent it and by admins. */
  @Get(':id')
  async get(
    @Param('id') id: string,
    @Headers(HTTP_HEADERS.apiKey) apiKey: string | undefined,
    @Headers(HTTP_HEADERS.adminKey) adminKey: string | undefined,
  ) {
    if (!leadIdSchema.safeParse(id).success) throw new PingtreeError('INVALID_REQUEST', 'lead id must be a UUID');
    const supplierId = this.admin.isAdmin(adminKey) ? null : this.intake.authenticate(apiKey).id;
    const lead = await this.leads.findById(id);
    // Another supplier's lead is reported as missing, so ids can't be probed.
    if (!lead || (supplierId !== null && lead.supplierId !== supplierId))
      throw new PingtreeError('NOT_FOUND', `lead ${id} not found`);
    // The lead's state is ours; the trail is audit's. Without audit, say so rather than fail.
    const trail = await this.nats
      .request(auditTrailV1, { leadId: id }, { deadlineAt: Date.now() + TRAIL_DEADLINE_MS, leadId: id })
      .then(({ events }) =>
        events.map((e) => ({ ...e, msSinceReceived: Math.round((e.at - lead.receivedAt.getTime()) * 100) / 100 })),
      )
      .catch((error: unknown) => {
        if (error instanceof PingtreeError) return { unavailable: error.code, message: error.message };
        throw error;
      });
    return {
      lead: {
        id: lead.id,
        state: lead.state,
        campaignId: lead.campaignId,
        supplierLeadId: lead.supplierLeadId,
        receivedAt: lead.receivedAt.toISOString(),
        deadlineAt: lead.deadlineAt.toISOString(),
        traceId: lead.traceId,
        decision: lead.decision,
        lifecycle: lead.lifecycle,
      },
      trail,
    };
  }
}

function parseIdempotencyKey(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(header)) {
    throw new PingtreeError('INVALID_REQUEST', `${HTTP_HEADERS.idempotencyKey} must be 1 to 200 printable ASCII characters`);
  }
  return header;
}

function parseTmax(header: string | undefined): number | null {
  if (header === undefined) return null;
  const ms = Number(header);
  if (!Number.isInteger(ms) || ms < 50 || ms > 60_000) {
    throw new PingtreeError('INVALID_REQUEST', `${HTTP_HEADERS.tmax} must be an integer number of milliseconds from 50 to 60000`);
  }
  return ms;
}
