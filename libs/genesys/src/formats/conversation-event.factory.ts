// Builds a complete ConversationEvent from the fields a parser knows, with the contract's defaults,
// and derives the deterministic event id from the source identity (never from arrival time).
import { hash } from 'node:crypto';
import { type ContactHints, type ConversationEvent } from '@crm/contracts';

export const NO_CONTACT_HINTS: ContactHints = {
  contactId: null,
  externalContactId: null,
  email: null,
  phone: null,
};

/** sha256 over the parts of a source identity (topic, conversation, utterance or message id, offset). */
export function eventIdOf(...parts: ReadonlyArray<string | number | null | undefined>): string {
  // One-shot crypto.hash: about half the cost of createHash().update().digest() on ingest's hot path.
  return hash(
    'sha256',
    parts.map((part) => (part === null || part === undefined ? '' : String(part))).join('\u001f'),
    'hex',
  );
}

export type EventFields = Pick<
  ConversationEvent,
  'eventId' | 'conversationId' | 'source' | 'kind' | 'occurredAt' | 'receivedAt'
> &
  Partial<
    Omit<ConversationEvent, 'eventId' | 'conversationId' | 'source' | 'kind' | 'occurredAt' | 'receivedAt'>
  >;

export function conversationEvent(fields: EventFields): ConversationEvent {
  return {
    communicationId: null,
    mediaType: 'UNKNOWN',
    participant: 'SYSTEM',
    text: null,
    confidence: null,
    words: [],
    vendorEntities: [],
    sentimentScore: null,
    attributes: {},
    contactHints: NO_CONTACT_HINTS,
    ...fields,
  };
}
