// Converts between the in-memory state and its changelog record (the aggregator-state Avro value).
// Copies field by field: a record handed to the serialiser never aliases live state, and restored
// objects are plain literals (compact in-object properties) rather than the decoder's instances.
import {
  type AggregatorState,
  type StateCandidate,
  type StateEntitySlot,
  type StateMention,
} from '@crm/contracts';

import { type Candidate, type ConversationState, type EntitySlot, type Mention } from './conversation.state';

const mention = (m: Mention | StateMention): StateMention & Mention => ({
  value: m.value,
  entityId: m.entityId,
  confidence: m.confidence,
  occurredAt: m.occurredAt,
  participant: m.participant,
});

// A candidate usually repeats the chosen value: reuse that string rather than hold a second copy.
const candidate = (c: Candidate | StateCandidate, chosen: Mention): StateCandidate & Candidate => ({
  value: c.value === chosen.value ? chosen.value : c.value,
  confidence: c.confidence,
  occurredAt: c.occurredAt,
  participant: c.participant,
});

function slot(s: EntitySlot | StateEntitySlot): StateEntitySlot & EntitySlot {
  const chosen = mention(s.chosen);
  return { chosen, ambiguous: s.ambiguous, recent: s.recent.map((c) => candidate(c, chosen)) };
}

function copy(state: ConversationState | AggregatorState): AggregatorState & ConversationState {
  return {
    conversationId: state.conversationId,
    mediaType: state.mediaType,
    contact: {
      contactId: state.contact.contactId,
      externalContactId: state.contact.externalContactId,
      email: state.contact.email,
      phone: state.contact.phone,
    },
    contactAt: state.contactAt,
    slots: Object.fromEntries(Object.entries(state.slots).map(([type, s]) => [type, slot(s)])),
    sentiment:
      state.sentiment === null
        ? null
        : {
            score: state.sentiment.score,
            eventId: state.sentiment.eventId,
            occurredAt: state.sentiment.occurredAt,
          },
    seenIds: Array.from(state.seenIds),
    endedAt: state.endedAt,
    analyticsReadyAt: state.analyticsReadyAt,
    pendingSince: state.pendingSince,
    lastInputAt: state.lastInputAt,
    flushedUpdateId: state.flushedUpdateId,
    flushedAt: state.flushedAt,
    firstActivityAt: state.firstActivityAt,
    lastActivityAt: state.lastActivityAt,
    lastEventAt: state.lastEventAt,
  };
}

export function toStateRecord(state: ConversationState): AggregatorState {
  return copy(state);
}

export function fromStateRecord(record: AggregatorState): ConversationState {
  return copy(record);
}
