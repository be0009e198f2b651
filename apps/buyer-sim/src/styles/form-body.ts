import type { RequestBody } from './style';

// Keys that would reach Object.prototype when unflattened.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads an x-www-form-urlencoded body. Senders flatten nested objects with dot keys
 * (`fields.insured=true`); they are nested again here so tests can read `body.fields.insured`.
 * Values stay strings, as a form buyer would see them.
 */
export function parseFormBody(raw: string): RequestBody {
  const body: RequestBody = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const parts = key.split('.');
    if (parts.some((p) => UNSAFE_KEYS.has(p) || p === '')) continue;
    const leaf = parts.pop();
    if (leaf === undefined) continue;
    let node = body;
    for (const part of parts) {
      const next = node[part];
      if (typeof next === 'object' && next !== null) {
        node = next as RequestBody;
      } else {
        const child: RequestBody = {};
        node[part] = child;
        node = child;
      }
    }
    node[leaf] = value;
  }
  return body;
}
