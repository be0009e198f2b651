import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '@pingtree/runtime';
import { TERMINAL_LEAD_STATES } from '@pingtree/contracts';
import { DataSource } from 'typeorm';
import {
  LONG_OPEN_LEADS,
  REPAIR_FINISHED,
  REPAIR_POSTED,
  REPAIR_POST_ATTEMPTED,
  REPAIR_RECEIVED,
  STILL_UNDECIDED,
} from './trail-repair.queries';

const SWEEP_EVERY_MS = 5_000;
/** Older than this, an event that should exist is not just in flight: its publisher died first. */
const SETTLE_S = 10;
/** The first sweep after a start reads this far back; later ones start where the last one ended. */
const LOOK_BACK_S = 6 * 3600;
/** Each sweep starts this far before where the last one ended: commits land out of timestamp order. */
const OVERLAP_S = 30;
/**
 * A lead is decided within its tmax (at most 60 s) of receipt and a post answered within its timeout
 * of the attempt, so the `finished` and `posted` windows reach back this much further. A lead still
 * open LONG_OPEN_S after receipt (an offer waiting for the consumer's pick, a post waiting for the
 * buyer's callback) is watched by id until it is decided. LONG_OPEN_S + the time between two sweeps
 * must stay under OVERLAP_S + DECIDED_WITHIN_S, so no lead falls between the window and the watch.
 */
const DECIDED_WITHIN_S = 120;
const LONG_OPEN_S = 60;

/**
 * A service killed between its database write and its event publish loses that event. The system
 * of record still has the fact, so the trail is repaired from it: a lead without `received`, a
 * decided lead without `finished`, a post attempt without `post_attempted`/`posted`. Same ids as
 * the originals, so a late original (or another replica) changes nothing.
 *
 * Each sweep reads only what changed since the last one (a watermark on the database's clock), so
 * its cost follows the lead rate. The watermark and the watched ids live in memory only: after a
 * restart the first sweep reads LOOK_BACK_S back again and finds the open leads in `open_leads`.
 */
@Injectable()
export class TrailRepairSweeper extends PeriodicTask {
  private readonly logger = new Logger(TrailRepairSweeper.name);
  /** Everything settled before this (database clock) was checked by the last sweep; null: none yet. */
  private checkedUntil: Date | null = null;
  /** Leads that outlived the `finished` window open: checked by id until decided. */
  private longOpen = new Set<string>();
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
      const [clock] = (await this.ds.query(
        `SELECT (now() - make_interval(secs => $1))::text AS until, now() - make_interval(secs => $2) AS long_open_before`,
        [settleSeconds, LONG_OPEN_S],
      )) as Array<{ until: string; long_open_before: Date }>;
      // As text: a JS Date would drop the microseconds and leave a lead decided in that millisecond out.
      const until = clock!.until;
      const from = secondsBefore(this.checkedUntil ?? new Date(until), this.checkedUntil ? OVERLAP_S : LOOK_BACK_S);
      // Watch first: a lead decided after this read is still in the `finished` window next sweep.
      const longOpen = (await this.ds.query(LONG_OPEN_LEADS, [clock!.long_open_before])) as Array<{ id: string }>;
      for (const { id } of longOpen) this.longOpen.add(id);

      const received = await this.insertMissing(REPAIR_RECEIVED, [until, from]);
      const watched = [...this.longOpen];
      const finished = await this.insertMissing(REPAIR_FINISHED, [
        until,
        TERMINAL_LEAD_STATES,
        secondsBefore(from, DECIDED_WITHIN_S),
        watched,
      ]);
      const attempted = await this.insertMissing(REPAIR_POST_ATTEMPTED, [until, from]);
      const posted = await this.insertMissing(REPAIR_POSTED, [until, secondsBefore(from, DECIDED_WITHIN_S)]);

      const undecided = (await this.ds.query(STILL_UNDECIDED, [until, TERMINAL_LEAD_STATES, watched])) as Array<{
        id: string;
      }>;
      this.longOpen = new Set(undecided.map((r) => r.id));
      this.checkedUntil = new Date(until);

      const repaired = received + finished + attempted + posted;
      if (repaired > 0) this.logger.warn(`repaired ${repaired} trail events from the system of record`);
      return repaired;
    } catch (error) {
      // The watermark stays: the next sweep reads from where the last good one ended.
      this.logger.warn(`trail repair failed: ${String(error)}`);
      return 0;
    }
  }

  private async insertMissing(sql: string, params: unknown[]): Promise<number> {
    return ((await this.ds.query(sql, params)) as unknown[]).length;
  }
}

function secondsBefore(at: Date, seconds: number): Date {
  return new Date(at.getTime() - seconds * 1000);
}
