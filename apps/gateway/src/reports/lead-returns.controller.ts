import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { leadEventId, PingtreeError } from '@pingtree/contracts';
import { LeadEventPublisher } from '@pingtree/messaging';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AdminGuard } from '../admin/admin.guard';
import { parseBody } from '../admin/parse-body';
import { IdPipe } from '../admin/parse-id';

const returnSchema = z.strictObject({
  /** The buying channel; may be left out when the lead sold to one channel only. */
  channelId: z.uuid().optional(),
  reason: z.string().trim().min(1).max(500),
});

/**
 * A buyer disputes a lead it bought. The sale's price leaves revenue in reports, and the channel's
 * expected-value ranking counts the return against it.
 */
@Controller('v1/leads')
@UseGuards(AdminGuard)
export class LeadReturnsController {
  constructor(
    private readonly ds: DataSource,
    private readonly events: LeadEventPublisher,
  ) {}

  @Post(':id/returns')
  @HttpCode(201)
  async create(@Param('id', IdPipe) leadId: string, @Body() body: unknown) {
    const { channelId, reason } = parseBody(returnSchema, body, 'return');
    const sales = (await this.ds.query(
      `SELECT channel_id, price::float8 AS price FROM post_attempts WHERE lead_id = $1 AND state = 'accepted'`,
      [leadId],
    )) as Array<{ channel_id: string; price: number }>;
    if (sales.length === 0) throw new PingtreeError('NOT_FOUND', `lead ${leadId} has no sale to return`);
    const sale = channelId ? sales.find((s) => s.channel_id === channelId) : sales.length === 1 ? sales[0] : undefined;
    if (!sale) {
      throw new PingtreeError('VALIDATION_FAILED', 'which sale?', [
        {
          field: 'channelId',
          message: channelId ? 'the lead was not sold to this channel' : 'the lead sold to several channels: name one',
        },
      ]);
    }
    const inserted = (await this.ds.query(
      `INSERT INTO lead_returns (lead_id, channel_id, reason, amount) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lead_id, channel_id) DO NOTHING RETURNING returned_at`,
      [leadId, sale.channel_id, reason, sale.price],
    )) as unknown[];
    if (inserted.length === 0) throw new PingtreeError('CONFLICT', 'this sale was already returned');
    this.events.emit({
      id: leadEventId(leadId, 'returned', sale.channel_id),
      leadId,
      type: 'returned',
      service: 'gateway',
      at: Date.now(),
      tierIndex: null,
      channelId: sale.channel_id,
      data: { reason, amount: sale.price },
    });
    return { leadId, channelId: sale.channel_id, amount: sale.price, reason };
  }
}
