import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

const REFRESH_MS = 30_000;

/**
 * Observed post acceptance per channel over the last 7 days, for expected-value ranking.
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
      const rows = (await this.ds.query(
        `SELECT channel_id,
                count(*) FILTER (WHERE state = 'accepted')::int AS accepted,
                count(*) FILTER (WHERE state IN ('accepted', 'rejected'))::int AS answered
         FROM post_attempts WHERE attempted_at > now() - interval '7 days' GROUP BY channel_id`,
      )) as Array<{ channel_id: string; accepted: number; answered: number }>;
      // One success of prior evidence: new channels start at 1 and converge as answers arrive.
      this.rates = new Map(rows.map((r) => [r.channel_id, (r.accepted + 1) / (r.answered + 1)]));
    } catch (error) {
      this.logger.warn(`post acceptance refresh failed: ${String(error)}`);
    }
  }
}
