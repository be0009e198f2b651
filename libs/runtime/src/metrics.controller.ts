import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from '@pingtree/telemetry';

/** Prometheus scrape endpoint, on every service. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
