// Fixture builders for @crm/aggregation and its consumers (@crm/aggregation/testing).
import {
  type ContactHints,
  type ConversationLifecycle,
  type EntityExtracted,
  type EntityStreamRecord,
  type LifecycleKind,
} from '@crm/contracts';

import { type AggregationPolicy, DEFAULT_AGGREGATION_POLICY } from './lib/aggregation.policy';
import { applyRecord } from './lib/conversation.reducer';
import { type ConversationState, type Mention } from './lib/conversation.state';

export const A_CONVERSATION_ID = '0b7f3c2e-5d1a-4c8e-9b1f-2a3d4e5f6a7b';
export const T0 = 1_764_500_000_000;

let sequence = 0;
const nextId = (prefix: string): string => {
  sequence += 1;
  return `${prefix}-${sequence}`;
};

export function anEntityExtracted(overrides: Partial<EntityExtracted> = {}): EntityExtracted {
  const value = overrides.value ?? '1234567890';
  return {
    entityId: nextId('ent'),
    conversationId: A_CONVERSATION_ID,
    sourceEventId: nextId('ev'),
    entityType: 'OrderNumber',
    rawValue: value,
    value,
    confidence: 0.95,
    method: 'REGEX',
    span: null,
    participant: 'CUSTOMER',
    mediaType: 'VOICE',
    definitionsVersion: 'test',
    occurredAt: T0,
    extractedAt: T0 + 100,
    ...overrides,
  };
}

/** An EntityExtracted on the extractor's output stream. */
export function anEntity(overrides: Partial<EntityExtracted> = {}): EntityStreamRecord {
  return { payload: { 'crm.extraction.EntityExtracted': anEntityExtracted(overrides) } };
}

export function aContact(overrides: Partial<ContactHints> = {}): ContactHints {
  return { contactId: null, externalContactId: null, email: null, phone: null, ...overrides };
}

/** A lifecycle event forwarded on the extractor's output stream. */
export function aLifecycle(
  kind: LifecycleKind,
  overrides: Partial<Omit<ConversationLifecycle, 'kind'>> = {},
): EntityStreamRecord {
  const lifecycle: ConversationLifecycle = {
    eventId: nextId('ev'),
    conversationId: A_CONVERSATION_ID,
    kind,
    mediaType: 'VOICE',
    sentimentScore: null,
    attributes: {},
    contactHints: aContact(),
    occurredAt: T0,
    ...overrides,
  };
  return { payload: { 'crm.extraction.ConversationLifecycle': lifecycle } };
}

export function aMention(overrides: Partial<Mention> = {}): Mention {
  return {
    value: '1234567890',
    entityId: nextId('ent'),
    confidence: 0.95,
    occurredAt: T0,
    participant: 'CUSTOMER',
    ...overrides,
  };
}

export function aPolicy(overrides: Partial<AggregationPolicy> = {}): AggregationPolicy {
  return { ...DEFAULT_AGGREGATION_POLICY, ...overrides };
}

/** Applies records in order, each at its own processing time, from an empty state. */
export function aStateFrom(
  steps: ReadonlyArray<readonly [record: EntityStreamRecord, now: number]>,
  policy: AggregationPolicy = aPolicy(),
): ConversationState {
  let state: ConversationState | null = null;
  for (const [record, now] of steps) state = applyRecord(state, record, now, policy).state;
  if (state === null) throw new Error('aStateFrom needs at least one record');
  return state;
}
