import type { ServiceName } from '@pingtree/contracts';

export interface MessagingOptions {
  /** The service this process is; its endpoints subscribe in a queue group of this name. */
  service: ServiceName;
  natsUrl: string;
  /** Prefix for every subject and stream; empty in production, unique per test run. */
  namespace: string;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
