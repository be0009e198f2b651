import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '@pingtree/runtime';
import { TERMINAL_LEAD_STATES } from '@pingtree/contracts';
import { DataSource } from 'typeorm';
import { REPAIR_TRAILS } from './trail-repair.queries';

const SWEEP_EVERY_MS = 10_000;
/** Older than this, an event that should exist is not just in flight: its publisher died first. */
const SETTLE_S = 10;
/** The first sweep after a start reads this far back; later ones start where the last one ended. */
const LOOK_BACK_S = 6 * 3600;
/**
 * Each sweep starts this far before where the last one ended: a lead's received_at is its insert's
 * start, and its commit can land later (up to SETTLE_S + OVERLAP_S later and it is still read).
 */
const OVERLAP_S = 5;
/** The most receipt time one statement reads. */
const SLICE_S = 10 * 60;

/**
 * A service killed between its database write and its event publish loses that event. The system
 * of record still has the fact, so the trail is repaired from it: a lead without `received`, a
 * decided lead without `finished`, a post attempt without `post_attempted`/`posted`. Same ids as
 * the originals, so a late original (or another replica) changes nothing.
 *
 * Each sweep reads the leads received since the last one (a watermark on the database's clock) and
 * watches by id those it found undecided (an offer waiting for the consumer's pick, a post waiting
 * for the buyer's callback) until they are decided, so its cost follows the lead rate. The
 * watermark and the watched ids live in memory only: after a restart the first sweep reads
 * LOOK_BACK_S back again.
 */
@Injectable()
export class TrailRepairSweeper extends PeriodicTask {
  private readonly logger = new Logger(TrailRepairSweeper.name);
  /** Everything settled before this (database clock) was checked by the last sweep; null: none yet. */
  private checkedUntil: Date | null = null;
  /** Leads a sweep found undecided: read by id until they are decided. */
  private watched = new Set<string>();
  private sweeping: Promise<number> | null = null;

  constructor(private readonly ds: DataSource) {
    super(SWEEP_EVERY_MS);
  }

  /** A tick while a sweep still runs (a large first window) is skipped, not queued. */
  protected run(): Promise<unknown> {
    return this.sweeping ?? this.sweep();
  }

  /** Sweeps run one after another: each reads and moves the watermark. */
  sweep(settleSeconds = SETTLE_S): Promise<number> {
    const next = (this.sweeping ?? Promise.resolve(0)).then(() => this.sweepOnce(settleSeconds));
    this.sweeping = next;
    void next.finally(() => {
      if (this.sweeping === next) this.sweeping = null;
    });
    return next;
  }

  private async sweepOnce(settleSeconds: number): Promise<number> {
    try {
      const [clock] = (await this.ds.query(`SELECT (now() - make_interval(secs => $1))::text AS until`, [
        settleSeconds,
      ])) as Array<{ until: string }>;
      // As text: a JS Date would drop the microseconds and leave a lead decided in that millisecond out.
      const until = clock!.until;
      const untilAt = new Date(until);
      let from = secondsBefore(this.checkedUntil ?? untilAt, this.checkedUntil ? OVERLAP_S : LOOK_BACK_S);
      let repaired = 0;
      // A long window (the first sweep's look-back, or one after an outage) goes in slices: each
      // statement stays short, and the watermark moves with every slice that is done.
      for (;;) {
        const sliceEnd = untilAt.getTime() - from.getTime() > SLICE_S * 1000 ? new Date(from.getTime() + SLICE_S * 1000) : null;
        const to = sliceEnd ? sliceEnd.toISOString() : until;
        const [result] = (await this.ds.query(REPAIR_TRAILS, [
          until,
          from,
          [...this.watched],
          TERMINAL_LEAD_STATES,
          to,
        ])) as Array<{
          repaired: number;
          undecided: string[];
        }>;
        this.watched = new Set(result!.undecided);
        this.checkedUntil = sliceEnd ?? untilAt;
        repaired += result!.repaired;
        if (!sliceEnd) break;
        from = sliceEnd;
      }

      if (repaired > 0) this.logger.warn(`repaired ${repaired} trail events from the system of record`);
      return repaired;
    } catch (error) {
      // The watermark and the watch stay: the next sweep reads from where the last good one ended.
      this.logger.warn(`trail repair failed: ${String(error)}`);
      return 0;
    }
  }
}

function secondsBefore(at: Date, seconds: number): Date {
  return new Date(at.getTime() - seconds * 1000);
}
