import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAnswer } from '@pingtree/buyer-protocol';
import type { ResponseRules } from '@pingtree/contracts';
import { Agent, request } from 'undici';

/** One post as the buyer saw it: what it answered, and whether that answer was a purchase. */
export interface RecordedPost {
  buyer: string;
  leadId: string | null;
  status: number;
  answer: string;
  /** The buyer bought the lead (accepted, or pending a callback): the buyer's truth, whatever the platform recorded. */
  bought: boolean;
  /** When the post reached the buyer (epoch ms). */
  receivedAt: number;
  /** The platform hung up before the answer came back (its post service died): the answer was lost. */
  answerLost: boolean;
  at: number;
}

const POST_PATH = /^\/buyers\/([^/?]+)\/post(?:\?|$)/;
const LEAD_ID = /leadId(?:"\s*:\s*"|=|>)([0-9a-f-]{36})/;

/**
 * A loopback pass-through in front of buyer-sim that keeps every post with the buyer's answer.
 * It finishes each call to the buyer even when the platform hangs up, as a real buyer would:
 * that is how a post whose answer was lost still shows what the buyer did.
 */
export class BuyerRecorder {
  readonly posts: RecordedPost[] = [];
  private inFlightPosts = 0;
  private server: Server | null = null;
  private readonly agent = new Agent({ connections: 256, keepAliveTimeout: 10_000 });

  constructor(
    private readonly simUrl: string,
    private readonly rulesOf: (buyer: string) => ResponseRules | undefined,
  ) {}

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      void this.forward(req, () => res.destroyed).then(
        ({ status, contentType, body }) => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
          res.end(body);
        },
        (error: unknown) => {
          if (res.destroyed) return;
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`recorder could not reach buyer-sim: ${String(error)}`);
        },
      );
    });
    server.keepAliveTimeout = 10_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Posts sent to buyers whose answers have not come back yet. */
  get postsInFlight(): number {
    return this.inFlightPosts;
  }

  private async forward(
    req: IncomingMessage,
    callerGone: () => boolean,
  ): Promise<{ status: number; contentType: string; body: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const receivedAt = Date.now();
    const post = POST_PATH.exec(req.url ?? '');
    if (post) this.inFlightPosts++;
    try {
      const res = await request(`${this.simUrl}${req.url ?? '/'}`, {
        method: (req.method ?? 'GET') as 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' },
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : rawBody,
        dispatcher: this.agent,
      });
      const body = await res.body.text();
      const contentType = String(res.headers['content-type'] ?? 'text/plain');
      if (post) {
        const buyer = decodeURIComponent(post[1]!);
        const rules = this.rulesOf(buyer);
        const verdict = rules ? readAnswer(rules, res.statusCode, body).verdict : 'unknown';
        this.posts.push({
          buyer,
          leadId: leadIdInBody(rawBody),
          status: res.statusCode,
          answer: body.slice(0, 200),
          bought: verdict === 'accepted' || verdict === 'pending',
          receivedAt,
          answerLost: callerGone(),
          at: Date.now(),
        });
      }
      return { status: res.statusCode, contentType, body };
    } finally {
      if (post) this.inFlightPosts--;
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await this.agent.close();
  }
}

/** The lead id in a post body, whatever its format (JSON, form or XML). */
export function leadIdInBody(rawBody: string): string | null {
  let text = rawBody;
  try {
    text = decodeURIComponent(rawBody);
  } catch {
    // Not URL-encoded: read it as it is.
  }
  return LEAD_ID.exec(text)?.[1] ?? null;
}
