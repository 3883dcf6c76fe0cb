// The knobs of the aggregation rules and flush policy. Plain values, so the app builds one from its
// validated environment (see aggregation-policy.schema.ts) and tests build one with aPolicy().
import { type MediaType } from '@crm/contracts';

export interface AggregationPolicy {
  /** Participant attribute holding the CRM record id (Genesys Architect sets it, e.g. SF_ContactId). */
  readonly contactIdAttribute: string;
  /** CRM object the update targets; the writer maps entity types to its fields. */
  readonly crmObject: string;
  /** Media types flushed in real time (debounce / max wait); every other type waits for the end. */
  readonly digitalMediaTypes: readonly MediaType[];
  /** Digital: quiet time after the last input before flushing, so a burst of messages is one update. */
  readonly debounceMs: number;
  /** Digital: longest an unflushed change waits while the customer keeps typing. */
  readonly maxWaitMs: number;
  /** Voice: how long after CONVERSATION_ENDED to wait for ANALYTICS_READY before flushing anyway. */
  readonly endGraceMs: number;
  /** Voice: safety net when neither end nor analytics ever arrive, so a value is never lost. */
  readonly voiceMaxWaitMs: number;
  /** Conflicting values from one speaker this close together (occurredAt) are held as ambiguous. */
  readonly ambiguityWindowMs: number;
  /** Mentions kept per entity type for the ambiguity rule. */
  readonly maxCandidatesPerType: number;
  /** Event and entity ids remembered per conversation for dedupe. */
  readonly dedupeCapacity: number;
  /** State of an ended conversation is kept this long for late redeliveries, then dropped. */
  readonly endedRetentionMs: number;
  /** State of a conversation that never ended is dropped after this long without activity. */
  readonly idleRetentionMs: number;
}

export const DEFAULT_AGGREGATION_POLICY: AggregationPolicy = {
  contactIdAttribute: 'SF_ContactId',
  crmObject: 'Contact',
  digitalMediaTypes: ['CHAT', 'MESSAGE', 'EMAIL'],
  debounceMs: 1_000,
  maxWaitMs: 5_000,
  // Covers the analytics poller's 10 s, 20 s, 40 s ... schedule for a typical post-call delay.
  endGraceMs: 300_000,
  voiceMaxWaitMs: 4 * 3_600_000,
  ambiguityWindowMs: 5_000,
  maxCandidatesPerType: 4,
  dedupeCapacity: 64,
  endedRetentionMs: 3_600_000,
  idleRetentionMs: 24 * 3_600_000,
};
