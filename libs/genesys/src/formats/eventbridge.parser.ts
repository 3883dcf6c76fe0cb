// Amazon EventBridge envelope: `detail-type` is the topic pattern and `detail` is the Notifications
// envelope. The event id comes from the inner notification, so an EventBridge redelivery and the
// same event over the WebSocket hash alike.
import { type ParseOptions, type ParseResult, unrecognised } from './format.types';
import { type JsonRecord, recordField } from './json.guards';
import { parseNotification } from './notification.parser';

export function isEventBridgeEnvelope(value: JsonRecord): boolean {
  return 'detail-type' in value;
}

export function parseEventBridge(envelope: JsonRecord, options: ParseOptions): ParseResult {
  const detail = recordField(envelope, 'detail');
  if (!detail) return unrecognised('detail (the Notifications envelope) in the EventBridge event');
  const result = parseNotification(detail, options, 'EVENTBRIDGE', 'detail.');
  if (!result.ok) return result;
  // Named fields, not { ...result, format }: see apps/ingest/README.md, "Allocation".
  return {
    ok: true,
    format: 'EVENTBRIDGE',
    events: result.events,
    heartbeats: result.heartbeats,
    ignored: result.ignored,
  };
}
