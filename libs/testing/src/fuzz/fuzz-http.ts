import { Agent, request } from 'undici';
import type { FuzzBody } from './fuzz-bodies';

export type FuzzMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request as generated: path includes the query string. */
export interface FuzzRequest {
  method: FuzzMethod;
  path: string;
  headers: Record<string, string | undefined>;
  body?: FuzzBody | undefined;
}

export interface FuzzAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** A request that got an answer it should not have, with what came back (or what failed). */
export interface FuzzFailure {
  request: FuzzRequest;
  answer: FuzzAnswer | null;
  problem: string;
}

/** Requests over a keep-alive pool; the gateway closes some connections on errors, so pooling must cope. */
export class FuzzClient {
  private readonly agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 10_000 });
  sent = 0;
  /** Answers per status code, for the run's summary. */
  readonly statuses = new Map<number, number>();

  constructor(private readonly baseUrl: string) {}

  async send(req: FuzzRequest, timeoutMs = 20_000): Promise<FuzzAnswer> {
    this.sent++;
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const res = await request(`${this.baseUrl}${req.path}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : req.body,
      dispatcher: this.agent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const contentType = res.headers['content-type'];
    const type = Array.isArray(contentType) ? contentType.join(',') : (contentType ?? '');
    // An event stream never ends: its head is the answer.
    if (type.startsWith('text/event-stream')) res.body.destroy();
    const text = type.startsWith('text/event-stream') ? '' : await res.body.text();
    this.statuses.set(res.statusCode, (this.statuses.get(res.statusCode) ?? 0) + 1);
    return { status: res.statusCode, contentType: type, text };
  }

  /** `200×12 400×3001 …`, by status. */
  summary(): string {
    return [...this.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`)
      .join(' ');
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** What is wrong with an answer to any request, or null: never 5xx, and every 4xx is `{error:{code,message}}` JSON. */
export function answerProblem(answer: FuzzAnswer): string | null {
  if (answer.status >= 500) return `server error ${answer.status}`;
  if (answer.status < 400) return null;
  if (!answer.contentType.startsWith('application/json')) return `4xx with content-type "${answer.contentType}"`;
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return '4xx body is not JSON';
  }
  const error = body?.error;
  if (typeof error?.code !== 'string' || typeof error?.message !== 'string') return '4xx body is not {error:{code,message}}';
  return null;
}

/** Sends requests at most `concurrency` at a time; returns every request whose answer breaks `check`. */
export async function sendAll(
  client: FuzzClient,
  requests: readonly FuzzRequest[],
  concurrency: number,
  check: (req: FuzzRequest, answer: FuzzAnswer) => string | null = (_req, answer) => answerProblem(answer),
): Promise<FuzzFailure[]> {
  const failures: FuzzFailure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const req = requests[next++]!;
      try {
        const answer = await client.send(req);
        const problem = check(req, answer);
        if (problem) failures.push({ request: req, answer, problem });
      } catch (error) {
        failures.push({ request: req, answer: null, problem: `no answer: ${(error as Error).message}` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return failures;
}

/** A failure as a short, readable line: enough to replay the request by hand. */
export function describeFailure(f: FuzzFailure): string {
  const body =
    f.request.body === undefined
      ? ''
      : Buffer.isBuffer(f.request.body)
        ? `0x${f.request.body.subarray(0, 200).toString('hex')}`
        : f.request.body.slice(0, 300);
  const answer = f.answer ? `${f.answer.status} ${f.answer.text.slice(0, 300)}` : '(none)';
  return `${f.problem}\n  ${f.request.method} ${f.request.path.slice(0, 300)}\n  headers ${JSON.stringify(f.request.headers).slice(0, 300)}\n  body ${JSON.stringify(body)}\n  answer ${answer}`;
}
