import { z } from 'zod';
import { DEMO_BUYERS } from './demo-buyers';
import { startBuyerSim } from './sim-server';

const envSchema = z.object({
  BUYER_SIM_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  BUYER_SIM_HOST: z.string().min(1).default('127.0.0.1'),
  BUYER_SIM_SEED: z.coerce.number().int().optional(),
  /** Benchmarks set false: recording costs memory and time at thousands of calls per second. */
  BUYER_SIM_RECORD: z.enum(['true', 'false']).default('true'),
});

function log(level: 'info' | 'error', msg: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), service: 'buyer-sim', msg, ...extra })}\n`);
}

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    process.stderr.write(`Invalid environment:\n${lines.join('\n')}\n`);
    process.exit(78);
  }
  const env = parsed.data;
  const sim = await startBuyerSim({
    port: env.BUYER_SIM_PORT,
    host: env.BUYER_SIM_HOST,
    buyers: [...DEMO_BUYERS],
    recordRequests: env.BUYER_SIM_RECORD === 'true',
    ...(env.BUYER_SIM_SEED !== undefined && { seed: env.BUYER_SIM_SEED }),
  });
  log('info', 'buyer-sim listening', { url: sim.url, buyers: DEMO_BUYERS.map((b) => `${b.key} (${b.style})`) });

  const stop = (signal: NodeJS.Signals): void => {
    sim.close().then(
      () => log('info', 'buyer-sim stopped', { signal }),
      (err: unknown) => {
        log('error', 'buyer-sim close failed', { signal, error: String(err) });
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  log('error', 'buyer-sim failed to start', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
