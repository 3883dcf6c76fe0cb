// When a conversation's state may be dropped (and its changelog entry tombstoned). Conversation
// text is personal data, so ended conversations do not linger; a conversation whose end was never
// seen is dropped after a long idle period. An unflushed change is never dropped: every pending
// change has a flush deadline (flush.policy.ts), and expiry waits for it.
import { type AggregationPolicy } from './aggregation.policy';
import { type ConversationState } from './conversation.state';

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
