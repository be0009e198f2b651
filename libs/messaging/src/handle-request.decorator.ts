import type { Endpoint } from '@pingtree/contracts';
import type { z } from 'zod';

export const HANDLE_REQUEST = Symbol('HANDLE_REQUEST');

export interface HandlerMetadata {
  endpoint: Endpoint<z.ZodType, z.ZodType>;
  /** Refuse with DEADLINE_EXCEEDED when less than this is left: the work could not finish in time. */
  minBudgetMs: number;
}

/**
 * Marks a provider method as the handler of an endpoint. The method receives the validated
 * request and a RequestContext, and returns the reply (validated by the caller).
 */
export function HandleRequest(endpoint: Endpoint<z.ZodType, z.ZodType>, options: { minBudgetMs?: number } = {}): MethodDecorator {
  return (_target, _key, descriptor) => {
    const meta: HandlerMetadata = { endpoint, minBudgetMs: options.minBudgetMs ?? 1 };
    Reflect.defineMetadata(HANDLE_REQUEST, meta, descriptor.value as object);
    return descriptor;
  };
}
