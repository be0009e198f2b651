import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { ERROR_CODES, PingtreeError, type ErrorBody, type ErrorCode } from '@pingtree/contracts';
import type { FastifyReply } from 'fastify';

/** Fastify's own parser errors, mapped to what a partner can act on. */
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'INVALID_REQUEST', message: 'content-type must be application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'INVALID_REQUEST', message: 'body is larger than the limit' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_REQUEST', message: 'body is empty' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'INVALID_REQUEST', message: 'content-length does not match the body' },
};

function statusCode(error: unknown): number | undefined {
  const value = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof value === 'number' ? value : undefined;
}

/** Every error leaves the gateway as `{ error: { code, message, fields? } }`; a partner's mistake is never a 5xx. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.toBody(error);
    if (status >= 500) this.logger.error(`${body.error.code}: ${error instanceof Error ? error.message : String(error)}`);
    // Overload and outages are temporary: tell the partner when to try again.
    if ((status === 429 || status === 503) && !reply.hasHeader('retry-after')) void reply.header('retry-after', '1');
    void reply.status(status).send(body);
  }

  private toBody(error: unknown): { status: number; body: ErrorBody } {
    if (error instanceof PingtreeError) {
      const status = error.status === 504 || error.status === 503 ? 503 : error.status;
      // An internal failure's own words (SQL, stack details) stay in our logs.
      if (status >= 500 && error.code === 'INTERNAL')
        return { status, body: { error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } } };
      return {
        status,
        body: { error: { code: error.code, message: error.message, ...(error.fields.length > 0 && { fields: error.fields }) } },
      };
    }
    const fastifyCode = (error as { code?: unknown } | null)?.code;
    if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) {
      const known = FASTIFY_CODES[fastifyCode];
      return {
        status: fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : ERROR_CODES[known.code].status,
        body: { error: { code: known.code, message: known.message } },
      };
    }
    if (error instanceof SyntaxError || (statusCode(error) === 400 && error instanceof Error)) {
      return {
        status: 400,
        body: { error: { code: 'INVALID_REQUEST', message: `body is not valid JSON: ${(error as Error).message}` } },
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const code: ErrorCode = status === 404 ? 'NOT_FOUND' : status < 500 ? 'INVALID_REQUEST' : 'INTERNAL';
      return { status, body: { error: { code, message: error.message } } };
    }
    const status = statusCode(error);
    if (status !== undefined && status >= 400 && status < 500) {
      return {
        status,
        body: { error: { code: 'INVALID_REQUEST', message: error instanceof Error ? error.message : 'bad request' } },
      };
    }
    if (isDatabaseUnavailable(error)) {
      return {
        status: 503,
        body: { error: { code: 'NO_RESPONDERS', message: 'storage is briefly unavailable; retry shortly' } },
      };
    }
    return { status: 500, body: { error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } } };
  }
}

const INTERNAL_MESSAGE = 'unexpected error; the lead id, if any, is in the logs';

/** PostgreSQL down or restarting: a temporary outage (503 + Retry-After), not the partner's fault nor a bug. */
function isDatabaseUnavailable(error: unknown): boolean {
  const text = `${(error as { code?: unknown } | null)?.code ?? ''} ${error instanceof Error ? error.message : ''}`;
  return /ECONNREFUSED|ECONNRESET|57P01|57P03|53300|Connection terminated|connection timeout|the database system is (starting up|shutting down)|too many clients/i.test(
    text,
  );
}
