import { Controller, Get, HttpException, Inject, Optional } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION } from '@pingtree/messaging';
import { DataSource } from 'typeorm';

/** Liveness (the process answers) and readiness (NATS and, where used, PostgreSQL answer). */
@Controller('health')
export class HealthController {
  constructor(
    @Optional() @Inject(NATS_CONNECTION) private readonly nc?: NatsConnection,
    @Optional() private readonly ds?: DataSource,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; nats: string; database: string }> {
    const nats = !this.nc ? 'unused' : this.nc.isClosed() ? 'closed' : 'connected';
    let database = 'unused';
    if (this.ds)
      database = await this.ds.query('SELECT 1').then(
        () => 'connected',
        () => 'unreachable',
      );
    if (nats === 'closed' || database === 'unreachable') {
      throw new HttpException({ status: 'unavailable', nats, database }, 503);
    }
    return { status: 'ok', nats, database };
  }
}
