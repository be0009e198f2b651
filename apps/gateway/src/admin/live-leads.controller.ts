import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminGuard } from './admin.guard';
import { LiveLeads } from './live-leads.service';

/** A comment line now and then keeps proxies and browsers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /v1/admin/live`: Server-Sent Events, one `lead` event per decision as it finishes.
 * Admin-only like the rest (the console reads it with fetch, which can send x-admin-key).
 */
@Controller('v1/admin/live')
@UseGuards(AdminGuard)
export class LiveLeadsController {
  constructor(private readonly live: LiveLeads) {}

  @Get()
  stream(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n: watching finished leads\n\n`);
    const heartbeat = setInterval(() => res.write(`: heartbeat\n\n`), HEARTBEAT_MS);
    heartbeat.unref();
    let stop = () => {};
    const end = () => {
      clearInterval(heartbeat);
      stop();
      if (!res.writableEnded) res.end();
    };
    stop = this.live.watch((lead) => res.write(`event: lead\nid: ${lead.leadId}\ndata: ${JSON.stringify(lead)}\n\n`), end);
    request.raw.on('close', end);
  }
}
