import { PingtreeError, type FieldIssue } from '@pingtree/contracts';
import { fieldIssues } from '@pingtree/messaging';
import type { z } from 'zod';

/**
 * Validates a request body with a contract schema: 400 INVALID_REQUEST when it isn't a JSON object,
 * 422 VALIDATION_FAILED with every bad field named (`tiers.0.channelIds`, `ping.url`) otherwise.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PingtreeError('INVALID_REQUEST', 'body must be a JSON object');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new PingtreeError('VALIDATION_FAILED', `${what} failed validation`, fieldIssues(parsed.error));
  const nul = nulFields(parsed.data);
  if (nul.length > 0) throw new PingtreeError('VALIDATION_FAILED', `${what} failed validation`, nul);
  return parsed.data;
}

/** PostgreSQL text and jsonb can't hold U+0000: refuse it here, with the field named, rather than fail on write. */
export function nulFields(value: unknown, path: string[] = []): FieldIssue[] {
  const issue = (at: string[]) => ({ field: at.join('.') || '(body)', message: 'must not contain NUL (\\u0000) characters' });
  if (typeof value === 'string') return value.includes('\u0000') ? [issue(path)] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulFields(v, [...path, String(i)]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(k.includes('\u0000') ? [issue([...path, k])] : []),
      ...nulFields(v, [...path, k]),
    ]);
  }
  return [];
}
