import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { request } from 'undici';
import { DEMO_SUPPLIER_KEY, seedDemo } from '../../../tools/demo/seed-demo';
import { DEMO_BUYERS, startBuyerSim, type BuyerSim } from '../../../apps/buyer-sim/src';
import { demoLead, getLead, postLead, startTestStack, type TestStack } from '@pingtree/testing';
import { startTelemetry, stopTelemetry } from '../src';

describe('one trace per lead across the services, and /metrics on each', () => {
  const exporter = new InMemorySpanExporter();
  let stack: TestStack;
  let sim: BuyerSim;

  beforeAll(async () => {
    startTelemetry('trace-test', [new SimpleSpanProcessor(exporter)]);
    sim = await startBuyerSim({ seed: 21, buyers: DEMO_BUYERS.map((b) => ({ ...b, pingRejectRate: 0, postRejectRate: 0 })) });
    stack = await startTestStack();
    await seedDemo(stack.ds, sim.url);
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
    await stopTelemetry();
  });

  it('links the gateway, filter, ping, auction and post spans under the trace id stored with the lead', async () => {
    const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
    expect(body.state).toBe('sold');
    const traceId = (await getLead(stack, body.leadId)).body.lead.traceId as string;
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const services = new Set(spans.map((s) => s.attributes['pingtree.service']).filter(Boolean));
    expect([...services].sort()).toEqual(expect.arrayContaining(['auction', 'filter', 'gateway', 'ping', 'post']));
    const buyerCalls = spans.filter((s) => s.name.startsWith('ping ') && s.attributes['pingtree.channel_id']);
    expect(buyerCalls.length).toBeGreaterThanOrEqual(3);
    for (const call of buyerCalls) expect(call.attributes['pingtree.outcome']).toBe('bid');
    // Every handler span hangs from the lead's root span.
    expect(spans.some((s) => s.name === 'lead')).toBe(true);
  });

  it('serves Prometheus metrics with lead outcomes and per-channel ping latency on every service', async () => {
    for (const [service, running] of stack.services) {
      const res = await request(`${running[0]!.url}/metrics`);
      expect(res.statusCode).toBe(200);
      const text = await res.body.text();
      expect(text).toContain('pingtree_process_cpu_seconds_total');
      if (service === 'gateway') expect(text).toMatch(/pingtree_leads_total\{state="sold"/);
      if (service === 'ping') expect(text).toMatch(/pingtree_ping_duration_seconds_count\{channel="[0-9a-f-]+",outcome="bid"\}/);
      const ready = await request(`${running[0]!.url}/health/ready`);
      expect(ready.statusCode).toBe(200);
    }
  });
});
