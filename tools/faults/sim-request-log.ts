import { leadIdInBody } from './buyer-recorder';

/** A post as buyer-sim's own request log (`GET /_sim/requests`) recorded it. */
export interface SimPost {
  buyer: string;
  leadId: string | null;
  receivedAt: string;
}

/** The ring holds over a minute of calls at the suite's load; reading it less often disturbs buyer-sim less. */
const POLL_EVERY_MS = 10_000;

/**
 * buyer-sim keeps its last 10,000 calls in a ring, pings included; polling it often and keeping
 * what is new gives every post it received over a run longer than the ring.
 */
export class SimRequestLog {
  private readonly seen = new Map<string, SimPost>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> = Promise.resolve();
  failures = 0;

  constructor(private readonly simUrl: string) {}

  start(): void {
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, POLL_EVERY_MS);
  }

  async stop(): Promise<SimPost[]> {
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    await this.poll();
    return [...this.seen.values()];
  }

  private async poll(): Promise<void> {
    try {
      const res = await fetch(`${this.simUrl}/_sim/requests?kind=post`, { signal: AbortSignal.timeout(10_000) });
      const { requests } = (await res.json()) as { requests: Array<{ buyer: string; rawBody: string; receivedAt: string }> };
      for (const r of requests) {
        const leadId = leadIdInBody(r.rawBody);
        this.seen.set(`${r.buyer}|${r.receivedAt}|${leadId}|${r.rawBody.length}`, {
          buyer: r.buyer,
          leadId,
          receivedAt: r.receivedAt,
        });
      }
    } catch {
      this.failures++;
    }
  }
}
