// When a conversation's state may be dropped (and its changelog entry tombstoned). Conversation
// text is personal data, so ended conversations do not linger; a conversation whose end was never
// seen is dropped after a long idle period. An unflushed change is never dropped: every pending
// change has a flush deadline (flush.policy.ts), and expiry waits for it.
import { type AggregationPolicy } from './aggregation.policy';
import { type ConversationState } from './conversation.state';
import { isDigital } from './flush.policy';

type RetentionPolicy = Pick<AggregationPolicy, 'endedRetentionMs' | 'idleRetentionMs'>;

export function expiresAt(state: ConversationState, policy: RetentionPolicy): number | null {
  if (state.pendingSince !== null) return null;
  return state.endedAt !== null
    ? Math.max(state.endedAt, state.lastActivityAt) + policy.endedRetentionMs
    : state.lastActivityAt + policy.idleRetentionMs;
}

export function isExpired(state: ConversationState, now: number, policy: RetentionPolicy): boolean {
  const at = expiresAt(state, policy);
  return at !== null && now >= at;
}

type EvictionPolicy = Pick<AggregationPolicy, 'digitalMediaTypes' | 'endGraceMs'>;

/**
 * From when a conversation's state may be dropped before its retention ends, to keep an instance
 * within its memory bound (oldest first): once it ended, everything is flushed, and nothing the
 * policy waits for can still come (a voice call's ANALYTICS_READY, or the end of its grace period).
 * What it loses is the dedupe of a very late redelivery, which then yields the same values again
 * (the writer finds them already in the CRM). Null: it must be kept.
 */
export function evictableAt(state: ConversationState, policy: EvictionPolicy): number | null {
  if (state.endedAt === null || state.pendingSince !== null) return null;
  const settled =
    isDigital(state.mediaType, policy) || state.analyticsReadyAt !== null
      ? state.endedAt
      : state.endedAt + policy.endGraceMs;
  return Math.max(settled, state.lastActivityAt);
}
