// The writer's Prometheus metrics (README "Metrics"), recorded at the edges: the CRM observer hooks
// of @crm/crm and the Kafka handlers. No per-conversation labels.
import { type BreakerState, type CrmObserver, type CrmProvider, type TokenRefreshOutcome } from '@crm/crm';
import { LATENCY_BUCKETS_SECONDS } from '@crm/observability';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export class WriterMetrics implements CrmObserver {
  private readonly requests: Counter<'provider' | 'operation' | 'status'>;
  private readonly rateLimitedTotal: Counter<'provider'>;
  private readonly duration: Histogram<'provider' | 'operation'>;
  private readonly breaker: Gauge<'provider'>;
  private readonly refreshes: Counter<'provider' | 'outcome'>;
  private readonly callsPerConversation: Histogram;
  private readonly endToEnd: Histogram;
  private readonly results: Counter<'outcome'>;
  private readonly deadLetters: Counter<'reason'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'crm_requests_total',
      help: 'CRM HTTP requests',
      labelNames: ['provider', 'operation', 'status'],
      registers,
    });
    this.rateLimitedTotal = new Counter({
      name: 'crm_rate_limited_total',
      help: '429 and REQUEST_LIMIT_EXCEEDED responses',
      labelNames: ['provider'],
      registers,
    });
    this.duration = new Histogram({
      name: 'crm_request_duration_seconds',
      help: 'CRM request duration',
      labelNames: ['provider', 'operation'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.breaker = new Gauge({
      name: 'crm_breaker_state',
      help: 'Circuit breaker: 0 closed, 1 half-open, 2 open',
      labelNames: ['provider'],
      registers,
    });
    this.refreshes = new Counter({
      name: 'crm_token_refreshes_total',
      help: 'OAuth token refreshes',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    // Internal latency, ingest's acknowledgement → this update request reaching the writer, from the
    // hop timestamps every service stamps (DESIGN.md §1).
    this.endToEnd = new Histogram({
      name: 'pipeline_end_to_end_latency_seconds',
      help: 'Time from ingest producing an event to the writer receiving the update it led to',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.callsPerConversation = new Histogram({
      name: 'crm_calls_per_conversation',
      help: 'CRM calls made for one contact update (lookup, read, write)',
      buckets: [0, 1, 2, 3, 4, 6, 10],
      registers,
    });
    this.results = new Counter({
      name: 'crm_update_results_total',
      help: 'Contact update results',
      labelNames: ['outcome'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'crm_dead_letters_total',
      help: 'Dead-lettered updates',
      labelNames: ['reason'],
      registers,
    });
  }

  request(provider: CrmProvider, operation: string, status: string, durationSeconds: number): void {
    this.requests.inc({ provider, operation, status });
    this.duration.observe({ provider, operation }, durationSeconds);
  }

  rateLimited(provider: CrmProvider): void {
    this.rateLimitedTotal.inc({ provider });
  }

  tokenRefresh(provider: CrmProvider, outcome: TokenRefreshOutcome): void {
    this.refreshes.inc({ provider, outcome });
  }

  breakerState(provider: CrmProvider, state: BreakerState): void {
    this.breaker.set({ provider }, BREAKER_VALUE[state]);
  }

  updateCompleted(outcome: string, crmCalls: number): void {
    this.results.inc({ outcome });
    this.callsPerConversation.observe(crmCalls);
  }

  updateReceived(ingestedAt: number | undefined, now: number = Date.now()): void {
    if (ingestedAt !== undefined && now >= ingestedAt) this.endToEnd.observe((now - ingestedAt) / 1000);
  }

  deadLettered(reason: string): void {
    this.deadLetters.inc({ reason });
  }
}
