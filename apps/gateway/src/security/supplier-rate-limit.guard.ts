import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { HTTP_HEADERS, PingtreeError } from '@pingtree/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashApiKey } from '../intake/api-key';
import { TokenBuckets } from './token-buckets';

/**
 * A supplier's `rateLimitPerSecond` on lead submissions (POST /v1/leads), per gateway replica:
 * over it, 429 RATE_LIMITED with Retry-After. Unknown keys pass through to the 401 of intake.
 */
@Injectable()
export class SupplierRateLimitGuard implements CanActivate {
  private readonly buckets = new TokenBuckets();

  constructor(private readonly catalog: CatalogService) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    if (req.method !== 'POST' || req.routeOptions.url !== '/v1/leads') return true;
    const apiKey = req.headers[HTTP_HEADERS.apiKey];
    if (typeof apiKey !== 'string' || apiKey === '') return true;
    const supplier = this.catalog.current.supplierByKeyHash(hashApiKey(apiKey));
    const rate = supplier?.rateLimitPerSecond;
    if (!supplier || rate === undefined) return true;
    const waitMs = this.buckets.take(supplier.id, rate, Date.now());
    if (waitMs === 0) return true;
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    void http.getResponse<FastifyReply>().header('retry-after', String(retryAfter));
    throw new PingtreeError(
      'RATE_LIMITED',
      `more than ${rate} leads per second from this supplier (limit per gateway replica); retry after ${retryAfter} s`,
    );
  }
}
