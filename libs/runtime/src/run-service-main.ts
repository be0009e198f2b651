import type { DynamicModule } from '@nestjs/common';
import { loadEnv, type Env } from './env';
import { startService } from './start-service';

/** A service's main(): validated env, then the app; a failure at boot exits with the reason. */
export function runServiceMain(name: string, module: (env: Env) => DynamicModule): void {
  const env = loadEnv();
  startService(name, module(env), env).then(
    (service) =>
      process.stdout.write(`${JSON.stringify({ level: 'log', context: name, message: `listening on ${service.url}` })}\n`),
    (error: unknown) => {
      process.stderr.write(
        `${name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
