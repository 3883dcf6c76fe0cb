// Notifications subscriber metrics, recorded at the subscriber's edge.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface NotificationsMetrics {
  reconnects: Counter<'reason'>;
  heartbeats: Counter;
  leaseHeld: Gauge;
  backfilled: Counter;
}

const cache = new WeakMap<Registry, NotificationsMetrics>();

export function notificationsMetrics(registry: Registry): NotificationsMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const metrics: NotificationsMetrics = {
    reconnects: new Counter({
      name: 'genesys_notifications_reconnects_total',
      help: 'Notifications WebSocket reconnects by reason (socket_closing, closed, idle, channel_renewal, error)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    heartbeats: new Counter({
      name: 'genesys_notifications_heartbeats_total',
      help: 'channel.metadata heartbeats received and dropped',
      registers: [registry],
    }),
    leaseHeld: new Gauge({
      name: 'genesys_notifications_lease_held',
      help: '1 while this instance holds the Notifications WebSocket lease',
      registers: [registry],
    }),
    backfilled: new Counter({
      name: 'genesys_notifications_backfilled_total',
      help: 'Ended conversations recovered by the details query after a socket gap',
      registers: [registry],
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
