import { createHmac } from 'node:crypto';

/** Header names as sent; HTTP header names are case-insensitive (node lower-cases them). */
export const CALLBACK_TIMESTAMP_HEADER = 'X-Pingtree-Timestamp';
export const CALLBACK_SIGNATURE_HEADER = 'X-Pingtree-Signature';

/**
 * HMAC-SHA256, lower-case hex, over `${timestamp}.${body}`: the timestamp header's value (Unix
 * seconds), a dot, and the exact body bytes. Signing the timestamp lets the receiver refuse replays.
 */
export function signCallback(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}
