import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics of one process (a registry per app instance, so tests do not share state). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'dueflow_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly eventHandling = new Histogram({
    name: 'dueflow_event_handling_seconds',
    help: 'Time a consumer took to handle an event',
    labelNames: ['consumer', 'topic', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly eventLatency = new Histogram({
    name: 'dueflow_event_latency_seconds',
    help: 'Time from an event being written to the outbox to its delivery',
    labelNames: ['topic'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  readonly outboxLag = new Gauge({
    name: 'dueflow_outbox_lag_seconds',
    help: 'Age of the oldest unpublished outbox event',
    registers: [this.registry],
  });
  readonly outboxPending = new Gauge({
    name: 'dueflow_outbox_pending',
    help: 'Unpublished outbox events',
    registers: [this.registry],
  });
  readonly outboxPublished = new Counter({
    name: 'dueflow_outbox_published_total',
    help: 'Outbox events published',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  readonly outboxFailures = new Counter({
    name: 'dueflow_outbox_publish_failures_total',
    help: 'Failed outbox publish attempts',
    registers: [this.registry],
  });
  readonly reminderLateness = new Histogram({
    name: 'dueflow_reminder_lateness_seconds',
    help: 'Delivery time minus the reminder time',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300],
    registers: [this.registry],
  });
  readonly websocketConnections = new Gauge({
    name: 'dueflow_websocket_connections',
    help: 'Open websocket connections',
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'dueflow_' });
  }
}
