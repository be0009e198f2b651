import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { headers, NoRespondersError, RequestError, TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../src';
import { ReplyInbox, replyInboxOf } from '../src/reply-inbox';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A nats-server of our own (core NATS only) on a fixed port, so it can be stopped and started again. */
class PrivateNats {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const bin = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'].find((f) => fs.existsSync(f));
    const child = spawn(bin ?? 'nats-server', ['-a', '127.0.0.1', '-p', String(this.port)], { stdio: 'ignore' });
    process.once('exit', () => child.kill('SIGKILL')); // never outlives the test run
    this.child = child;
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      const nc = await connectNats(this.url, 'probe').catch(() => null);
      if (nc) return nc.close();
      await sleep(50);
    }
    throw new Error('nats-server did not start');
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Request-reply on one shared reply subscription, against a private nats-server we can restart. */
describe('reply inbox over a private nats-server', () => {
  let nats: PrivateNats;
  let responder: NatsConnection;
  let caller: NatsConnection;
  let inbox: ReplyInbox;

  beforeAll(async () => {
    nats = new PrivateNats(await freePort());
    await nats.start();
    responder = await connectNats(nats.url, 'inbox-responder');
    caller = await connectNats(nats.url, 'inbox-caller');
    responder.subscribe('silent', { callback: () => undefined });
    // echo.<ms> answers after <ms> with the request's text.
    responder.subscribe('echo.*', {
      callback: (_err, msg) => {
        const ms = Number(msg.subject.split('.')[1]);
        setTimeout(() => msg.respond(`echo:${msg.string()}`), ms);
      },
    });
    await responder.flush();
    inbox = replyInboxOf(caller);
  }, 60_000);

  afterAll(async () => {
    await caller?.close();
    await responder?.close();
    await nats?.stop();
  });

  it('is one inbox per connection', () => {
    expect(replyInboxOf(caller)).toBe(inbox);
    expect(replyInboxOf(responder)).not.toBe(inbox);
  });

  it('routes each of many concurrent replies to its own request and leaves nothing waiting', async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `t${i}`);
    const replies = await Promise.all(texts.map((t, i) => inbox.request(`echo.${i % 7}`, t, undefined, 2000)));
    expect(replies.map((m) => m.string())).toEqual(texts.map((t) => `echo:${t}`));
    expect(inbox.waiting).toBe(0);
  });

  it('carries headers to the responder and back', async () => {
    const seen: string[] = [];
    const sub = responder.subscribe('headers.echo', {
      callback: (_err, msg) => {
        seen.push(msg.headers?.get('x-lead-id') ?? '');
        msg.respond('ok');
      },
    });
    await responder.flush();
    const h = headers();
    h.set('x-lead-id', 'lead-7');
    expect((await inbox.request('headers.echo', '', h, 2000)).string()).toBe('ok');
    expect(seen).toEqual(['lead-7']);
    sub.unsubscribe();
  });

  it('rejects with NoRespondersError when nobody subscribes', async () => {
    const error = await inbox.request('nobody.home', 'x', undefined, 2000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoRespondersError);
    expect(inbox.waiting).toBe(0);
  });

  it('times out at the timeout and ignores the late reply', async () => {
    const started = Date.now();
    const error = await inbox.request('echo.300', 'late', undefined, 80).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(250);
    expect(inbox.waiting).toBe(0);
    await sleep(300); // the late reply arrives and is dropped
    expect((await inbox.request('echo.0', 'next', undefined, 2000)).string()).toBe('echo:next');
  });

  it('keeps working after nats-server restarts (the reply subscription is re-sent on reconnect)', async () => {
    await nats.stop();
    // A request while the server is down waits in the client's buffer and times out at its deadline.
    const during = await inbox.request('echo.0', 'down', undefined, 300).catch((e: unknown) => e);
    expect(during).toBeInstanceOf(TimeoutError);
    await nats.start();
    const until = Date.now() + 20_000;
    let answer = '';
    while (!answer && Date.now() < until) {
      answer = await inbox.request('echo.0', 'back', undefined, 500).then(
        (m) => m.string(),
        () => '',
      );
      if (!answer) await sleep(200);
    }
    expect(answer).toBe('echo:back');
    expect(inbox.waiting).toBe(0);
  }, 60_000);

  it('fails requests still waiting when the connection closes, and refuses new ones', async () => {
    const nc = await connectNats(nats.url, 'inbox-closing');
    const own = replyInboxOf(nc);
    const waiting = own.request('silent', 'x', undefined, 5000).catch((e: unknown) => e);
    await nc.flush();
    await nc.close();
    expect(await waiting).toBeInstanceOf(RequestError);
    expect(own.waiting).toBe(0);
    await expect(own.request('echo.0', 'x', undefined, 1000)).rejects.toThrow();
  });
});
