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
      const stuck = (await this.ds.query(
        `SELECT id, state, (extract(epoch from received_at) * 1000)::float8 AS received_at FROM leads
         WHERE state IN ('received', 'pinging', 'posting') AND deadline_at < now() - make_interval(secs => $1)
         ORDER BY deadline_at LIMIT 500`,
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
