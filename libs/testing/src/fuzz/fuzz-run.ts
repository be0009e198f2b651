import fc from 'fast-check';
import { request } from 'undici';
import type { TestStack } from '../test-stack';
import { describeFailure, sendAll, type FuzzAnswer, type FuzzClient, type FuzzRequest } from './fuzz-http';

/** The seed: FUZZ_SEED from the environment to replay a failure, else the suite's fixed one (runs are deterministic). */
export function fuzzSeed(fixed: number): number {
  const fromEnv = Number(process.env['FUZZ_SEED']);
  return Number.isInteger(fromEnv) && process.env['FUZZ_SEED'] !== '' ? fromEnv : fixed;
}

/** Re-throws a property failure with the seed up front, so the failing run can be replayed. */
export async function withSeedReport(seed: number, run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`fuzz run failed with seed ${seed} (replay: FUZZ_SEED=${seed} npx jest <this file>)\n${message}`, {
      cause: error,
    });
  }
}

export interface HttpFuzzOptions {
  seed: number;
  /** Requests in all; sent in batches of `batch`, `concurrency` in flight. */
  total: number;
  batch?: number;
  concurrency?: number;
  check?: (req: FuzzRequest, answer: FuzzAnswer) => string | null;
}

/**
 * Sends `total` generated requests through a seeded fast-check property, a batch per run. A batch
 * with a bad answer fails the property with each failing request and answer written out.
 */
export async function fuzzHttp(client: FuzzClient, requests: fc.Arbitrary<FuzzRequest>, options: HttpFuzzOptions): Promise<void> {
  const batch = options.batch ?? 250;
  const concurrency = options.concurrency ?? 32;
  await checkProperty(
    fc.asyncProperty(fc.array(requests, { minLength: batch, maxLength: batch }), async (reqs) => {
      const failures = await sendAll(client, reqs, concurrency, options.check);
      if (failures.length > 0) {
        throw new Error(
          `${failures.length} bad answers in a batch of ${batch}:\n${failures.slice(0, 10).map(describeFailure).join('\n')}`,
        );
      }
    }),
    { seed: options.seed, numRuns: Math.ceil(options.total / batch) },
  );
}

/**
 * Runs a property against a live stack without shrinking (the stack's state moves on, so a smaller
 * input needn't fail again) and fails with the seed, the run's path and the property's own message:
 * the whole generated batch is too long to print and says less.
 */
export async function checkProperty<T>(
  property: fc.IAsyncProperty<T>,
  options: { seed: number; numRuns: number },
): Promise<void> {
  const run = await fc.check(property, { ...options, endOnFailure: true });
  if (run.failed) {
    const cause = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
    throw new Error(
      `fuzz run failed with seed ${run.seed}, path "${run.counterexamplePath}" (replay: FUZZ_SEED=${run.seed})\n${cause}`,
    );
  }
}

/** Every service of the stack answers its readiness check with 200: nothing died under the fuzzing. */
export async function unreadyServices(stack: TestStack): Promise<string[]> {
  const down: string[] = [];
  for (const [name, running] of stack.services) {
    for (const service of running) {
      const status = await request(`${service.url}/health/ready`)
        .then(async (res) => {
          await res.body.dump();
          return res.statusCode;
        })
        .catch((error: Error) => error.message);
      if (status !== 200) down.push(`${name}: ${status}`);
    }
  }
  return down;
}
