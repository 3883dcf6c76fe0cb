// What the use case reports per record, so the consumer edge can turn it into metrics without the
// use case knowing about prom-client.
import { type RejectionReason } from '@crm/contracts';

export interface ExtractionObserver {
  accepted(entityType: string): void;
  rejected(entityType: string, reason: RejectionReason): void;
  pciRedactions(count: number): void;
  deadLettered(reason: string): void;
  /** Decode, extraction and encode time of one record. */
  processed(seconds: number): void;
}

export const NO_OBSERVER: ExtractionObserver = {
  accepted: () => undefined,
  rejected: () => undefined,
  pciRedactions: () => undefined,
  deadLettered: () => undefined,
  processed: () => undefined,
};
