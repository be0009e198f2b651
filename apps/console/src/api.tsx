import { loadSession } from './session';

export interface FieldIssue {
  field: string;
  message: string;
}

/** The gateway's `{ error: { code, message, fields } }`, kept whole so forms can put each field's message next to it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** Called when the key stops working (401), so the app can ask for it again. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function adminHeaders(adminKey?: string): Record<string, string> {
  const session = loadSession();
  const headers: Record<string, string> = { 'x-admin-key': adminKey ?? session?.adminKey ?? '' };
  if (session?.user) headers['x-admin-user'] = session.user;
  return headers;
}

/** An admin API call; JSON in and out, errors as ApiError. */
export async function api<T>(path: string, options: { method?: string; body?: unknown; adminKey?: string } = {}): Promise<T> {
  const res = await fetch(path, {
    method: options.method ?? 'GET',
    headers: { ...adminHeaders(options.adminKey), ...(options.body !== undefined && { 'content-type': 'application/json' }) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string; fields?: FieldIssue[] } } | null)?.error;
    if (res.status === 401 && !options.adminKey) onUnauthorized();
    throw new ApiError(res.status, error?.code ?? 'HTTP_' + res.status, error?.message ?? res.statusText, error?.fields ?? []);
  }
  return body as T;
}

/** Query string from the set values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
