import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a callback's timestamp may be from our clock: older ones could be replays. */
export const CALLBACK_CLOCK_SKEW_S = 300;

/** True when `signature` is the hex HMAC-SHA256 of `${timestamp}.${body}` with `secret`, and fresh. */
export function validCallbackSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
  nowMs = Date.now(),
): boolean {
  const ts = Number(timestamp);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - ts) > CALLBACK_CLOCK_SKEW_S) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(signature.trim().toLowerCase(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
