/** The admin API as the CLI uses it: JSON over HTTP with the admin key, errors with the API's message and fields. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
  }

  describe(): string {
    return [this.message, ...this.fields.map((f) => `  ${f.field}: ${f.message}`)].join('\n');
  }
}

export interface AdminClientOptions {
  /** PINGTREE_URL, e.g. http://127.0.0.1:3000 */
  url: string;
  /** PINGTREE_ADMIN_KEY */
  adminKey: string;
  /** Recorded as the author of the versions this client's changes create. */
  user: string;
}

export class AdminClient {
  constructor(private readonly options: AdminClientOptions) {}

  get url(): string {
    return this.options.url;
  }

  async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.options.url.replace(/\/+$/, '')}${path}`, {
        method,
        headers: {
          'x-admin-key': this.options.adminKey,
          'x-admin-user': this.options.user,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new AdminApiError(0, `cannot reach ${this.options.url}: ${(error as Error).message}`);
    }
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const e = (parsed as { error?: { message?: string; fields?: Array<{ field: string; message: string }> } } | null)?.error;
      throw new AdminApiError(res.status, `${method} ${path}: ${res.status} ${e?.message ?? res.statusText}`, e?.fields ?? []);
    }
    return parsed as T;
  }

  async list<T>(what: string): Promise<T[]> {
    return (await this.request<{ items: T[] }>('GET', `/v1/admin/${what}`)).items;
  }
}
