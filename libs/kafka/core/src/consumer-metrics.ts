// Consumer instrumentation shared by every consuming service: lag per topic, partition and group
// (from each batch's high watermark), batch sizes and rebalances. Attached from kafkajs
// instrumentation events and the batch wrapper, never from use cases.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ConsumerMetrics {
  lag: Gauge<'topic' | 'partition' | 'group'>;
  consumed: Counter<'topic' | 'group'>;
  rebalances: Counter<'group'>;
}

const cache = new WeakMap<Registry, ConsumerMetrics>();

export function consumerMetrics(registry: Registry): ConsumerMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const metrics: ConsumerMetrics = {
    lag: new Gauge({
      name: 'kafka_consumer_lag',
      help: 'Records between the committed position and the high watermark, per topic, partition and group',
      labelNames: ['topic', 'partition', 'group'],
      registers: [registry],
    }),
    consumed: new Counter({
      name: 'kafka_consumer_records_total',
      help: 'Records handed to the service',
      labelNames: ['topic', 'group'],
      registers: [registry],
    }),
    rebalances: new Counter({
      name: 'kafka_consumer_rebalances_total',
      help: 'Group joins of this member',
      labelNames: ['group'],
      registers: [registry],
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
