import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';

export const ADMIN_API_KEY = Symbol('ADMIN_API_KEY');

@Injectable()
export class AdminAuth {
  private readonly key: Buffer;

  constructor(@Inject(ADMIN_API_KEY) key: string) {
    this.key = Buffer.from(key, 'utf8');
  }

  isAdmin(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const given = Buffer.from(candidate, 'utf8');
    return given.length === this.key.length && timingSafeEqual(given, this.key);
  }
}
