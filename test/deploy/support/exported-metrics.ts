// The metric names the services export (issue 9's list, agreed with the service owners). The
// live-scrape check that replaces this list with the services' real /metrics output is added
// when the whole pipeline runs in tests.
const CONSUMER = ['kafka_consumer_lag', 'kafka_consumer_records_total', 'kafka_consumer_rebalances_total'];
const HISTOGRAMS = [
  'ingest_request_duration_seconds',
  'ingest_produce_duration_seconds',
  'extractor_processing_duration_seconds',
  'aggregator_state_restore_duration_seconds',
  'aggregator_transaction_duration_seconds',
  'aggregator_lock_wait_seconds',
  'aggregator_lock_held_seconds',
  'crm_request_duration_seconds',
  'crm_calls_per_conversation',
  'pipeline_end_to_end_latency_seconds',
];
const COUNTERS_AND_GAUGES = [
  'ingest_events_total',
  'ingest_heartbeats_dropped_total',
  'ingest_http_responses_total',
  'genesys_poller_attempts_total',
  'genesys_poller_pending',
  'genesys_notifications_reconnects_total',
  'extractor_entities_total',
  'extractor_rejections_total',
  'extractor_pci_redactions_total',
  'extractor_dead_letters_total',
  'aggregator_open_conversations',
  'aggregator_flushes_total',
  'aggregator_updates_suppressed_total',
  'aggregator_transactions_total',
  'crm_requests_total',
  'crm_rate_limited_total',
  'crm_breaker_state',
  'crm_token_refreshes_total',
  'crm_update_results_total',
  'crm_dead_letters_total',
];
/** prom-client's collectDefaultMetrics (a subset we query) and Prometheus' own target health. */
const DEFAULTS = [
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'up',
];

export const EXPORTED_METRICS: ReadonlySet<string> = new Set([
  ...CONSUMER,
  ...COUNTERS_AND_GAUGES,
  ...DEFAULTS,
  ...HISTOGRAMS.flatMap((name) => [`${name}_bucket`, `${name}_sum`, `${name}_count`]),
]);
