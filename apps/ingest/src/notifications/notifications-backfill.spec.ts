import { type AnalyticsConversationQuery } from '@crm/genesys';
import { backfillEndedConversations, endedNotificationsFrom } from './notifications-backfill';

const FROM = Date.UTC(2026, 0, 1, 0, 0);
const TO = Date.UTC(2026, 0, 1, 0, 10);

const conversation = (id: string, end: string | undefined) => ({
  conversationId: id,
  conversationStart: '2025-12-31T23:50:00.000Z',
  ...(end ? { conversationEnd: end } : {}),
  participants: [
    {
      participantId: 'pa-agent',
      purpose: 'agent',
      sessions: [{ sessionId: 'se-agent', mediaType: 'voice' }],
    },
    {
      participantId: 'pa-1',
      purpose: 'customer',
      externalContactId: 'ec-42',
      sessions: [{ sessionId: 'se-1', mediaType: 'voice', direction: 'inbound' }],
    },
  ],
});

describe(endedNotificationsFrom.name, () => {
  it('turns a conversation that ended inside the gap into the customer.end detail event the socket would have carried', () => {
    const sut = endedNotificationsFrom([conversation('conv-1', '2026-01-01T00:05:00.000Z')], FROM, TO);

    expect(sut).toHaveLength(1);
    expect(sut[0]).toMatchObject({
      topicName: 'v2.detail.events.conversation.conv-1.customer.end',
      version: '2',
      metadata: { CorrelationId: 'backfill-conv-1' },
    });
    expect(sut[0]!.eventBody).toMatchObject({
      eventTime: Date.UTC(2026, 0, 1, 0, 5),
      conversationId: 'conv-1',
      participantId: 'pa-1',
      sessionId: 'se-1',
      mediaType: 'VOICE',
      direction: 'INBOUND',
      externalContactId: 'ec-42',
      conversationExternalContactIds: ['ec-42'],
    });
  });

  it('skips conversations still open or ended outside the gap', () => {
    const sut = endedNotificationsFrom(
      [
        conversation('open', undefined),
        conversation('before', '2025-12-31T23:59:00.000Z'),
        conversation('after', '2026-01-01T00:11:00.000Z'),
      ],
      FROM,
      TO,
    );

    expect(sut).toEqual([]);
  });
});

describe(backfillEndedConversations.name, () => {
  it('queries the gap with a look-back and pages until a short page', async () => {
    const queries: AnalyticsConversationQuery[] = [];
    const full = Array.from({ length: 100 }, (_, i) => conversation(`c${i}`, '2026-01-01T00:05:00.000Z'));
    const pages = [full, [conversation('last', '2026-01-01T00:06:00.000Z')]];

    const sut = await backfillEndedConversations(
      {
        queryConversationDetails: (query) => (
          queries.push(query),
          Promise.resolve({ conversations: pages.shift() ?? [] })
        ),
      },
      FROM,
      TO,
    );

    expect(sut).toHaveLength(101);
    expect(queries.map((q) => q.paging?.pageNumber)).toEqual([1, 2]);
    expect(queries[0]!.interval).toBe('2025-12-31T23:59:00.000Z/2026-01-01T00:10:00.000Z');
  });
});
