import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { context, propagation, trace } from '@opentelemetry/api';

let sdk: NodeSDK | null = null;

/** Keeps a tracer provider registered when nothing exports, so trace ids still exist and propagate. */
const keepTraceIds: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * Starts the OpenTelemetry SDK before Nest loads, so every span (HTTP, NATS, buyer call) carries
 * the lead's trace. Spans are exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set;
 * without it, trace ids still flow through NATS headers and are stored with each lead.
 */
export function startTelemetry(serviceName: string, extraProcessors: SpanProcessor[] = []): void {
  if (sdk) return;
  const endpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const processors: SpanProcessor[] = [keepTraceIds, ...extraProcessors];
  if (endpoint) {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` })));
  }
  // A fresh module instance (each Jest test file) takes over the process-wide OpenTelemetry globals.
  trace.disable();
  context.disable();
  propagation.disable();
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': `pingtree-${serviceName}` }),
    spanProcessors: processors,
    instrumentations: [],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = null;
}
