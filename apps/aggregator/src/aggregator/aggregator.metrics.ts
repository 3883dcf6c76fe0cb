// The aggregator's Prometheus metrics, recorded at the consumer edge (never per-conversation labels).
import { consumerMetrics, type ConsumerMetrics } from '@crm/kafka-core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type SuppressionReason = 'DUPLICATE' | 'REPEAT' | 'AMBIGUOUS' | 'EMPTY' | 'UNCHANGED';
export type TransactionOutcome = 'committed' | 'aborted';

export interface AggregatorMetrics {
  readonly openConversations: Gauge;
  readonly flushes: Counter<'trigger'>;
  readonly suppressed: Counter<'reason'>;
  readonly evicted: Counter;
  readonly restoreDuration: Histogram;
  readonly transactions: Counter<'outcome'>;
  /** Seconds a Kafka transaction (or at-least-once write) takes, begin to commit. */
  readonly transactionDuration: Histogram<'outcome'>;
  /** Seconds a batch, the tick or a restore waits for the state lock, by section. */
  readonly lockWait: Histogram<'section'>;
  /** Seconds a section holds the state lock, by section. */
  readonly lockHeld: Histogram<'section'>;
  readonly consumer: ConsumerMetrics;
}

/** Milliseconds matter here: a batch's wait is end-to-end latency (DESIGN.md §9). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export function aggregatorMetrics(registry: Registry): AggregatorMetrics {
  return {
    openConversations: new Gauge({
      name: 'aggregator_open_conversations',
      help: 'Conversations whose state this instance holds in memory',
      registers: [registry],
    }),
    flushes: new Counter({
      name: 'aggregator_flushes_total',
      help: 'ContactUpdateRequested records produced, by flush trigger',
      labelNames: ['trigger'],
      registers: [registry],
    }),
    suppressed: new Counter({
      name: 'aggregator_updates_suppressed_total',
      help: 'Records or due flushes that caused no update, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    evicted: new Counter({
      name: 'aggregator_states_evicted_total',
      help: 'Ended, flushed conversations let go before their retention to stay within AGGREGATOR_MAX_CONVERSATIONS',
      registers: [registry],
    }),
    restoreDuration: new Histogram({
      name: 'aggregator_state_restore_duration_seconds',
      help: 'Time to read the state changelog of the assigned partitions to its end',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    transactions: new Counter({
      name: 'aggregator_transactions_total',
      help: 'Kafka transactions (or at-least-once output batches), by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    transactionDuration: new Histogram({
      name: 'aggregator_transaction_duration_seconds',
      help: 'Time from beginning a Kafka transaction (or at-least-once write) to its commit or abort',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    lockWait: new Histogram({
      name: 'aggregator_lock_wait_seconds',
      help: 'Time a batch, the flush tick or a restore waits for the state lock, by section',
      labelNames: ['section'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    lockHeld: new Histogram({
      name: 'aggregator_lock_held_seconds',
      help: 'Time a batch, the flush tick or a restore holds the state lock, by section',
      labelNames: ['section'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    consumer: consumerMetrics(registry),
  };
}
