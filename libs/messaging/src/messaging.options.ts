import type { ServiceName } from '@pingtree/contracts';

export interface MessagingOptions {
  /** The service this process is; its endpoints subscribe in a queue group of this name. */
  service: ServiceName;
  natsUrl: string;
  /** Prefix for every subject and stream; empty in production, unique per test run. */
  namespace: string;
  /**
   * How long lead events gather, across steps and leads, before they go out as one message (ADR 0009).
   * 0 or absent: each step publishes at once. Only for services whose events a crash may lose.
   */
  leadEventsBatchWindowMs?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
