/** What a handler knows about the request it serves. */
export class RequestContext {
  constructor(
    readonly subject: string,
    /** Absolute deadline, epoch ms. */
    readonly deadlineAt: number,
    readonly leadId: string | null,
    /** The caller's trace, carried in the W3C traceparent header; null when it sent none. */
    readonly traceId: string | null,
  ) {}

  remainingMs(): number {
    return this.deadlineAt - Date.now();
  }
}
