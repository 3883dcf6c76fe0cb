// The extractor's metrics, recorded at the consumer edge (use cases never see prom-client). Labels
// are bounded: entity types come from the definitions file, reasons from fixed enums.
import { LATENCY_BUCKETS_SECONDS } from '@crm/observability';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface ExtractorMetrics {
  entities: Counter<'entity_type' | 'outcome'>;
  rejections: Counter<'reason'>;
  pciRedactions: Counter;
  processingDuration: Histogram;
  deadLetters: Counter<'reason'>;
}

const cache = new WeakMap<Registry, ExtractorMetrics>();

export function extractorMetrics(registry: Registry): ExtractorMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const metrics: ExtractorMetrics = {
    entities: new Counter({
      name: 'extractor_entities_total',
      help: 'Entity candidates by type and outcome (accepted or rejected)',
      labelNames: ['entity_type', 'outcome'],
      registers,
    }),
    rejections: new Counter({
      name: 'extractor_rejections_total',
      help: 'Rejected candidates by reason (LOW_CONFIDENCE, INVALID_FORMAT, REDACTED_PCI, AMBIGUOUS)',
      labelNames: ['reason'],
      registers,
    }),
    pciRedactions: new Counter({
      name: 'extractor_pci_redactions_total',
      help: 'Card numbers found and redacted (never emitted, stored or logged)',
      registers,
    }),
    processingDuration: new Histogram({
      name: 'extractor_processing_duration_seconds',
      help: 'Decode and extraction time per consumed batch, divided by nothing: one observation per batch',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    deadLetters: new Counter({
      name: 'extractor_dead_letters_total',
      help: 'Input records sent to the dead-letter topic, by reason',
      labelNames: ['reason'],
      registers,
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
