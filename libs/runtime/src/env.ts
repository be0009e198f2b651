import { encryptionKeysProblem } from '@pingtree/crypto';
import { z } from 'zod';

/** Every environment variable a service reads, validated once at boot. */
export const envSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/pingtree'),
  /** Prefix for every subject and stream, so several stacks (or test runs) can share one NATS. */
  PINGTREE_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .default(''),
  /** HTTP port: the public API for the gateway, health and metrics for the others. 0 picks a free port. */
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  HTTP_HOST: z.string().default('127.0.0.1'),
  /** Caps each service's PostgreSQL pool (each has its own default); tests set it low to share one server. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
  /** The gateway's base URL as buyers reach it, for async-post callback URLs (e.g. https://leads.example.com). */
  PINGTREE_PUBLIC_URL: z.url().optional(),
  /** Admin API credential for the gateway. */
  ADMIN_API_KEY: z.string().min(16, 'use at least 16 characters').default('dev-admin-key-change-me'),
  /** Gateway back-pressure: leads in flight per replica before new ones get 429 + Retry-After. */
  GATEWAY_MAX_LEADS_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(400),
  /**
   * Gateway back-pressure: when this replica's event loop ran this late (ms) in the last second or
   * two, new leads get 429 + Retry-After: queued work would eat their deadline anyway.
   */
  GATEWAY_MAX_EVENT_LOOP_LAG_MS: z.coerce.number().int().min(10).max(60_000).default(300),
  /**
   * Gateway back-pressure: when every lead of the last second spent longer than this (ms) in the
   * platform itself (buyers' time excluded), a queue stands downstream: new leads get 429.
   */
  GATEWAY_MAX_QUEUE_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  /**
   * Ping, auction and post gather their lead events this long (ms) and publish them as one message;
   * a crashed replica loses at most that window's events from the trail (ADR 0009). 0 publishes at once.
   */
  LEAD_EVENTS_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(20),
  /**
   * Keys for contact data and buyer secrets at rest: `keyId:base64-of-32-bytes`, comma-separated.
   * The first encrypts; all decrypt (rotation). Required: `npm start` and the tests set a dev key.
   */
  PINGTREE_ENCRYPTION_KEYS: z
    .string({ error: 'required: keyId:base64-of-32-bytes (e.g. k1:$(openssl rand -base64 32)), comma-separated' })
    .superRefine((text, ctx) => {
      const problem = encryptionKeysProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** Lets channel URLs point at loopback and private networks (buyer-sim on 127.0.0.1); off in production. */
  PINGTREE_ALLOW_PRIVATE_BUYER_URLS: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Parses process.env; a bad value stops the process with a message naming the variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    process.stderr.write(`Invalid environment:\n${lines.join('\n')}\n`);
    process.exit(78);
  }
  return parsed.data;
}
