import { Inject, Injectable } from '@nestjs/common';
import { PingtreeError } from '@pingtree/contracts';

export const MAX_LEADS_IN_FLIGHT = Symbol('MAX_LEADS_IN_FLIGHT');

/**
 * Back-pressure: past this many journeys in flight on this replica, new leads get 429 with
 * Retry-After at once, before anything is stored, instead of every lead timing out together.
 */
@Injectable()
export class AdmissionControl {
  private inFlight = 0;

  constructor(@Inject(MAX_LEADS_IN_FLIGHT) private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.limit) {
      throw new PingtreeError('OVERLOADED', `over ${this.limit} leads in flight on this gateway; retry shortly`);
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
}
