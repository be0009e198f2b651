import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimAnswer } from './styles';

/** Larger bodies are refused; a lead is a few kilobytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body over ${MAX_BODY_BYTES} bytes`);
  }
}

/** Calls back once with the body as text, or with BodyTooLargeError past MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage, done: (err: Error | null, body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (err: Error | null, body: string): void => {
    if (settled) return;
    settled = true;
    done(err, body);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      // Stop keeping chunks but let the rest drain, so the 413 can still be written.
      req.removeAllListeners('data');
      req.resume();
      settle(new BodyTooLargeError(), '');
      return;
    }
    chunks.push(chunk);
  });
  // A lead arrives in one chunk: no concat for it.
  req.on('end', () => settle(null, chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
  req.on('error', (err) => settle(err, ''));
}

export function sendAnswer(res: ServerResponse, answer: SimAnswer): void {
  // The client may have aborted while the answer waited for its latency.
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(answer.status, {
    'content-type': answer.contentType,
    'content-length': Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendAnswer(res, { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) });
}

export function sendEmpty(res: ServerResponse, status: number): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status);
  res.end();
}
