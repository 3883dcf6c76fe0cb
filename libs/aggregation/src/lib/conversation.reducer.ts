// Applies one record of the extractor's output stream to a conversation's state. Pure: the caller
// passes the processing time `now`, which drives every deadline; conversation time (occurredAt)
// drives the merge rules, so a late or replayed record is judged by when it was said.
import {
  type ConversationLifecycle,
  type EntityExtracted,
  type EntityStreamRecord,
  type MediaType,
} from '@crm/contracts';

import { type AggregationPolicy } from './aggregation.policy';
import { mergeContact } from './contact.rule';
import { type ConversationState, type SentimentReading, emptyConversationState } from './conversation.state';
import { isDuplicate, rememberId } from './dedupe.rule';
import { mergeMention } from './merge.rule';

/** CHANGED: something to flush changed; AMBIGUOUS: an entity type is now held back. */
export type ApplyOutcome = 'CHANGED' | 'AMBIGUOUS' | 'UNCHANGED' | 'DUPLICATE';

export interface ApplyResult {
  readonly state: ConversationState;
  readonly outcome: ApplyOutcome;
}

type Payload =
  { kind: 'entity'; entity: EntityExtracted } | { kind: 'lifecycle'; lifecycle: ConversationLifecycle };

function unwrap(record: EntityStreamRecord): Payload {
  const payload = record.payload;
  return 'crm.extraction.EntityExtracted' in payload
    ? { kind: 'entity', entity: payload['crm.extraction.EntityExtracted'] }
    : { kind: 'lifecycle', lifecycle: payload['crm.extraction.ConversationLifecycle'] };
}

export function conversationIdOf(record: EntityStreamRecord): string {
  const payload = unwrap(record);
  return payload.kind === 'entity' ? payload.entity.conversationId : payload.lifecycle.conversationId;
}

// The first known media type sticks: a stray UNKNOWN must not switch a chat to the voice policy.
function knownMedia(current: MediaType, incoming: MediaType): MediaType {
  return current === 'UNKNOWN' ? incoming : current;
}

export function applyRecord(
  state: ConversationState | null,
  record: EntityStreamRecord,
  now: number,
  policy: AggregationPolicy,
): ApplyResult {
  const conversationId = conversationIdOf(record);
  if (state !== null && state.conversationId !== conversationId) {
    throw new Error(
      `record of conversation ${conversationId} applied to the state of ${state.conversationId}`,
    );
  }
  const current = state ?? emptyConversationState(conversationId, now);
  const payload = unwrap(record);
  return payload.kind === 'entity'
    ? applyEntity(current, payload.entity, now, policy)
    : applyLifecycle(current, payload.lifecycle, now, policy);
}

function applyEntity(
  state: ConversationState,
  entity: EntityExtracted,
  now: number,
  policy: AggregationPolicy,
): ApplyResult {
  if (isDuplicate(state, entity.entityId)) return { state, outcome: 'DUPLICATE' };
  const { slot, effect } = mergeMention(
    state.slots[entity.entityType],
    {
      value: entity.value,
      entityId: entity.entityId,
      confidence: entity.confidence,
      occurredAt: entity.occurredAt,
      participant: entity.participant,
    },
    policy,
  );
  const changed = effect === 'CHANGED';
  return {
    outcome: effect,
    state: {
      ...state,
      mediaType: knownMedia(state.mediaType, entity.mediaType),
      slots: { ...state.slots, [entity.entityType]: slot },
      seenIds: rememberId(state.seenIds, entity.entityId, policy.dedupeCapacity),
      pendingSince: changed ? (state.pendingSince ?? now) : state.pendingSince,
      // Any new entity, even a repeat, means the customer is still typing: the debounce restarts.
      lastInputAt: now,
      lastActivityAt: now,
      lastEventAt: Math.max(state.lastEventAt, entity.occurredAt),
    },
  };
}

function nextSentiment(
  current: SentimentReading | null,
  event: ConversationLifecycle,
): SentimentReading | null {
  if (event.kind !== 'SENTIMENT' || event.sentimentScore === null) return current;
  if (current !== null && (event.occurredAt <= current.occurredAt || event.sentimentScore === current.score))
    return current;
  return { score: event.sentimentScore, eventId: event.eventId, occurredAt: event.occurredAt };
}

function applyLifecycle(
  state: ConversationState,
  event: ConversationLifecycle,
  now: number,
  policy: AggregationPolicy,
): ApplyResult {
  if (isDuplicate(state, event.eventId)) return { state, outcome: 'DUPLICATE' };
  const contact = mergeContact(state.contact, state.contactAt, event, policy.contactIdAttribute);
  const sentiment = nextSentiment(state.sentiment, event);
  const changed = contact.changed || sentiment !== state.sentiment;
  const ends = event.kind === 'CONVERSATION_ENDED' || event.kind === 'ANALYTICS_READY';
  return {
    outcome: changed ? 'CHANGED' : 'UNCHANGED',
    state: {
      ...state,
      mediaType: knownMedia(state.mediaType, event.mediaType),
      contact: contact.contact,
      contactAt: contact.contactAt,
      sentiment,
      seenIds: rememberId(state.seenIds, event.eventId, policy.dedupeCapacity),
      // Analytics are only ready once the conversation is over, whether or not ENDED was seen.
      endedAt: ends ? (state.endedAt ?? now) : state.endedAt,
      analyticsReadyAt:
        event.kind === 'ANALYTICS_READY' ? (state.analyticsReadyAt ?? now) : state.analyticsReadyAt,
      pendingSince: changed ? (state.pendingSince ?? now) : state.pendingSince,
      lastInputAt: changed ? now : state.lastInputAt,
      lastActivityAt: now,
      lastEventAt: Math.max(state.lastEventAt, event.occurredAt),
    },
  };
}
