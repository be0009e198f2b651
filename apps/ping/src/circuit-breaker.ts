/**
 * One channel's breaker: closed → open after `failureThreshold` failed pings in a row → after the
 * cool-down one probe is let through (half-open) → closed on success, open again on failure.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSettings {
  failureThreshold: number;
  cooldownMs: number;
}

export type CircuitTransition = { state: 'open'; retryAt: number; reason: string } | { state: 'closed' };

export class CircuitBreaker {
  private failures = 0;
  private state: CircuitState = 'closed';
  private retryAt = 0;
  private probing = false;

  /** May this ping go out? During half-open only one probe at a time does. */
  allow(now: number): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open' && now >= this.retryAt) this.state = 'half_open';
    if (this.state === 'half_open' && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  /** Records a ping's result; returns a transition when the state changed. */
  record(failed: boolean, reason: string, settings: CircuitSettings, now: number): CircuitTransition | null {
    this.probing = false;
    if (!failed) {
      this.failures = 0;
      if (this.state === 'closed') return null;
      this.state = 'closed';
      return { state: 'closed' };
    }
    this.failures++;
    if (this.state === 'half_open' || (this.state === 'closed' && this.failures >= settings.failureThreshold)) {
      return this.open(now + settings.cooldownMs, reason);
    }
    return null;
  }

  /** Applies a transition decided by another replica. */
  apply(transition: CircuitTransition): void {
    if (transition.state === 'open') this.open(transition.retryAt, transition.reason);
    else {
      this.state = 'closed';
      this.failures = 0;
      this.probing = false;
    }
  }

  retryAtMs(): number {
    return this.retryAt;
  }

  private open(retryAt: number, reason: string): CircuitTransition {
    this.state = 'open';
    this.retryAt = retryAt;
    this.probing = false;
    return { state: 'open', retryAt, reason };
  }
}
