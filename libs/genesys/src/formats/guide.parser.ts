// The integration format Genesys guides describe (no real Genesys source emits it; kept behind a
// flag): `{id, type, analytics: {speech_analytics|digital_analytics: {entities: [...]}}}` with
// start_time and end_time in seconds.
import { type ConversationEvent, type VendorEntity } from '@crm/contracts';
import { contactHintsOf } from './contact-hints.mapper';
import { conversationEvent, eventIdOf } from './conversation-event.factory';
import { type ParseOptions, type ParseResult, recognised, unrecognised } from './format.types';
import {
  arrayField,
  epochMs,
  isRecord,
  type JsonRecord,
  numberField,
  recordField,
  stringField,
} from './json.guards';
import { mediaTypeOf } from './participant.mapper';

const GUIDE_TYPES = ['Conversation Ended', 'Conversation Analytics Available', 'Message Analytics Available'];

export function isGuideEvent(value: JsonRecord): boolean {
  const type = stringField(value, 'type');
  return 'analytics' in value || (type !== undefined && GUIDE_TYPES.includes(type));
}

export function parseGuide(body: JsonRecord, options: ParseOptions): ParseResult {
  if (options.acceptGuideFormat === false)
    return unrecognised('guide analytics format is disabled (INGEST_ACCEPT_GUIDE_FORMAT=false)');
  const id = stringField(body, 'id');
  const conversationId = stringField(body, 'conversationId') ?? stringField(body, 'conversation_id') ?? id;
  if (!conversationId) return unrecognised('id or conversationId (a non-empty string)');
  const type = stringField(body, 'type') ?? '';
  const analytics = recordField(body, 'analytics');
  const speech = analytics ? recordField(analytics, 'speech_analytics') : undefined;
  const digital = analytics ? recordField(analytics, 'digital_analytics') : undefined;
  if (analytics && !speech && !digital)
    return unrecognised('analytics.speech_analytics or analytics.digital_analytics (an object)');
  const block = speech ?? digital;
  const rawEntities = block ? arrayField(block, 'entities') : [];
  if (!rawEntities)
    return unrecognised(`analytics.${speech ? 'speech' : 'digital'}_analytics.entities (an array)`);
  const entities: VendorEntity[] = [];
  for (const [index, raw] of rawEntities.entries()) {
    const entityType = isRecord(raw) ? stringField(raw, 'entity_type') : undefined;
    const value = isRecord(raw) ? raw['value'] : undefined;
    if (!isRecord(raw) || !entityType || (typeof value !== 'string' && typeof value !== 'number')) {
      return unrecognised(`analytics entities[${index}].entity_type and .value`);
    }
    const start = numberField(raw, 'start_time');
    const end = numberField(raw, 'end_time');
    entities.push({
      entityType,
      value: String(value),
      confidence: numberField(raw, 'confidence') ?? null,
      startMs: start === undefined ? null : Math.round(start * 1000),
      endMs: end === undefined ? null : Math.round(end * 1000),
    });
  }
  const base = {
    conversationId,
    source: 'WEBHOOK' as const,
    mediaType: mediaTypeOf(
      stringField(body, 'media_type') ??
        stringField(body, 'mediaType') ??
        (speech ? 'voice' : digital ? 'message' : undefined),
    ),
    contactHints: contactHintsOf({
      contactId: stringField(body, 'contactId') ?? stringField(body, 'contact_id'),
    }),
    occurredAt: epochMs(body['timestamp']) ?? epochMs(body['occurred_at']) ?? options.receivedAt,
    receivedAt: options.receivedAt,
  };
  const events: ConversationEvent[] = [];
  if (entities.length > 0) {
    events.push(
      conversationEvent({
        eventId: eventIdOf('guide', id, type, conversationId),
        ...base,
        kind: 'VENDOR_ENTITY',
        vendorEntities: entities,
      }),
    );
  }
  if (/ended/i.test(type))
    events.push(
      conversationEvent({
        eventId: eventIdOf('guide#ended', id, conversationId),
        ...base,
        kind: 'CONVERSATION_ENDED',
      }),
    );
  if (/analytics available/i.test(type)) {
    events.push(
      conversationEvent({
        eventId: eventIdOf('guide#ready', id, type, conversationId),
        ...base,
        kind: 'ANALYTICS_READY',
      }),
    );
  }
  return recognised('GUIDE', events);
}
