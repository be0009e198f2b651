import { ConsoleLogger, Module, type DynamicModule, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Env } from './env';
import { clientErrorHandler, frameworkErrors } from './framework-errors';
import { MetricsController } from './metrics.controller';

const LEVELS: Record<Env['LOG_LEVEL'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

export interface RunningService {
  app: INestApplication;
  /** Base URL of the service's HTTP listener (API for the gateway, health for the others). */
  url: string;
  close(): Promise<void>;
}

/** Creates a service's Nest app on Fastify, with structured JSON logs, and starts listening. */
export async function startService(
  name: string,
  module: DynamicModule,
  env: Pick<Env, 'HTTP_PORT' | 'HTTP_HOST' | 'LOG_LEVEL'>,
  options: { bodyLimitBytes?: number } = {},
): Promise<RunningService> {
  const logger = new ConsoleLogger(name, { json: true, logLevels: LEVELS[env.LOG_LEVEL] });
  const app = await NestFactory.create<NestFastifyApplication>(
    withMetrics(module),
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 64 * 1024, frameworkErrors, clientErrorHandler }),
    // rawBody: buyer callbacks are verified against the exact bytes they signed.
    { logger, abortOnError: false, rawBody: true },
  );
  app.enableShutdownHooks();
  await app.listen(env.HTTP_PORT, env.HTTP_HOST);
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://${env.HTTP_HOST}:${address.port}`,
    close: () => app.close(),
  };
}

/** Every service serves /metrics without declaring it. */
function withMetrics(service: DynamicModule): DynamicModule {
  @Module({})
  class ServiceRoot {}
  return { module: ServiceRoot, imports: [service], controllers: [MetricsController] };
}
