import type { z } from 'zod';
import type { ServiceName } from '../subjects';

/** One request-reply endpoint: its subject, the service that serves it, and both payload schemas. */
export interface Endpoint<Req extends z.ZodType, Rep extends z.ZodType> {
  subject: string;
  service: ServiceName;
  request: Req;
  reply: Rep;
}

export type RequestOf<E> = E extends Endpoint<infer Req, z.ZodType> ? z.infer<Req> : never;
export type ReplyOf<E> = E extends Endpoint<z.ZodType, infer Rep> ? z.infer<Rep> : never;

export function defineEndpoint<Req extends z.ZodType, Rep extends z.ZodType>(endpoint: Endpoint<Req, Rep>): Endpoint<Req, Rep> {
  return endpoint;
}
