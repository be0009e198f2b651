import { Inject, Injectable, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { defineEndpoint, HEADERS, PingtreeError, withNamespace } from '@pingtree/contracts';
import { startTelemetry } from '@pingtree/telemetry';
import { testNatsUrl, uniqueNamespace } from '@pingtree/testing';
import { z } from 'zod';
import { connectNats, HandleRequest, MessagingModule, NatsRequestClient, RequestContext } from '../src';

// Test-only endpoints; real ones live in libs/contracts.
const echoV1 = defineEndpoint({
  subject: 'lead.v1.test.echo',
  service: 'filter',
  request: z.strictObject({ text: z.string(), sleepMs: z.number().default(0), fail: z.boolean().default(false) }),
  reply: z.strictObject({
    text: z.string(),
    replica: z.string(),
    deadlineAt: z.number(),
    leadId: z.string().nullable(),
    traceId: z.string().nullable(),
  }),
});
const greedyV1 = defineEndpoint({
  subject: 'lead.v1.test.greedy',
  service: 'filter',
  request: z.object({}),
  reply: z.object({}),
});
/** Calls echo from inside its handler: the caller's trace must reach echo. */
const relayV1 = defineEndpoint({
  subject: 'lead.v1.test.relay',
  service: 'filter',
  request: z.object({}),
  reply: z.object({ echoTraceId: z.string().nullable() }),
});
const nobodyV1 = defineEndpoint({ subject: 'lead.v1.test.nobody', service: 'ping', request: z.object({}), reply: z.object({}) });

const REPLICA = Symbol('REPLICA');

@Injectable()
class EchoHandler {
  constructor(
    @Inject(REPLICA) private readonly replica: string,
    private readonly moduleRef: ModuleRef,
  ) {}

  private client(): NatsRequestClient {
    return this.moduleRef.get(NatsRequestClient, { strict: false });
  }

  @HandleRequest(echoV1)
  async echo(req: z.infer<typeof echoV1.request>, ctx: RequestContext) {
    if (req.sleepMs) await new Promise((r) => setTimeout(r, req.sleepMs));
    if (req.fail) throw new PingtreeError('NOT_FOUND', 'no such thing');
    return { text: req.text, replica: this.replica, deadlineAt: ctx.deadlineAt, leadId: ctx.leadId, traceId: ctx.traceId };
  }

  @HandleRequest(relayV1)
  async relay(_req: unknown, ctx: RequestContext) {
    const client = this.client();
    const echoed = await client.request(
      echoV1,
      { text: 'relay', sleepMs: 0, fail: false },
      { deadlineAt: ctx.deadlineAt, trace: ctx.trace },
    );
    return { echoTraceId: echoed.traceId };
  }

  /** Needs more time than any caller below gives it. */
  @HandleRequest(greedyV1, { minBudgetMs: 1000 })
  greedy() {
    return Promise.resolve({});
  }
}

@Module({})
class TestServiceModule {
  static forRoot(namespace: string, replica: string): DynamicModule {
    return {
      module: TestServiceModule,
      imports: [MessagingModule.forRoot({ service: 'filter', natsUrl: testNatsUrl(), namespace })],
      providers: [{ provide: REPLICA, useValue: replica }, EchoHandler],
    };
  }
}

describe('libs/messaging over a real nats-server', () => {
  const namespace = uniqueNamespace('msg');
  let replicas: INestApplicationContext[];
  let client: NatsRequestClient;
  let raw: NatsConnection;

  beforeAll(async () => {
    startTelemetry('messaging-test');
    replicas = await Promise.all(
      ['a', 'b'].map((r) => NestFactory.createApplicationContext(TestServiceModule.forRoot(namespace, r), { logger: false })),
    );
    client = replicas[0]!.get(NatsRequestClient);
    raw = await connectNats(testNatsUrl(), 'messaging-test');
  });

  afterAll(async () => {
    await raw?.close();
    await Promise.all(replicas.map((r) => r.close()));
  });

  const soon = (ms = 2000) => Date.now() + ms;

  it('carries the deadline, lead id and trace context in headers and validates the reply', async () => {
    const deadlineAt = soon();
    const tracer = trace.getTracer('test');
    const { reply, traceId } = await tracer.startActiveSpan('caller', async (span) => {
      // Without recorded spans there is no active context: the caller passes its trace explicitly.
      const r = await client.request(
        echoV1,
        { text: 'hi', sleepMs: 0, fail: false },
        { deadlineAt, leadId: 'lead-1', trace: trace.setSpan(ROOT_CONTEXT, span) },
      );
      // Nothing exports spans in this test: they are not recorded, the trace id flows all the same.
      expect(span.isRecording()).toBe(false);
      span.end();
      return { reply: r, traceId: span.spanContext().traceId };
    });
    expect(reply.text).toBe('hi');
    expect(reply.deadlineAt).toBe(deadlineAt);
    expect(reply.leadId).toBe('lead-1');
    expect(reply.traceId).toBe(traceId);
  });

  it("carries the caller's trace on through a handler's own requests", async () => {
    const tracer = trace.getTracer('test');
    const { reply, traceId } = await tracer.startActiveSpan('caller', async (span) => {
      const r = await client.request(relayV1, {}, { deadlineAt: soon(), trace: trace.setSpan(ROOT_CONTEXT, span) });
      span.end();
      return { reply: r, traceId: span.spanContext().traceId };
    });
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(reply.echoTraceId).toBe(traceId);
  });

  it('shares requests between two replicas in the queue group', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      seen.add((await client.request(echoV1, { text: String(i), sleepMs: 0, fail: false }, { deadlineAt: soon() })).replica);
    }
    expect([...seen].sort()).toEqual(['a', 'b']);
  });

  it('times out with DEADLINE_EXCEEDED after the time left, not later', async () => {
    const started = Date.now();
    const error = await client
      .request(echoV1, { text: 'slow', sleepMs: 500, fail: false }, { deadlineAt: soon(100) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PingtreeError);
    expect((error as PingtreeError).code).toBe('DEADLINE_EXCEEDED');
    expect(Date.now() - started).toBeLessThan(450); // gave up at the deadline, didn't wait for the handler
  });

  it('refuses at once, with DEADLINE_EXCEEDED, work the handler cannot finish in time', async () => {
    const error = await client.request(greedyV1, {}, { deadlineAt: soon(300) }).catch((e: unknown) => e);
    expect((error as PingtreeError).code).toBe('DEADLINE_EXCEEDED');
    expect((error as PingtreeError).message).toMatch(/less than 1000 ms left/);
  });

  it('does not send a request whose deadline has already passed', async () => {
    const error = await client
      .request(echoV1, { text: 'late', sleepMs: 0, fail: false }, { deadlineAt: Date.now() - 1 })
      .catch((e: unknown) => e);
    expect((error as PingtreeError).code).toBe('DEADLINE_EXCEEDED');
  });

  it('returns typed errors in ADR-32 headers', async () => {
    const error = await client
      .request(echoV1, { text: 'x', sleepMs: 0, fail: true }, { deadlineAt: soon() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PingtreeError);
    expect((error as PingtreeError).code).toBe('NOT_FOUND');
    expect((error as PingtreeError).message).toBe('no such thing');

    const h = natsHeaders();
    h.set(HEADERS.deadline, String(soon()));
    const msg = await raw.request(withNamespace(namespace, echoV1.subject), JSON.stringify({ text: 'x', fail: true }), {
      timeout: 2000,
      headers: h,
    });
    expect(msg.headers?.get(HEADERS.errorStatus)).toBe('404');
    expect(msg.headers?.get(HEADERS.errorMessage)).toBe('no such thing');
    expect(msg.headers?.get(HEADERS.errorCode)).toBe('NOT_FOUND');
  });

  it('answers INVALID_REQUEST naming the field when the payload breaks the contract', async () => {
    const h = natsHeaders();
    h.set(HEADERS.deadline, String(soon()));
    const msg = await raw.request(withNamespace(namespace, echoV1.subject), JSON.stringify({ text: 42 }), {
      timeout: 2000,
      headers: h,
    });
    expect(msg.headers?.get(HEADERS.errorCode)).toBe('INVALID_REQUEST');
    expect((msg.json() as { fields: Array<{ field: string }> }).fields[0]!.field).toBe('text');
  });

  it('answers INVALID_REQUEST when the deadline header is missing', async () => {
    const msg = await raw.request(withNamespace(namespace, echoV1.subject), JSON.stringify({ text: 'x' }), { timeout: 2000 });
    expect(msg.headers?.get(HEADERS.errorCode)).toBe('INVALID_REQUEST');
  });

  it('reports NO_RESPONDERS when no service serves the subject', async () => {
    const error = await client.request(nobodyV1, {}, { deadlineAt: soon() }).catch((e: unknown) => e);
    expect((error as PingtreeError).code).toBe('NO_RESPONDERS');
  });
});
