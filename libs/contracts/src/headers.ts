/** NATS header names used on every request. */
export const HEADERS = {
  /** Absolute deadline, epoch milliseconds. */
  deadline: 'Pingtree-Deadline',
  leadId: 'Pingtree-Lead-Id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  /** ADR-32 error headers. */
  errorStatus: 'Nats-Service-Error-Code',
  errorMessage: 'Nats-Service-Error',
  /** Our typed code, one of ERROR_CODES. */
  errorCode: 'Pingtree-Error-Code',
} as const;
