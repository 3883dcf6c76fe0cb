// The ingest edge's metrics (README "Metrics"). Labels are bounded enums: never a conversation id.
// Label children are looked up once and cached: prom-client hashes the label object on every inc().
import { Inject, Injectable } from '@nestjs/common';
import { type ConversationEvent } from '@crm/contracts';
import { LATENCY_BUCKETS_SECONDS } from '@crm/observability';
import { METRICS_REGISTRY } from '@crm/observability/nest';
import { Counter, Histogram, type Registry } from 'prom-client';

export type EventOutcome = 'accepted' | 'failed' | 'unauthorised' | 'unrecognised' | 'ignored';

@Injectable()
export class IngestMetrics {
  readonly events: Counter<'source' | 'kind' | 'outcome'>;
  readonly requestDuration: Histogram;
  readonly produceDuration: Histogram<'outcome'>;
  readonly produceBatchRecords: Histogram;
  readonly heartbeatsDropped: Counter;
  readonly responses: Counter<'status'>;
  private readonly eventChildren = new Map<string, Counter.Internal>();
  private readonly responseChildren = new Map<number, Counter.Internal>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.events = new Counter({
      name: 'ingest_events_total',
      help: 'Conversation events by source, kind and outcome (unrecognised bodies count under source and kind NONE).',
      labelNames: ['source', 'kind', 'outcome'],
      registers: [registry],
    });
    this.requestDuration = new Histogram({
      name: 'ingest_request_duration_seconds',
      help: 'POST /v1/genesys/events from request to response, including the Kafka ack.',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.produceDuration = new Histogram({
      name: 'ingest_produce_duration_seconds',
      help: 'One shared producer send (a batch of requests), from send to broker ack.',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.produceBatchRecords = new Histogram({
      name: 'ingest_produce_batch_records',
      help: 'Records per shared producer send.',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
      registers: [registry],
    });
    this.heartbeatsDropped = new Counter({
      name: 'ingest_heartbeats_dropped_total',
      help: 'channel.metadata heartbeats dropped.',
      registers: [registry],
    });
    this.responses = new Counter({
      name: 'ingest_http_responses_total',
      help: 'Responses of the events endpoint by status code.',
      labelNames: ['status'],
      registers: [registry],
    });
  }

  countEvents(events: readonly ConversationEvent[], outcome: EventOutcome): void {
    for (const event of events) this.eventCounter(event.source, event.kind, outcome).inc();
  }

  countRefused(outcome: EventOutcome, count = 1): void {
    this.eventCounter('NONE', 'NONE', outcome).inc(count);
  }

  countResponse(status: number): void {
    let child = this.responseChildren.get(status);
    if (child === undefined) {
      child = this.responses.labels({ status: String(status) });
      this.responseChildren.set(status, child);
    }
    child.inc();
  }

  private eventCounter(source: string, kind: string, outcome: EventOutcome): Counter.Internal {
    const key = `${source}|${kind}|${outcome}`;
    let child = this.eventChildren.get(key);
    if (child === undefined) {
      child = this.events.labels({ source, kind, outcome });
      this.eventChildren.set(key, child);
    }
    return child;
  }
}
