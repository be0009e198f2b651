import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

const REFRESH_MS = 30_000;

/**
 * Observed post acceptance per channel over the last 7 days, net of returns, for expected-value ranking.
 * Refreshed in the background, never read per lead. A channel with no history counts as 1.
 */
@Injectable()
export class PostAcceptanceStats implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PostAcceptanceStats.name);
  private rates = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ds: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  rate(channelId: string): number {
    return this.rates.get(channelId) ?? 1;
  }

  async refresh(): Promise<void> {
    try {
      // A returned lead counts as a post the buyer did not keep.
      const rows = (await this.ds.query(
        `SELECT p.channel_id,
                (count(*) FILTER (WHERE p.state = 'accepted') - count(r.lead_id))::int AS accepted,
                count(*) FILTER (WHERE p.state IN ('accepted', 'rejected'))::int AS answered
         FROM post_attempts p
         LEFT JOIN lead_returns r ON r.lead_id = p.lead_id AND r.channel_id = p.channel_id
         WHERE p.attempted_at > now() - interval '7 days' GROUP BY p.channel_id`,
      )) as Array<{ channel_id: string; accepted: number; answered: number }>;
      // One success of prior evidence: new channels start at 1 and converge as answers arrive.
      this.rates = new Map(rows.map((r) => [r.channel_id, (r.accepted + 1) / (r.answered + 1)]));
    } catch (error) {
      this.logger.warn(`post acceptance refresh failed: ${String(error)}`);
    }
  }
}
