import type { IncomingHttpHeaders } from 'node:http';
import type { CallKind } from './sim-buyer';

/** One call a buyer received, as the buyer saw it. */
export interface RecordedRequest {
  buyer: string;
  kind: CallKind;
  method: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body as the buyer's style reads it; null when it could not be read. */
  body: unknown;
  /** ISO 8601. */
  receivedAt: string;
}

export interface RequestFilter {
  buyer?: string;
  kind?: CallKind;
}

export const REQUEST_LOG_CAPACITY = 10_000;

/** Keeps the newest `capacity` calls in a ring, so recording costs the same at any volume. */
export class RequestLog {
  private readonly ring: RecordedRequest[] = [];
  private next = 0;

  constructor(private readonly capacity = REQUEST_LOG_CAPACITY) {}

  add(request: RecordedRequest): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(request);
    } else {
      this.ring[this.next] = request;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  list(filter: RequestFilter = {}): RecordedRequest[] {
    const ordered = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.filter(
      (r) => (filter.buyer === undefined || r.buyer === filter.buyer) && (filter.kind === undefined || r.kind === filter.kind),
    );
  }

  clear(): void {
    this.ring.length = 0;
    this.next = 0;
  }
}
