import { Injectable, type PipeTransform } from '@nestjs/common';
import { PingtreeError } from '@pingtree/contracts';
import { z } from 'zod';

/** Any 8-4-4-4-12 hex id, as PostgreSQL's uuid type accepts it. */
const idSchema = z.guid();

/** A path id that is not a UUID is the caller's mistake: 400 INVALID_REQUEST, before any lookup. */
export function parseId(id: unknown): string {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new PingtreeError('INVALID_REQUEST', 'id must be a UUID');
  return parsed.data.toLowerCase();
}

/** `@Param('id', IdPipe)`. */
@Injectable()
export class IdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parseId(value);
  }
}

/** 404 NOT_FOUND for a missing record. */
export function found<T>(value: T | null, what: string, id: string): T {
  if (value === null) throw new PingtreeError('NOT_FOUND', `${what} ${id} not found`);
  return value;
}
