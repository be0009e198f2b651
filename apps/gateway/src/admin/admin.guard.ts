import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HTTP_HEADERS, PingtreeError } from '@pingtree/contracts';
import type { FastifyRequest } from 'fastify';
import { AdminAuth } from '../http/admin-auth';

/** Lets a request through only with the admin key in `x-admin-key`; 401 UNAUTHORIZED otherwise. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly auth: AdminAuth) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers[HTTP_HEADERS.adminKey];
    if (header === undefined) throw new PingtreeError('UNAUTHORIZED', `missing ${HTTP_HEADERS.adminKey} header`);
    if (!this.auth.isAdmin(typeof header === 'string' ? header : undefined)) {
      throw new PingtreeError('UNAUTHORIZED', `wrong ${HTTP_HEADERS.adminKey}`);
    }
    return true;
  }
}
