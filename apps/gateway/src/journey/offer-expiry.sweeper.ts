import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '@pingtree/runtime';
import { leadEventId } from '@pingtree/contracts';
import { LeadEventPublisher } from '@pingtree/messaging';
import { DataSource } from 'typeorm';

const SWEEP_EVERY_MS = 5_000;

/**
 * Offered leads whose offers all expired without a pick become `expired`. Any gateway replica may
 * run it: the conditional update moves each lead once.
 */
@Injectable()
export class OfferExpirySweeper extends PeriodicTask {
  private readonly logger = new Logger(OfferExpirySweeper.name);

  constructor(
    private readonly ds: DataSource,
    private readonly events: LeadEventPublisher,
  ) {
    super(SWEEP_EVERY_MS);
  }

  protected run(): Promise<unknown> {
    return this.sweep();
  }

  async sweep(): Promise<number> {
    try {
      // Offered leads are found through open_leads (no index of leads covers state: decisions stay HOT).
      const expired = (await this.ds.query(
        `WITH expired AS (
           UPDATE leads l SET state = 'expired', updated_at = now(),
             decision = jsonb_build_object('leadId', l.id, 'state', 'expired', 'reason', 'offers_expired', 'ms', 0)
           FROM open_leads w
           WHERE w.offered AND l.id = w.lead_id AND l.state = 'offered'
             AND NOT EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead_id = l.id AND o.expires_at > now())
           RETURNING l.id
         ), closed AS (
           DELETE FROM open_leads w USING expired e WHERE w.lead_id = e.id
         )
         SELECT id FROM expired`,
      )) as Array<{ id: string }>;
      for (const { id } of expired) {
        this.events.emit({
          id: leadEventId(id, 'finished'),
          leadId: id,
          type: 'finished',
          service: 'gateway',
          at: Date.now(),
          tierIndex: null,
          channelId: null,
          data: { leadId: id, state: 'expired', reason: 'offers_expired' },
        });
      }
      return expired.length;
    } catch (error) {
      this.logger.warn(`offer expiry sweep failed: ${String(error)}`);
      return 0;
    }
  }
}
