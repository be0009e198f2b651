import type { ErrorBody } from '@pingtree/contracts';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fastify answers some requests before any route or Nest filter runs: a path with broken
 * percent-encoding (`/v1/leads/%ff`), a path segment over its length limit, and (below) requests
 * Node's HTTP parser refuses. Those answers get the same `{ error: { code, message } }` shape as
 * every other, not Fastify's own.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const status =
    typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message = tooLong
    ? 'a path segment is too long'
    : error.code === 'FST_ERR_BAD_URL'
      ? 'the URL path is not valid percent-encoding'
      : 'the request could not be routed';
  const body: ErrorBody = { error: { code: 'INVALID_REQUEST', message } };
  void reply.code(tooLong ? 414 : status).send(body);
}

/**
 * Node's HTTP parser refused the request (headers and URL over 16 KB, a malformed request line):
 * answered on the raw socket, as Fastify's default does, then closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the headers and URL are larger than 16 KB']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request took too long to arrive']
        : [400, 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: { code: 'INVALID_REQUEST', message } } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
