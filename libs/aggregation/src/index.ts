// Public entry point of @crm/aggregation: the aggregator's pure domain (state, merge rules, flush
// and retention policies, changelog record conversion). No Kafka, no Nest, no timers.
export { type AggregationPolicy, DEFAULT_AGGREGATION_POLICY } from './lib/aggregation.policy';
export { aggregationPolicySchema, parseAggregationPolicy } from './lib/aggregation-policy.schema';
export {
  type Candidate,
  type ConversationState,
  type EntitySlot,
  type Mention,
  type SentimentReading,
  NO_CONTACT,
  emptyConversationState,
} from './lib/conversation.state';
export {
  type ApplyOutcome,
  type ApplyResult,
  applyRecord,
  conversationIdOf,
} from './lib/conversation.reducer';
export { supersedes, speakerRank } from './lib/correction.rule';
export { conflicts, conflictsWithAny, keepRecent } from './lib/ambiguity.rule';
export { type MergeEffect, type MergeResult, mergeMention } from './lib/merge.rule';
export { type ContactMerge, hintsOf, mergeContact } from './lib/contact.rule';
export { isDuplicate, rememberId } from './lib/dedupe.rule';
export { idKey } from './lib/id.key';
export {
  type FlushDecision,
  type SuppressedReason,
  SENTIMENT_KEY,
  decide,
  flushSchedule,
  heldBackOf,
  isDigital,
  valuesOf,
} from './lib/flush.policy';
export { evictableAt, expiresAt, isExpired } from './lib/retention.policy';
export { updateIdOf } from './lib/update.fingerprint';
export { fromStateRecord, toStateRecord } from './lib/state.record';
