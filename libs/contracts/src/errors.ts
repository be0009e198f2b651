/**
 * Typed error codes that cross service boundaries. Each has the numeric status sent in the
 * `Nats-Service-Error-Code` header (nats.js services convention, ADR-32) and the HTTP status
 * the gateway answers with when the error reaches a partner.
 */
export const ERROR_CODES = {
  INVALID_REQUEST: { status: 400 },
  UNAUTHORIZED: { status: 401 },
  FORBIDDEN: { status: 403 },
  NOT_FOUND: { status: 404 },
  CONFLICT: { status: 409 },
  OFFER_EXPIRED: { status: 410 },
  VALIDATION_FAILED: { status: 422 },
  OVERLOADED: { status: 429 },
  /** A supplier over its `rateLimitPerSecond`. */
  RATE_LIMITED: { status: 429 },
  INTERNAL: { status: 500 },
  NO_RESPONDERS: { status: 503 },
  DEADLINE_EXCEEDED: { status: 504 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** The one error type services throw on purpose; anything else is reported as INTERNAL. */
export class PingtreeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'PingtreeError';
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}
