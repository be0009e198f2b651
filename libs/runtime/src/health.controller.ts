import { Controller, Get } from '@nestjs/common';

/** Liveness and readiness for orchestrators; the app only listens once NATS and the database are up. */
@Controller('health')
export class HealthController {
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  ready(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
