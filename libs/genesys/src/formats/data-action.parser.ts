// Our own contract for Architect workflows (trigger → workflow → data action → this endpoint):
// {conversationId, contactId?, externalContactId?, email?, phone?, communicationId?, mediaType,
//  messages: [{id?, from|participant, text, timestamp}], attributes?, ended?}.
import { type ConversationEvent } from '@crm/contracts';
import { contactHintsOf } from './contact-hints.mapper';
import { conversationEvent, eventIdOf } from './conversation-event.factory';
import { type ParseOptions, type ParseResult, recognised, unrecognised } from './format.types';
import {
  arrayField,
  epochMs,
  isRecord,
  type JsonRecord,
  recordField,
  stringField,
  stringMap,
} from './json.guards';
import { mediaTypeOf, participantOf } from './participant.mapper';

export function isDataAction(value: JsonRecord): boolean {
  return (
    'messages' in value || ('conversationId' in value && 'mediaType' in value && !('transcripts' in value))
  );
}

export function parseDataAction(body: JsonRecord, options: ParseOptions): ParseResult {
  const conversationId = stringField(body, 'conversationId');
  if (!conversationId) return unrecognised('conversationId (a non-empty string) in the data-action body');
  const messages = arrayField(body, 'messages');
  if (!messages) return unrecognised('messages (an array) in the data-action body');
  const attributes = stringMap(recordField(body, 'attributes'));
  const base = {
    conversationId,
    communicationId: stringField(body, 'communicationId') ?? null,
    source: 'WEBHOOK' as const,
    mediaType: mediaTypeOf(stringField(body, 'mediaType')),
    contactHints: contactHintsOf({
      contactId: stringField(body, 'contactId'),
      attributes,
      contactIdAttributes: options.contactIdAttributes,
      externalContactId: stringField(body, 'externalContactId'),
      email: stringField(body, 'email')?.toLowerCase(),
      phone: stringField(body, 'phone'),
    }),
    receivedAt: options.receivedAt,
  };
  const events: ConversationEvent[] = [];
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message)) return unrecognised(`messages[${index}] (an object)`);
    const text = typeof message['text'] === 'string' ? message['text'] : undefined;
    if (text === undefined) return unrecognised(`messages[${index}].text (a string)`);
    const occurredAt = epochMs(message['timestamp']);
    if (occurredAt === undefined) return unrecognised(`messages[${index}].timestamp (ISO-8601 or epoch ms)`);
    const from = stringField(message, 'from') ?? stringField(message, 'participant');
    const messageId = stringField(message, 'id');
    events.push(
      conversationEvent({
        // Without a message id, the message's own content and time are its identity.
        eventId: eventIdOf('data-action', conversationId, messageId ?? eventIdOf(from, occurredAt, text)),
        ...base,
        kind: 'MESSAGE',
        participant: participantOf(from),
        text,
        occurredAt,
      }),
    );
  }
  const lastAt = events.at(-1)?.occurredAt ?? epochMs(body['timestamp']) ?? options.receivedAt;
  if (Object.keys(attributes).length > 0) {
    events.push(
      conversationEvent({
        eventId: eventIdOf('data-action#attributes', conversationId, JSON.stringify(attributes)),
        ...base,
        kind: 'CONTACT_ATTRIBUTES',
        attributes,
        occurredAt: lastAt,
      }),
    );
  }
  if (body['ended'] === true) {
    events.push(
      conversationEvent({
        eventId: eventIdOf('data-action#ended', conversationId),
        ...base,
        kind: 'CONVERSATION_ENDED',
        occurredAt: lastAt,
      }),
    );
  }
  if (events.length === 0)
    return unrecognised('messages (at least one), attributes or ended: true in the data-action body');
  return recognised('DATA_ACTION', events);
}
