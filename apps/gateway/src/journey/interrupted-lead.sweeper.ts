import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '@pingtree/runtime';
import { PingtreeError, type LeadState } from '@pingtree/contracts';
import { DataSource } from 'typeorm';
import { LeadJourney } from './lead-journey.service';

const SWEEP_EVERY_MS = 5_000;
/** A journey past its deadline by this much is no longer running anywhere (its gateway died). */
const GRACE_MS = 30_000;

/**
 * Leads whose journey was cut short by a crash (a gateway killed mid-flow) are settled to a
 * terminal state from what was recorded. Any replica may sweep: transitions are conditional.
 */
@Injectable()
export class InterruptedLeadSweeper extends PeriodicTask {
  private readonly logger = new Logger(InterruptedLeadSweeper.name);

  constructor(
    private readonly ds: DataSource,
    private readonly journey: LeadJourney,
  ) {
    super(SWEEP_EVERY_MS);
  }

  protected run(): Promise<unknown> {
    return this.sweep();
  }

  async sweep(graceMs = GRACE_MS): Promise<number> {
    let settled = 0;
    try {
      // A row whose lead left the journey by another way (an operator's fix) would block the oldest slots.
      await this.ds.query(
        `DELETE FROM open_leads w USING leads l
         WHERE l.id = w.lead_id AND NOT w.offered AND w.deadline_at < now() - make_interval(secs => $1)
           AND l.state NOT IN ('received', 'pinging', 'posting')`,
        [graceMs / 1000],
      );
      const stuck = (await this.ds.query(
        // open_leads lists the leads mid-journey by deadline (no index of leads covers state: decisions
        // stay HOT): the 500 oldest from its index first, then each lead by its key.
        `SELECT l.id, l.state, (extract(epoch from l.received_at) * 1000)::float8 AS received_at
         FROM (SELECT lead_id, deadline_at FROM open_leads
               WHERE NOT offered AND deadline_at < now() - make_interval(secs => $1)
               ORDER BY deadline_at LIMIT 500) w
         JOIN leads l ON l.id = w.lead_id AND l.state IN ('received', 'pinging', 'posting')
         ORDER BY w.deadline_at`,
        [graceMs / 1000],
      )) as Array<{ id: string; state: LeadState; received_at: number }>;
      for (const lead of stuck) {
        try {
          await this.journey.settleFromPosts(
            { leadId: lead.id, receivedAt: lead.received_at, storedState: lead.state },
            'journey_interrupted',
            'expired',
          );
          settled++;
        } catch (error) {
          // Another replica settled it first, or it finished meanwhile.
          if (!(error instanceof PingtreeError && error.code === 'CONFLICT')) throw error;
        }
      }
      if (settled > 0) this.logger.warn(`settled ${settled} interrupted leads`);
    } catch (error) {
      this.logger.warn(`interrupted lead sweep failed: ${String(error)}`);
    }
    return settled;
  }
}
