// Poller metrics, attached at the scheduler edge; labels never carry conversation ids.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface PollerMetrics {
  attempts: Counter<'outcome'>;
  pending: Gauge;
}

const cache = new WeakMap<Registry, PollerMetrics>();

export function pollerMetrics(registry: Registry): PollerMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const metrics: PollerMetrics = {
    attempts: new Counter({
      name: 'genesys_poller_attempts_total',
      help: 'Analytics poll attempts by outcome (ready, not_ready, http_429, http_5xx, unavailable, gave_up, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'genesys_poller_pending',
      help: 'Pending analytics polls held by this instance',
      registers: [registry],
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
