import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PingtreeError } from '@pingtree/contracts';
import { EventLoopLag } from '@pingtree/runtime';

export const ADMISSION_LIMITS = Symbol('ADMISSION_LIMITS');

export interface AdmissionLimits {
  maxLeadsInFlight: number;
  maxEventLoopLagMs: number;
}

/**
 * Back-pressure: past this many journeys in flight on this replica, or while its event loop runs
 * late (leads queue before they are even counted), new leads get 429 with Retry-After at once,
 * before anything is stored, instead of every lead timing out together.
 */
@Injectable()
export class AdmissionControl implements OnApplicationShutdown {
  private inFlight = 0;
  private readonly lag = new EventLoopLag().start();

  constructor(@Inject(ADMISSION_LIMITS) private readonly limits: AdmissionLimits) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
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
    this.inFlight++;
    try {
      return await work();
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
