import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '@pingtree/runtime';
import { PingtreeError } from '@pingtree/contracts';
import { DataSource } from 'typeorm';
import { LeadJourney } from '../journey/lead-journey.service';

const SWEEP_EVERY_MS = 5_000;

/**
 * Pending posts whose buyer never called back in time: the post is marked `callback_timeout` and
 * the lead goes to reconciliation (the buyer may still have bought it; a late callback settles it).
 */
@Injectable()
export class CallbackTimeoutSweeper extends PeriodicTask {
  private readonly logger = new Logger(CallbackTimeoutSweeper.name);

  constructor(
    private readonly ds: DataSource,
    private readonly journey: LeadJourney,
  ) {
    super(SWEEP_EVERY_MS);
  }

  protected run(): Promise<unknown> {
    return this.sweep();
  }

  async sweep(): Promise<number> {
    try {
      const [rows] = (await this.ds.query(
        `UPDATE post_attempts SET state = 'callback_timeout', reason = 'no callback before the deadline'
         WHERE state = 'pending' AND callback_deadline < now() RETURNING lead_id`,
      )) as [Array<{ lead_id: string }>, number];
      for (const leadId of new Set(rows.map((r) => r.lead_id))) {
        await this.journey.afterCallback(leadId).catch((error: unknown) => {
          if (!(error instanceof PingtreeError && error.code === 'CONFLICT')) throw error;
        });
      }
      return rows.length;
    } catch (error) {
      this.logger.warn(`callback timeout sweep failed: ${String(error)}`);
      return 0;
    }
  }
}
