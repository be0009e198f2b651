import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AlwaysOffSampler, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { context, propagation, trace } from '@opentelemetry/api';
import { PassThroughContextManager } from './pass-through-context-manager';

let sdk: NodeSDK | null = null;
let recording = false;

/** NodeSDK registers a tracer provider only when it has a processor; this one keeps it registered. */
const keepTraceIds: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * Starts the OpenTelemetry SDK before Nest loads, so every span (HTTP, NATS, buyer call) carries
 * the lead's trace. Spans are recorded and exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set (or a test passes processors). Without them every span is a non-recording one: it still
 * has the lead's trace id, which flows through NATS headers (traceparent) and is stored with each
 * lead, but costs no span object, attributes or processing.
 */
export function startTelemetry(serviceName: string, extraProcessors: SpanProcessor[] = []): void {
  if (sdk) return;
  const endpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const processors: SpanProcessor[] = [keepTraceIds, ...extraProcessors];
  if (endpoint) {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` })));
  }
  recording = processors.length > 1;
  // A fresh module instance (each Jest test file) takes over the process-wide OpenTelemetry globals.
  trace.disable();
  context.disable();
  propagation.disable();
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': `pingtree-${serviceName}` }),
    spanProcessors: processors,
    // Exporting: the OTEL_TRACES_SAMPLER default (parent-based, always on). Not exporting: record nothing.
    // Not exporting: record nothing, and keep no active context either. A context manager tracks
    // every promise (AsyncLocalStorage), a tax on every service's hot path; callers pass the lead's
    // trace explicitly instead (CallOptions.trace, RequestContext.trace).
    ...(!recording && { sampler: new AlwaysOffSampler(), contextManager: new PassThroughContextManager() }),
    instrumentations: [],
  });
  sdk.start();
}

/**
 * Whether this process records spans (something exports them). Hot paths skip creating spans and
 * setting attributes when it is false; the active context still carries the trace id.
 */
export function spansRecorded(): boolean {
  return recording;
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = null;
  recording = false;
}
