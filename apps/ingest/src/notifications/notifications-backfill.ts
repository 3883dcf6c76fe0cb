// Genesys does not replay Notifications sent while no socket was open. After a gap, the analytics
// details query finds the conversations that ended meanwhile; each is handed to the handler as the
// `customer.end` detail event the socket would have carried, so the normal path (mapping, produce,
// poller) recovers their transcripts. A conversation that also arrived live is a harmless repeat.
import {
  type AnalyticsConversation,
  type AnalyticsConversationQueryResponse,
  type GenesysClient,
  type NotificationMessage,
} from '@crm/genesys';

export type DetailsQueryApi = Pick<GenesysClient, 'queryConversationDetails'>;

/** Looks back this far before the gap, for conversations that ended while the socket was closing. */
const LOOKBACK_MS = 60_000;
const PAGE_SIZE = 100;
const MAX_PAGES = 50;

export async function backfillEndedConversations(
  api: DetailsQueryApi,
  fromMs: number,
  toMs: number,
): Promise<NotificationMessage[]> {
  const interval = `${new Date(fromMs - LOOKBACK_MS).toISOString()}/${new Date(toMs).toISOString()}`;
  const found: NotificationMessage[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
    const page: AnalyticsConversationQueryResponse = await api.queryConversationDetails({
      interval,
      order: 'asc',
      orderBy: 'conversationStart',
      paging: { pageSize: PAGE_SIZE, pageNumber },
    });
    const conversations = page.conversations ?? [];
    found.push(...endedNotificationsFrom(conversations, fromMs - LOOKBACK_MS, toMs));
    if (conversations.length < PAGE_SIZE) break;
  }
  return found;
}

export function endedNotificationsFrom(
  conversations: readonly AnalyticsConversation[],
  fromMs: number,
  toMs: number,
): NotificationMessage[] {
  return conversations.flatMap((conversation) => {
    const endedAt = conversation.conversationEnd ? Date.parse(conversation.conversationEnd) : Number.NaN;
    if (Number.isNaN(endedAt) || endedAt < fromMs || endedAt > toMs) return [];
    const customer = conversation.participants?.find((participant) => participant.purpose === 'customer');
    const session = customer?.sessions?.[0];
    const eventBody = {
      eventTime: endedAt,
      conversationId: conversation.conversationId,
      participantId: customer?.participantId,
      sessionId: session?.sessionId,
      mediaType: session?.mediaType?.toUpperCase(),
      messageType: session?.messageType?.toUpperCase(),
      direction: session?.direction?.toUpperCase(),
      disconnectType: 'CLIENT',
      externalContactId: customer?.externalContactId,
      conversationExternalContactIds: customer?.externalContactId ? [customer.externalContactId] : [],
    };
    return [
      {
        topicName: `v2.detail.events.conversation.${conversation.conversationId}.customer.end`,
        version: '2',
        eventBody,
        metadata: { CorrelationId: `backfill-${conversation.conversationId}` },
      },
    ];
  });
}
