import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process; /metrics also reports the outbox backlog from the database. */
export class DeliveryMetrics {
  readonly registry = new Registry();
  readonly sent = new Counter({ name: 'capuy_outbox_sent_total', help: 'Messages delivered', registers: [this.registry] });
  readonly failed = new Counter({
    name: 'capuy_outbox_failed_total',
    help: 'Messages given up on',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly retried = new Counter({
    name: 'capuy_outbox_retried_total',
    help: 'Send attempts to be retried',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly queued = new Counter({ name: 'capuy_outbox_queued_total', help: 'Messages queued by this process', registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'capuy_outbox_send_latency_seconds',
    help: 'Time from queueing to delivery',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'capuy_' });
  }
}
