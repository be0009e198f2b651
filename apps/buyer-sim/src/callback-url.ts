import type { RequestBody } from './styles';

export type CallbackUrl = { ok: true; url: string } | { ok: false; reason: string };

/** The sim only ever calls back to this machine: it is a test kit, not a client of the internet. */
const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** Reads the callback URL from the post body at a dot path (`callback_url`, `meta.callback`). */
export function readCallbackUrl(body: RequestBody, field: string): CallbackUrl {
  const value = readField(body, field);
  if (typeof value !== 'string' || value === '') return { ok: false, reason: `missing ${field}` };
  if (!isLoopbackHttpUrl(value)) return { ok: false, reason: `${field} must be a loopback http URL` };
  return { ok: true, url: value };
}

export function isLoopbackHttpUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}

function readField(body: RequestBody, path: string): unknown {
  let node: unknown = body;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
