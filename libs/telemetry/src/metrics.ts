import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The platform's Prometheus metrics, defined once per process. Services record into them;
 * `/metrics` on every service serves this registry (plus Node's process metrics: CPU, memory, GC).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'pingtree_' });

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];

export const leadsTotal = new Counter({
  name: 'pingtree_leads_total',
  help: 'Leads by final state and reason',
  labelNames: ['state', 'reason'] as const,
  registers: [metricsRegistry],
});

export const leadDuration = new Histogram({
  name: 'pingtree_lead_duration_seconds',
  help: 'Time from intake to the decision sent to the partner',
  labelNames: ['state'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const pingDuration = new Histogram({
  name: 'pingtree_ping_duration_seconds',
  help: 'Buyer ping latency per channel and outcome; the _count series give ping accept rates',
  labelNames: ['channel', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const postDuration = new Histogram({
  name: 'pingtree_post_duration_seconds',
  help: 'Buyer post latency per channel and outcome; the _count series give post accept rates',
  labelNames: ['channel', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const deadlineMisses = new Counter({
  name: 'pingtree_deadline_exceeded_total',
  help: 'Requests refused or abandoned because the lead deadline passed',
  labelNames: ['subject', 'side'] as const,
  registers: [metricsRegistry],
});

export const handlerDuration = new Histogram({
  name: 'pingtree_handler_duration_seconds',
  help: 'NATS request handler time per subject and result code',
  labelNames: ['subject', 'code'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const circuitOpen = new Gauge({
  name: 'pingtree_circuit_open',
  help: '1 while a channel circuit breaker is open',
  labelNames: ['channel'] as const,
  registers: [metricsRegistry],
});

export const capUsage = new Gauge({
  name: 'pingtree_cap_usage_ratio',
  help: 'Share of a channel cap used in its current window',
  labelNames: ['channel', 'period', 'measure'] as const,
  registers: [metricsRegistry],
});
