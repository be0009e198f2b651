import { context, propagation, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { spansRecorded, startTelemetry, stopTelemetry } from './start-telemetry';

/** A W3C traceparent through a plain carrier, as it travels in NATS headers. */
function handOver(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

describe('startTelemetry', () => {
  const saved = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  beforeEach(() => delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  afterEach(async () => {
    await stopTelemetry();
    if (saved !== undefined) process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = saved;
  });

  it('records no spans when nothing exports, but keeps trace ids and propagates them', () => {
    startTelemetry('telemetry-test');
    expect(spansRecorded()).toBe(false);
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('lead', (lead) => {
      expect(lead.isRecording()).toBe(false);
      const traceId = lead.spanContext().traceId;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toMatch(/^0+$/);
      // No context manager tracks an active context (no promise pays for it): the trace is passed on explicitly.
      expect(handOver()['traceparent']).toBeUndefined();
      const carrier = handOver(trace.setSpan(ROOT_CONTEXT, lead));
      expect(carrier['traceparent']).toContain(`-${traceId}-`);
      // The next service: its spans are non-recording too, under the same trace id.
      const remote = propagation.extract(ROOT_CONTEXT, carrier);
      const handler = tracer.startSpan('handle', {}, remote);
      expect(handler.isRecording()).toBe(false);
      expect(handler.spanContext().traceId).toBe(traceId);
      handler.end();
      lead.end();
    });
  });

  it('records every span when a test adds a processor', async () => {
    const exporter = new InMemorySpanExporter();
    const processor = new SimpleSpanProcessor(exporter);
    startTelemetry('telemetry-test', [processor]);
    expect(spansRecorded()).toBe(true);
    const span = trace.getTracer('test').startSpan('lead');
    expect(span.isRecording()).toBe(true);
    span.end();
    await processor.forceFlush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['lead']);
  });

  it('records spans when an OTLP endpoint is set', () => {
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'http://127.0.0.1:1';
    startTelemetry('telemetry-test');
    expect(spansRecorded()).toBe(true);
    // Not ended: an ended span would be exported to that (absent) collector at shutdown.
    expect(trace.getTracer('test').startSpan('lead').isRecording()).toBe(true);
  });
});
