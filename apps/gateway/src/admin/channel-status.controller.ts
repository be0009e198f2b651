import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
// The auction's own window arithmetic, so "used" here is counted in the window the auction enforces.
import { capWindowStart } from '../../../auction/src/cap-windows';
import { AdminConfig } from './admin-config.service';
import { AdminGuard } from './admin.guard';
import { found, IdPipe } from './parse-id';

interface CircuitRow {
  state: string;
  reason: string | null;
  opened_at: Date | null;
  retry_at: Date | null;
  updated_at: Date;
}

interface CapWindowRow {
  period: string;
  used_count: number;
  reserved_count: number;
  used_spend: string;
  reserved_spend: string;
}

/** A channel's live condition for operators: its circuit breaker, and its caps used against their limits. */
@Controller('v1/admin/channels')
@UseGuards(AdminGuard)
export class ChannelStatusController {
  constructor(
    private readonly config: AdminConfig,
    private readonly ds: DataSource,
  ) {}

  /** `closed` (pings go out) unless the breaker opened after failed pings; written on transitions only. */
  @Get(':id/circuit')
  async circuit(@Param('id', IdPipe) id: string) {
    found(await this.config.store.getChannel(id), 'channel', id);
    const rows = (await this.ds.query(
      `SELECT state, reason, opened_at, retry_at, updated_at FROM channel_circuits WHERE channel_id = $1`,
      [id],
    )) as CircuitRow[];
    const row = rows[0];
    if (!row) return { channelId: id, state: 'closed', reason: null, openedAt: null, retryAt: null, updatedAt: null };
    return {
      channelId: id,
      state: row.state,
      reason: row.reason,
      openedAt: row.opened_at?.toISOString() ?? null,
      retryAt: row.retry_at?.toISOString() ?? null,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /** Each configured cap with what the current window (in the buyer's time zone) has used and reserved. */
  @Get(':id/caps')
  async caps(@Param('id', IdPipe) id: string) {
    const channel = found(await this.config.store.getChannel(id), 'channel', id);
    const now = Date.now();
    const items = await Promise.all(
      channel.caps.map(async (cap) => {
        const windowStart = new Date(capWindowStart(cap.period, now, channel.timezone));
        const rows = (await this.ds.query(
          `SELECT period, used_count, reserved_count, used_spend, reserved_spend
             FROM channel_cap_windows WHERE channel_id = $1 AND period = $2 AND window_start = $3`,
          [id, cap.period, windowStart],
        )) as CapWindowRow[];
        const row = rows[0];
        return {
          period: cap.period,
          windowStart: windowStart.toISOString(),
          limitCount: cap.count ?? null,
          limitSpend: cap.spend ?? null,
          usedCount: row?.used_count ?? 0,
          reservedCount: row?.reserved_count ?? 0,
          usedSpend: Number(row?.used_spend ?? 0),
          reservedSpend: Number(row?.reserved_spend ?? 0),
        };
      }),
    );
    return { channelId: id, timezone: channel.timezone, items };
  }
}
