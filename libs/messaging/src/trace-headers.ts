import { context, propagation, ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';

const setter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const getter: TextMapGetter<MsgHdrs> = {
  keys: (carrier) => carrier.keys(),
  get: (carrier, key) => carrier.get(key) || undefined,
};

/** Writes a trace context (W3C traceparent) into NATS headers: the given one, or else the active one. */
export function injectTraceContext(h: MsgHdrs, trace: Context = context.active()): void {
  propagation.inject(trace, h, setter);
}

export function extractTraceContext(h: MsgHdrs | undefined): Context {
  return h ? propagation.extract(ROOT_CONTEXT, h, getter) : ROOT_CONTEXT;
}
