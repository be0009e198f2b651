import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import fc from 'fast-check';
import type { Style } from '../../../../apps/buyer-sim/src/sim-buyer';
import { answerBody, answerStatus } from './buyer-answers';

/**
 * How the answer reaches the client. `length`, `chunked` and `close` are well framed; the rest lie
 * about the length, break a chunk, send no HTTP at all, or drop the connection.
 */
export type AnswerFraming = 'length' | 'chunked' | 'close' | 'wrong-length' | 'bad-chunk' | 'garbage-head';

/** When the answer comes: at once, late, never, half then nothing, a byte at a time, or a reset. */
export type AnswerTiming = 'now' | 'slow' | 'never' | 'partial-then-hang' | 'drip' | 'reset';

export interface HostileAnswer {
  status: number;
  contentType: string | null;
  body: Buffer;
  framing: AnswerFraming;
  timing: AnswerTiming;
  /** For `slow` and `drip`: the wait before answering, or between pieces. */
  delayMs: number;
}

/** The bytes of an answer written raw, so status lines, headers and framing can be anything. */
function rawAnswer(a: HostileAnswer): { head: Buffer; body: Buffer } {
  if (a.framing === 'garbage-head') return { head: Buffer.from('HTTP/9 banana\r\n\u0000\r\n\r\n'), body: a.body };
  const lines = [`HTTP/1.1 ${a.status} Fuzz`, 'Connection: close'];
  if (a.contentType !== null) lines.push(`Content-Type: ${a.contentType}`);
  let body = a.body;
  if (a.framing === 'length') lines.push(`Content-Length: ${a.body.length}`);
  if (a.framing === 'wrong-length') lines.push(`Content-Length: ${a.body.length + 17}`);
  if (a.framing === 'chunked' || a.framing === 'bad-chunk') {
    lines.push('Transfer-Encoding: chunked');
    const size = a.framing === 'chunked' ? a.body.length.toString(16) : 'zz';
    body = Buffer.concat([Buffer.from(`${size}\r\n`), a.body, Buffer.from(a.body.length > 0 ? '\r\n0\r\n\r\n' : '\r\n\r\n')]);
  }
  return { head: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Plays one answer on the socket, then closes it (except for `never` and `partial-then-hang`). */
async function play(socket: Socket, a: HostileAnswer): Promise<void> {
  if (a.timing === 'reset') return void socket.destroy();
  if (a.timing === 'never') return;
  const { head, body } = rawAnswer(a);
  if (a.timing === 'slow') await sleep(a.delayMs);
  if (socket.destroyed) return;
  if (a.timing === 'partial-then-hang') return void socket.write(Buffer.concat([head, body.subarray(0, body.length >> 1)]));
  if (a.timing === 'drip') {
    socket.write(head);
    for (let i = 0; i < body.length && i < 20 && !socket.destroyed; i++) {
      await sleep(a.delayMs);
      socket.write(body.subarray(i, i + 1));
    }
    if (!socket.destroyed) socket.end(body.subarray(20));
    return;
  }
  socket.end(Buffer.concat([head, body]));
}

export interface HostileBuyer {
  url: string;
  /** Requests answered (or deliberately not) from the script. */
  readonly answered: number;
  close(): Promise<void>;
}

/**
 * A loopback buyer that answers each request with whatever `script` returns for its path and body
 * (404 when it returns nothing). Sockets left hanging on purpose are destroyed on close.
 */
export async function startHostileBuyer(
  script: (path: string, body: string) => HostileAnswer | undefined,
): Promise<HostileBuyer> {
  const sockets = new Set<Socket>();
  let answered = 0;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = script(req.url ?? '/', Buffer.concat(chunks).toString('utf8'));
      if (!answer) return void res.writeHead(404).end();
      answered++;
      void play(req.socket, answer);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that gave up resets the socket: nothing to do about it here.
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get answered() {
      return answered;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Body bytes: the text as UTF-8 mostly, else UTF-16 with a BOM, Latin-1, or cut inside a multi-byte character. */
function encoded(text: string): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(Buffer.from(text)) },
    { weight: 1, arbitrary: fc.constant(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])) },
    { weight: 1, arbitrary: fc.constant(Buffer.from(text, 'latin1')) },
    { weight: 1, arbitrary: fc.constant(Buffer.concat([Buffer.from(text), Buffer.from([0xe2, 0x82])])) },
  );
}

/** Buyer answers aimed at a style's rules: status 100-599, any body, encoding, content type, framing and timing. */
export function hostileAnswer(style: Style): fc.Arbitrary<HostileAnswer> {
  const ownContentType = style === 'xml-form' ? 'application/xml' : style === 'text-pipe' ? 'text/plain' : 'application/json';
  return fc.record({
    status: answerStatus(),
    contentType: fc.oneof(
      { weight: 4, arbitrary: fc.constant(ownContentType) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          null,
          'text/html',
          'application/json; charset=utf-16',
          'application/octet-stream',
          '\u00ff/\u00ff',
        ),
      },
    ),
    body: answerBody(style).chain(encoded),
    framing: fc.oneof(
      { weight: 6, arbitrary: fc.constant<AnswerFraming>('length') },
      { weight: 2, arbitrary: fc.constantFrom<AnswerFraming>('chunked', 'close') },
      { weight: 1, arbitrary: fc.constantFrom<AnswerFraming>('wrong-length', 'bad-chunk', 'garbage-head') },
    ),
    timing: fc.oneof(
      { weight: 6, arbitrary: fc.constant<AnswerTiming>('now') },
      { weight: 1, arbitrary: fc.constantFrom<AnswerTiming>('slow', 'never', 'partial-then-hang', 'drip', 'reset') },
    ),
    delayMs: fc.integer({ min: 1, max: 400 }),
  });
}

/** One line per answer for a failure report: status, timing and framing, content type, the body's start. */
export function describeAnswer(a: HostileAnswer): string {
  const start = JSON.stringify(a.body.subarray(0, 120).toString('latin1'));
  return `${a.status} ${a.timing}/${a.framing} ${a.contentType ?? '(no type)'} ${a.body.length} B ${start}`;
}
