// The Notifications subscriber's handler: each message from the WebSocket goes through the same
// format detection and publisher as the HTTP path, stamped source NOTIFICATION. A message in no
// known shape is counted and logged (without its body), never a crash.
import { parseGenesysEvent } from '@crm/genesys';
import { newTraceparent } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type IngestSettings } from '../ingest/ingest-settings';
import { type ConversationEventPublisher } from '../publish/conversation-event.publisher';
import { type NotificationHandler } from './notifications-runner';

export function notificationPublisher(
  publisher: ConversationEventPublisher,
  settings: IngestSettings,
  logger: Logger,
): NotificationHandler {
  return async (message) => {
    const parsed = parseGenesysEvent(message, {
      receivedAt: Date.now(),
      contactIdAttributes: settings.INGEST_CONTACT_ID_ATTRIBUTES,
      acceptGuideFormat: settings.INGEST_ACCEPT_GUIDE_FORMAT,
      notificationSource: 'NOTIFICATION',
    });
    if (!parsed.ok) {
      logger.warn(
        { topicName: message.topicName, missing: parsed.missing },
        'notification in no known format; dropped',
      );
      return;
    }
    if (parsed.events.length > 0) await publisher.publish(parsed.events, newTraceparent());
  };
}
