// One prom-client registry per process with the service label and Node's default metrics
// (RSS, event-loop lag, GC). Metric definitions live with the edge that records them; labels never
// carry per-conversation values (cardinality).
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Latency buckets in seconds, from 0.5 ms to 10 s: Kafka acks on one box are ~1 ms, CRM calls ~100 ms. */
export const LATENCY_BUCKETS_SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
