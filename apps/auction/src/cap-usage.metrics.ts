import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '@pingtree/runtime';
import { CatalogService } from '@pingtree/catalog';
import { capUsage } from '@pingtree/telemetry';
import { DataSource } from 'typeorm';
import { capWindowStart } from './cap-windows';

const REFRESH_MS = 10_000;

/** Publishes each capped channel's use of its current windows to /metrics, off the hot path. */
@Injectable()
export class CapUsageMetrics extends PeriodicTask {
  private readonly logger = new Logger(CapUsageMetrics.name);

  constructor(
    private readonly ds: DataSource,
    private readonly catalog: CatalogService,
  ) {
    super(REFRESH_MS);
  }

  protected run(): Promise<unknown> {
    return this.refresh();
  }

  async refresh(now = Date.now()): Promise<void> {
    const windows = this.catalog.current
      .channels()
      .flatMap((channel) =>
        channel.caps.map((cap) => ({ channel, cap, start: capWindowStart(cap.period, now, channel.timezone) })),
      );
    if (windows.length === 0) return;
    try {
      const rows = (await this.ds.query(
        `SELECT w.channel_id, w.period, w.used_count, w.used_spend::float8 AS used_spend
         FROM channel_cap_windows w
         JOIN unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS c(channel_id, period, window_start)
           ON w.channel_id = c.channel_id AND w.period = c.period AND w.window_start = c.window_start`,
        [windows.map((w) => w.channel.id), windows.map((w) => w.cap.period), windows.map((w) => new Date(w.start).toISOString())],
      )) as Array<{ channel_id: string; period: string; used_count: number; used_spend: number }>;
      const used = new Map(rows.map((r) => [`${r.channel_id}:${r.period}`, r]));
      for (const { channel, cap } of windows) {
        const row = used.get(`${channel.id}:${cap.period}`);
        if (cap.count !== undefined)
          capUsage.set({ channel: channel.id, period: cap.period, measure: 'count' }, (row?.used_count ?? 0) / cap.count);
        if (cap.spend !== undefined)
          capUsage.set({ channel: channel.id, period: cap.period, measure: 'spend' }, (row?.used_spend ?? 0) / cap.spend);
      }
    } catch (error) {
      this.logger.warn(`cap usage refresh failed: ${String(error)}`);
    }
  }
}
