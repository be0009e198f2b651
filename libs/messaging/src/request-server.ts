import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { HEADERS, PingtreeError, withNamespace } from '@pingtree/contracts';
import { deadlineMisses, handlerDuration, spansRecorded } from '@pingtree/telemetry';
import { errorReply } from './error-headers';
import { HANDLE_REQUEST, type HandlerMetadata } from './handle-request.decorator';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from './messaging.options';
import { RequestContext } from './request-context';
import { extractTraceContext } from './trace-headers';
import { fieldIssues } from './zod-issues';

type HandlerFn = (request: unknown, ctx: RequestContext) => Promise<unknown>;

// Looked up per use: a tracer taken at load time would miss a provider registered later (tests).
const tracer = () => trace.getTracer('pingtree-messaging');

/**
 * Finds every @HandleRequest method and serves it on its subject, in a queue group named after
 * this service so that replicas share the load.
 */
@Injectable()
export class RequestServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RequestServer.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[name];
        if (typeof method !== 'function') continue;
        const meta = Reflect.getMetadata(HANDLE_REQUEST, method) as HandlerMetadata | undefined;
        if (meta) this.serve(meta, (method as HandlerFn).bind(instance));
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Drain lets in-flight handlers answer before we stop taking new requests.
    await Promise.all(this.subscriptions.map((s) => s.drain().catch(() => undefined)));
  }

  private serve(meta: HandlerMetadata, handler: HandlerFn): void {
    const subject = withNamespace(this.options.namespace, meta.endpoint.subject);
    const sub = this.nc.subscribe(subject, {
      queue: this.options.service,
      callback: (err, msg) => {
        if (err) {
          this.logger.error(`subscription ${subject} failed: ${err.message}`);
          return;
        }
        void this.handle(meta, handler, msg);
      },
    });
    this.subscriptions.push(sub);
    this.logger.log(`serving ${subject} in queue group ${this.options.service}`);
  }

  private async handle(meta: HandlerMetadata, handler: HandlerFn, msg: Msg): Promise<void> {
    const deadlineAt = Number(msg.headers?.get(HEADERS.deadline) || NaN);
    const leadId = msg.headers?.get(HEADERS.leadId) || null;
    const parent = extractTraceContext(msg.headers);
    // Without recorded spans the handler runs in the caller's context: its trace id still flows on.
    const span = spansRecorded() ? this.startSpan(meta, parent, leadId) : null;
    const started = performance.now();
    let code = 'OK';
    try {
      if (!Number.isFinite(deadlineAt)) {
        throw new PingtreeError('INVALID_REQUEST', `missing ${HEADERS.deadline} header`);
      }
      if (deadlineAt - Date.now() < meta.minBudgetMs) {
        throw new PingtreeError('DEADLINE_EXCEEDED', `less than ${meta.minBudgetMs} ms left for ${meta.endpoint.subject}`);
      }
      const parsed = meta.endpoint.request.safeParse(msg.json());
      if (!parsed.success) {
        throw new PingtreeError('INVALID_REQUEST', `invalid ${meta.endpoint.subject} request`, fieldIssues(parsed.error));
      }
      const callerTraceId = trace.getSpanContext(parent)?.traceId ?? null;
      const handlerTrace = span ? trace.setSpan(parent, span) : parent;
      const ctx = new RequestContext(meta.endpoint.subject, deadlineAt, leadId, callerTraceId, handlerTrace);
      const reply = await context.with(handlerTrace, () => handler(parsed.data, ctx));
      msg.respond(JSON.stringify(reply));
    } catch (error) {
      const typed = toPingtreeError(error);
      code = typed.code;
      if (typed.code === 'DEADLINE_EXCEEDED') deadlineMisses.inc({ subject: meta.endpoint.subject, side: 'handler' });
      if (typed.code === 'INTERNAL') this.logger.error(`${meta.endpoint.subject}: ${typed.message}`);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: typed.code });
      const { headers, body } = errorReply(typed);
      msg.respond(body, { headers });
    } finally {
      handlerDuration.observe({ subject: meta.endpoint.subject, code }, (performance.now() - started) / 1000);
      span?.end();
    }
  }

  private startSpan(meta: HandlerMetadata, parent: Context, leadId: string | null): Span {
    const span = tracer().startSpan(`handle ${meta.endpoint.subject}`, { kind: SpanKind.SERVER }, parent);
    span.setAttribute('pingtree.service', this.options.service);
    if (leadId) span.setAttribute('pingtree.lead_id', leadId);
    return span;
  }
}

function toPingtreeError(error: unknown): PingtreeError {
  if (error instanceof PingtreeError) return error;
  if (error instanceof SyntaxError) return new PingtreeError('INVALID_REQUEST', 'request body is not JSON');
  return new PingtreeError('INTERNAL', error instanceof Error ? error.message : String(error));
}
