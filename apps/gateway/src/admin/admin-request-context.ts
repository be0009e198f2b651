import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** Who is changing configuration: operators name themselves with this header (the console sends it). */
export const ADMIN_USER_HEADER = 'x-admin-user';
export const DEFAULT_ADMIN_AUTHOR = 'admin';

const requests = new AsyncLocalStorage<{ author: string }>();

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

/** The author of the admin request being handled ('admin' outside a request or without the header). */
export function adminAuthor(): string {
  return requests.getStore()?.author ?? DEFAULT_ADMIN_AUTHOR;
}

/**
 * Makes the request's `x-admin-user` readable wherever the write happens (AdminConfig), without
 * threading it through every controller. A preHandler hook: it runs after the body is parsed, so
 * the handler is called inside the context.
 */
@Injectable()
export class AdminRequestContext implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preHandler', (request, _reply, done) => {
      if (!request.url.startsWith('/v1/admin/')) return done();
      requests.run({ author: authorFrom(request.headers[ADMIN_USER_HEADER]) }, done);
    });
  }
}
