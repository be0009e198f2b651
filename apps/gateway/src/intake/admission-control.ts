import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PingtreeError, type LeadDecision } from '@pingtree/contracts';
import { EventLoopLag } from '@pingtree/runtime';
import { StandingQueue } from './standing-queue';

export const ADMISSION_LIMITS = Symbol('ADMISSION_LIMITS');

export interface AdmissionLimits {
  maxLeadsInFlight: number;
  maxEventLoopLagMs: number;
  /** Shed while every lead of the last second spent at least this long in the platform itself. */
  maxQueueDelayMs: number;
}

/**
 * Back-pressure: new leads get 429 with Retry-After at once, before anything is stored, instead of
 * every lead timing out together, when this replica has too many journeys in flight, when its
 * event loop runs late, or, while a queue stands downstream (every lead of the last second took long
 * in the platform, buyers' time excluded: the machine is past its capacity), beyond the rate at
 * which leads finish.
 */
@Injectable()
export class AdmissionControl implements OnApplicationShutdown {
  private inFlight = 0;
  private readonly lag = new EventLoopLag().start();
  private readonly queue = new StandingQueue();

  constructor(@Inject(ADMISSION_LIMITS) private readonly limits: AdmissionLimits) {}

  async run(work: () => Promise<LeadDecision>): Promise<LeadDecision> {
    if (this.inFlight >= this.limits.maxLeadsInFlight) {
      throw new PingtreeError(
        'OVERLOADED',
        `over ${this.limits.maxLeadsInFlight} leads in flight on this gateway; retry shortly`,
      );
    }
    const lagMs = this.lag.recentMaxMs();
    if (lagMs > this.limits.maxEventLoopLagMs) {
      throw new PingtreeError('OVERLOADED', `this gateway is running ${Math.round(lagMs)} ms behind; retry shortly`);
    }
    const now = Date.now();
    const queuedMs = this.queue.standingMs(now);
    if (queuedMs > this.limits.maxQueueDelayMs && !this.queue.admitWhileQueued(now)) {
      throw new PingtreeError('OVERLOADED', `leads are queueing (${Math.round(queuedMs)} ms in the platform); retry shortly`);
    }
    this.inFlight++;
    try {
      const decision = await work();
      // The platform's own time: the decision's time minus the buyers' along the critical path.
      if (decision.buyerMs !== undefined) this.queue.record(decision.ms - decision.buyerMs, Date.now());
      return decision;
    } finally {
      this.inFlight--;
    }
  }

  get current(): number {
    return this.inFlight;
  }

  onApplicationShutdown(): void {
    this.lag.stop();
  }
}
