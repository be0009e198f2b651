import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CapSettlementRepository } from './cap-settlement.repository';

const SWEEP_EVERY_MS = 5_000;
const BATCH = 500;

/**
 * Settles cap reservations past their expiry: a post service that died mid-lead, or a choice
 * offer never picked, must not hold a channel's room for ever. Every post replica runs it; each
 * reservation changes state once (conditional update, SKIP LOCKED), so replicas never double-count.
 */
@Injectable()
export class CapReservationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CapReservationSweeper.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly repo: CapSettlementRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Settles expired reservations batch by batch; returns how many it committed and released. */
  async sweep(): Promise<{ committed: number; released: number }> {
    const total = { committed: 0, released: 0 };
    try {
      for (;;) {
        const { committed, released } = await this.repo.settleExpired(BATCH);
        total.committed += committed;
        total.released += released;
        if (committed < BATCH && released < BATCH) break;
      }
    } catch (error) {
      this.logger.warn(`cap reservation sweep failed: ${String(error)}`);
    }
    if (total.committed + total.released > 0) {
      this.logger.log(`expired cap reservations: ${total.committed} committed, ${total.released} released`);
    }
    return total;
  }
}
