// Structural detection in DESIGN §4 order: EventBridge, Notifications, guide, data action, STA
// transcript document. A body is one event or an array of them; one unrecognised item refuses the
// whole body, so a 422 never half-produces a request.
import { type ConversationEvent } from '@crm/contracts';
import { isDataAction, parseDataAction } from './data-action.parser';
import { isEventBridgeEnvelope, parseEventBridge } from './eventbridge.parser';
import {
  type ParseOptions,
  type ParseResult,
  type Recognised,
  type Unrecognised,
  unrecognised,
} from './format.types';
import { isGuideEvent, parseGuide } from './guide.parser';
import { isRecord } from './json.guards';
import { isNotificationEnvelope, parseNotification } from './notification.parser';
import { isTranscriptDocument, mapTranscriptDocument } from './transcript-document.mapper';

export function parseGenesysEvent(item: unknown, options: ParseOptions): ParseResult {
  if (!isRecord(item)) return unrecognised('a JSON object (or an array of objects)');
  if (isEventBridgeEnvelope(item)) return parseEventBridge(item, options);
  if (isNotificationEnvelope(item))
    return parseNotification(item, options, options.notificationSource ?? 'NOTIFICATION');
  if (isGuideEvent(item)) return parseGuide(item, options);
  if (isDataAction(item)) return parseDataAction(item, options);
  if (isTranscriptDocument(item))
    return mapTranscriptDocument(item, { source: options.documentSource ?? 'WEBHOOK', ...options });
  return unrecognised(
    'the fields of any accepted format: "detail-type" (EventBridge), topicName (Notifications), analytics or a guide type (guide), conversationId with messages (data action), conversationId with transcripts (STA transcript)',
  );
}

export interface ParsedBody {
  ok: true;
  events: ConversationEvent[];
  items: Recognised[];
  heartbeats: number;
  ignored: number;
}

export function parseGenesysBody(body: unknown, options: ParseOptions): ParsedBody | Unrecognised {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) return unrecognised('at least one event in the array');
  const parsed: Recognised[] = [];
  for (const [index, item] of items.entries()) {
    const result = parseGenesysEvent(item, options);
    if (!result.ok) return Array.isArray(body) ? { index, ...result } : result;
    parsed.push(result);
  }
  return {
    ok: true,
    items: parsed,
    events: parsed.flatMap((item) => item.events),
    heartbeats: parsed.reduce((sum, item) => sum + item.heartbeats, 0),
    ignored: parsed.reduce((sum, item) => sum + item.ignored, 0),
  };
}
