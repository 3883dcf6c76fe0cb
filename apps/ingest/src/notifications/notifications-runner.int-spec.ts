import { GenesysClient, type NotificationMessage } from '@crm/genesys';
import { type GenesysFake, startGenesysFake } from '@crm/genesys/testing';
import { createLogger } from '@crm/observability';
import { testKafka, uniqueName, waitFor } from '@crm/testing';
import { type Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { NotificationsRunner } from './notifications-runner';

const logger = createLogger({ service: 'test', level: 'silent', format: 'json' });
const TOPIC = 'v2.detail.events.conversation.c0ffee00-0000-4000-8000-000000000001.customer.end';

describe(NotificationsRunner.name, () => {
  let kafka: Kafka;
  let fake: GenesysFake;
  let client: GenesysClient;
  let sut: NotificationsRunner | undefined;

  beforeAll(() => {
    kafka = testKafka();
  });

  beforeEach(async () => {
    fake = await startGenesysFake({ heartbeatIntervalMs: 0 });
    client = new GenesysClient({
      endpoints: { apiBaseUrl: fake.baseUrl, loginBaseUrl: fake.loginUrl },
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
    });
  });

  afterEach(async () => {
    await sut?.stop();
    await client.close();
    await fake.close();
  });

  it('subscribes once it holds the lease, forwards events, and after socket_closing reconnects and backfills the gap', async () => {
    const received: NotificationMessage[] = [];
    const metrics = new Registry();
    sut = new NotificationsRunner({
      kafka,
      api: client,
      topics: [TOPIC],
      handler: (message) => {
        received.push(message);
        return Promise.resolve();
      },
      logger,
      metrics,
      leaseTopic: uniqueName('lease'),
      leaseGroupId: uniqueName('lease-group'),
      leaseSessionTimeoutMs: 6_000,
      reconnectBaseDelayMs: 20,
    });

    await sut.start();
    await waitFor(() => sut!.holdsLease() && sut!.isConnected(), {
      description: 'lease held and socket open',
      timeoutMs: 30_000,
    });
    fake.pushNotification(TOPIC, {
      eventTime: Date.now(),
      conversationId: 'c0ffee00-0000-4000-8000-000000000001',
    });
    await waitFor(() => received.length === 1, { description: 'live event' });

    fake.addConversation({
      conversationId: 'ended-in-gap',
      startTime: Date.now() - 60_000,
      endTime: Date.now(),
    });
    fake.closeSockets({ announce: true });

    await waitFor(
      () => received.some((m) => m.topicName === 'v2.detail.events.conversation.ended-in-gap.customer.end'),
      { description: 'backfilled end', timeoutMs: 15_000 },
    );
    expect(await metrics.getSingleMetricAsString('genesys_notifications_reconnects_total')).toContain(
      'reason="socket_closing"} 1',
    );
    expect(fake.socketsOpened()).toBe(2);
  });
});
