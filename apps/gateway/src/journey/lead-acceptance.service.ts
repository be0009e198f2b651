import { Injectable } from '@nestjs/common';
import { context, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { leadEventId, PingtreeError, toPingLead, type LeadDecision, type Supplier } from '@pingtree/contracts';
import { FieldCipher, sealLeadField } from '@pingtree/crypto';
import { LeadEventPublisher } from '@pingtree/messaging';
import type { AcceptedInput } from '../intake/lead-intake';
import { dedupeKeys } from '../intake/dedupe-keys';
import { IdempotentIntake } from '../intake/idempotent-intake';
import { newLeadId } from '../intake/lead-id';
import { LeadJourney } from './lead-journey.service';
import { LeadRepository } from './lead.repository';

// Looked up per use: a tracer taken at load time would miss a provider registered later (tests).
const tracer = () => trace.getTracer('pingtree-gateway');

/** Persists a validated lead before any buyer sees it, then runs its journey. */
@Injectable()
export class LeadAcceptance {
  constructor(
    private readonly leads: LeadRepository,
    private readonly journey: LeadJourney,
    private readonly events: LeadEventPublisher,
    private readonly idempotency: IdempotentIntake,
    private readonly cipher: FieldCipher,
  ) {}

  /** One trace per lead: this span is the root every service's spans hang from. */
  accept(
    supplier: Supplier,
    accepted: AcceptedInput,
    partnerTmaxMs: number | null,
    idempotencyKey: string | null = null,
  ): Promise<LeadDecision> {
    return tracer().startActiveSpan('lead', async (span) => {
      try {
        // Passed on explicitly: without recorded spans there is no active context to carry it.
        const leadTrace = trace.setSpan(context.active(), span);
        const decision = await this.acceptInSpan(supplier, accepted, partnerTmaxMs, idempotencyKey, leadTrace);
        span.setAttributes({ 'pingtree.lead_id': decision.leadId, 'pingtree.lead_state': decision.state });
        return decision;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  private async acceptInSpan(
    supplier: Supplier,
    accepted: AcceptedInput,
    partnerTmaxMs: number | null,
    idempotencyKey: string | null,
    leadTrace: Context,
  ): Promise<LeadDecision> {
    const { input, campaign, tree, verticalFields } = accepted;
    const receivedAt = Date.now();
    const leadId = newLeadId(receivedAt);
    const tmax = partnerTmaxMs !== null ? Math.min(campaign.tmaxMs, partnerTmaxMs) : campaign.tmaxMs;
    const deadlineAt = receivedAt + tmax;
    const pingLead = toPingLead(leadId, campaign.vertical, input, verticalFields, new Date(receivedAt));
    const keys = dedupeKeys(input, supplier.id);
    // A retry of the same request answers with the first one's decision, never processes twice:
    // the lead is stored only if it claims the key.
    const key = idempotencyKey ?? input.supplierLeadId ?? null;
    const stored = await this.leads.insert(
      {
        id: leadId,
        campaignId: campaign.id,
        supplierId: supplier.id,
        supplierLeadId: input.supplierLeadId ?? null,
        receivedAt: new Date(receivedAt),
        deadlineAt: new Date(deadlineAt),
        pingLead,
        // Encrypted at rest (envelopes in the jsonb columns); the post service decrypts them for the buyer.
        contact: sealLeadField(this.cipher, leadId, 'contact', input.contact),
        consent: sealLeadField(this.cipher, leadId, 'consent', input.consent),
        traceId: trace.getSpanContext(leadTrace)?.traceId ?? null,
        dedupeKeyHashes: keys,
      },
      key,
    );
    if (!stored) {
      const first = await this.idempotency.holder(supplier.id, key!);
      if (first !== null) return this.idempotency.firstAnswer(first, deadlineAt + 1000);
      throw new PingtreeError('CONFLICT', 'this request was retried while its key changed hands; retry later');
    }
    this.events.emit({
      id: leadEventId(leadId, 'received'),
      leadId,
      type: 'received',
      service: 'gateway',
      at: receivedAt,
      tierIndex: null,
      channelId: null,
      data: {
        campaign: campaign.key,
        supplierId: supplier.id,
        tmaxMs: tmax,
        lead: pingLead,
        tree: { id: tree.id, version: tree.version ?? null },
      },
    });
    if (!input.consent.given) {
      return this.journey.reject({ leadId, receivedAt }, 'consent_not_given');
    }
    return this.journey.run({
      leadId,
      pingLead,
      campaign,
      supplierId: supplier.id,
      supplierPriceFloor: supplier.priceFloor,
      tree,
      dedupeKeys: keys,
      trace: leadTrace,
      receivedAt,
      deadlineAt,
    });
  }
}
