import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is changing configuration: operators name themselves with this header (the console sends it). */
export const ADMIN_USER_HEADER = 'x-admin-user';
export const DEFAULT_ADMIN_AUTHOR = 'admin';

/** A printable name of at most 100 characters, or the default. */
export function authorFrom(header: unknown): string {
  if (typeof header !== 'string') return DEFAULT_ADMIN_AUTHOR;
  const name = [...header]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .trim()
    .slice(0, 100);
  return name || DEFAULT_ADMIN_AUTHOR;
}

/**
 * The author of an admin write, from the request's `x-admin-user`, as a handler parameter. Passed
 * on explicitly: an AsyncLocalStorage would make every promise in the gateway pay for tracking it
 * (measured ~10% of the gateway's CPU once the first admin request had enabled it).
 */
export const AdminAuthor = createParamDecorator((_data: unknown, ctx: ExecutionContext): string =>
  authorFrom(ctx.switchToHttp().getRequest<FastifyRequest>().headers[ADMIN_USER_HEADER]),
);
