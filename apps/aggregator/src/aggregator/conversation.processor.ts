// Applies input records and the passage of time to the conversations of one partition, and says
// what to write: the updates to request and the changed states (or tombstones) for the changelog.
// Mutates the store; the caller commits the output or, on failure, discards the partition's state
// and restores it from the changelog.
import {
  type AggregationPolicy,
  type ApplyOutcome,
  type ConversationState,
  type FlushDecision,
  applyRecord,
  conversationIdOf,
  decide,
  evictableAt,
  expiresAt,
  isExpired,
} from '@crm/aggregation';
import { type ContactUpdateRequested, type EntityStreamRecord } from '@crm/contracts';

import { type ConversationEntry, type ConversationStore } from './conversation.store';
import { type SuppressionReason } from './aggregator.metrics';

export interface UpdateOut {
  readonly conversationId: string;
  readonly update: ContactUpdateRequested;
  readonly headers: Readonly<Record<string, string>> | null;
}

export interface ProcessingResult {
  readonly updates: UpdateOut[];
  /** Latest state per changed conversation; null is a tombstone (expired). */
  readonly states: Map<string, ConversationState | null>;
  readonly suppressed: SuppressionReason[];
  /** Conversations evicted early to keep within the store's bound (their states are tombstones). */
  evicted: number;
}

export function emptyResult(): ProcessingResult {
  return { updates: [], states: new Map(), suppressed: [], evicted: 0 };
}

const APPLY_SUPPRESSION: Record<ApplyOutcome, SuppressionReason | null> = {
  CHANGED: null,
  AMBIGUOUS: 'AMBIGUOUS',
  UNCHANGED: 'REPEAT',
  DUPLICATE: 'DUPLICATE',
};

function dueAt(decision: FlushDecision, policy: AggregationPolicy): number | null {
  const expiry = expiresAt(decision.state, policy);
  if (decision.nextDeadline === null) return expiry;
  return expiry === null ? decision.nextDeadline : Math.min(decision.nextDeadline, expiry);
}

export class ConversationProcessor {
  constructor(
    private readonly store: ConversationStore,
    private readonly policy: AggregationPolicy,
  ) {}

  /** One input record, decided at once so an end or ANALYTICS_READY flushes exactly there. */
  apply(
    partition: number,
    record: EntityStreamRecord,
    headers: Readonly<Record<string, string>> | null,
    now: number,
    out: ProcessingResult,
  ): void {
    const conversationId = conversationIdOf(record);
    const entry = this.store.get(partition, conversationId);
    const { state, outcome } = applyRecord(entry?.state ?? null, record, now, this.policy);
    const reason = APPLY_SUPPRESSION[outcome];
    if (reason !== null) out.suppressed.push(reason);
    if (outcome === 'DUPLICATE') return;
    this.settle(partition, conversationId, state, headers ?? entry?.headers ?? null, now, out);
  }

  /** Flushes the due conversations of a partition and expires those past retention. */
  tick(partition: number, now: number, out: ProcessingResult): void {
    for (const conversationId of this.store.due(partition, now)) {
      const entry = this.store.get(partition, conversationId) as ConversationEntry;
      this.settle(partition, conversationId, entry.state, entry.headers, now, out);
    }
  }

  /**
   * Evicts up to `count` conversations of `partition` that are ended, flushed and past what they
   * could still wait for (oldest first), tombstoning them in this partition's unit of work.
   */
  evict(partition: number, now: number, count: number, out: ProcessingResult): void {
    for (const conversationId of this.store.evictable(partition, now, count)) {
      this.store.delete(partition, conversationId);
      out.states.set(conversationId, null);
      out.evicted += 1;
    }
  }

  private settle(
    partition: number,
    conversationId: string,
    state: ConversationState,
    headers: Readonly<Record<string, string>> | null,
    now: number,
    out: ProcessingResult,
  ): void {
    const decision = decide(state, now, this.policy);
    if (decision.suppressed !== null) out.suppressed.push(decision.suppressed);
    if (decision.update !== null) out.updates.push({ conversationId, update: decision.update, headers });
    if (isExpired(decision.state, now, this.policy)) {
      this.store.delete(partition, conversationId);
      out.states.set(conversationId, null);
      return;
    }
    this.store.set(partition, conversationId, {
      state: decision.state,
      dueAt: dueAt(decision, this.policy),
      headers,
      evictableAt: evictableAt(decision.state, this.policy),
    });
    out.states.set(conversationId, decision.state);
  }
}

/** A restored state's entry: its next deadline as decide would compute it, without flushing. */
export function restoredEntry(state: ConversationState, policy: AggregationPolicy): ConversationEntry {
  const decision = decide(state, Number.NEGATIVE_INFINITY, policy);
  return { state, dueAt: dueAt(decision, policy), headers: null, evictableAt: evictableAt(state, policy) };
}
