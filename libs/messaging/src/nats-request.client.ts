import { Inject, Injectable } from '@nestjs/common';
import {
  headers as natsHeaders,
  NoRespondersError,
  RequestError,
  TimeoutError,
  type NatsConnection,
} from '@nats-io/transport-node';
import { context, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { HEADERS, PingtreeError, withNamespace, type Endpoint, type ReplyOf, type RequestOf } from '@pingtree/contracts';
import type { z } from 'zod';
import { deadlineMisses, spansRecorded } from '@pingtree/telemetry';
import { errorFromReply } from './error-headers';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from './messaging.options';
import { replyInboxOf, type ReplyInbox } from './reply-inbox';
import { injectTraceContext } from './trace-headers';
import { fieldIssues } from './zod-issues';

export interface CallOptions {
  /** Absolute deadline (epoch ms); the request's timeout is the time left until it. */
  deadlineAt: number;
  leadId?: string;
  /**
   * The trace this call belongs to (e.g. the lead's). Without one, the active context: when no
   * spans are recorded there is no context manager, so hot paths pass their trace explicitly.
   */
  trace?: Context;
}

// Looked up per use: a tracer taken at load time would miss a provider registered later (tests).
const tracer = () => trace.getTracer('pingtree-messaging');

/** Native NATS request-reply with a deadline, typed errors and validated replies. */
@Injectable()
export class NatsRequestClient {
  private readonly inbox: ReplyInbox;

  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    this.inbox = replyInboxOf(nc);
  }

  async request<E extends Endpoint<z.ZodType, z.ZodType>>(
    endpoint: E,
    payload: RequestOf<E>,
    call: CallOptions,
  ): Promise<ReplyOf<E>> {
    const timeout = call.deadlineAt - Date.now();
    if (timeout <= 0) {
      throw new PingtreeError('DEADLINE_EXCEEDED', `no time left to call ${endpoint.subject}`);
    }
    if (!spansRecorded()) return this.send(endpoint, payload, call, timeout);
    const parent = call.trace ?? context.active();
    return tracer().startActiveSpan(
      `request ${endpoint.subject}`,
      { kind: SpanKind.CLIENT, attributes: { 'pingtree.service': this.options.service } },
      parent,
      async (span) => {
        try {
          return await this.send(endpoint, payload, { ...call, trace: trace.setSpan(parent, span) }, timeout);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as PingtreeError).code });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  /** The request itself; the active trace context (the client span, or the caller's) goes in traceparent. */
  private async send<E extends Endpoint<z.ZodType, z.ZodType>>(
    endpoint: E,
    payload: RequestOf<E>,
    call: CallOptions,
    timeout: number,
  ): Promise<ReplyOf<E>> {
    try {
      const h = natsHeaders();
      h.set(HEADERS.deadline, String(call.deadlineAt));
      if (call.leadId) h.set(HEADERS.leadId, call.leadId);
      injectTraceContext(h, call.trace);
      const subject = withNamespace(this.options.namespace, endpoint.subject);
      const msg = await this.inbox.request(subject, JSON.stringify(payload), h, timeout);
      const body = msg.string();
      const remoteError = errorFromReply(msg.headers, body);
      if (remoteError) throw remoteError;
      const parsed = endpoint.reply.safeParse(JSON.parse(body));
      if (!parsed.success) {
        throw new PingtreeError('INTERNAL', `invalid reply from ${endpoint.subject}`, fieldIssues(parsed.error));
      }
      return parsed.data as ReplyOf<E>;
    } catch (error) {
      const typed = toTypedError(error, endpoint.subject, timeout);
      if (typed.code === 'DEADLINE_EXCEEDED') deadlineMisses.inc({ subject: endpoint.subject, side: 'caller' });
      throw typed;
    }
  }
}

function toTypedError(error: unknown, subject: string, timeout: number): PingtreeError {
  if (error instanceof PingtreeError) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  if (
    error instanceof NoRespondersError ||
    cause instanceof NoRespondersError ||
    (error instanceof RequestError && error.isNoResponders())
  ) {
    return new PingtreeError('NO_RESPONDERS', `no service answers ${subject}`);
  }
  if (error instanceof TimeoutError || cause instanceof TimeoutError) {
    return new PingtreeError('DEADLINE_EXCEEDED', `${subject} did not answer within ${timeout} ms`);
  }
  if (error instanceof SyntaxError) {
    return new PingtreeError('INTERNAL', `unreadable reply from ${subject}`);
  }
  return new PingtreeError('INTERNAL', `${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
}
