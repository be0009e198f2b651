import type { Context } from '@opentelemetry/api';

/** What a handler knows about the request it serves. */
export class RequestContext {
  constructor(
    readonly subject: string,
    /** Absolute deadline, epoch ms. */
    readonly deadlineAt: number,
    readonly leadId: string | null,
    /** The caller's trace, carried in the W3C traceparent header; null when it sent none. */
    readonly traceId: string | null,
    /** The trace context to pass on (CallOptions.trace) when this handler makes requests itself. */
    readonly trace: Context,
  ) {}

  remainingMs(): number {
    return this.deadlineAt - Date.now();
  }
}
