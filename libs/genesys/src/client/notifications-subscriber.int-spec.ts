import { waitFor } from '@crm/testing';
import { type GenesysFake, startGenesysFake } from '../testing/genesys-fake';
import { GenesysClient } from './genesys.client';
import {
  type NotificationMessage,
  NotificationsSubscriber,
  type ReconnectReason,
} from './notifications-subscriber';

const TOPIC = 'v2.detail.events.conversation.c0ffee00-0000-4000-8000-000000000001.customer.end';

describe(NotificationsSubscriber.name, () => {
  let fake: GenesysFake;
  let client: GenesysClient;
  let sut: NotificationsSubscriber | undefined;

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

  function subscriber(
    received: NotificationMessage[],
    reconnects: ReconnectReason[],
    extra: { heartbeats?: () => void; gaps?: Array<[number, number]> } = {},
  ) {
    return new NotificationsSubscriber({
      api: client,
      topics: [TOPIC],
      onMessage: (message) => {
        received.push(message);
      },
      onReconnect: (reason) => reconnects.push(reason),
      onHeartbeat: extra.heartbeats ?? (() => undefined),
      onGap: (from, to) => extra.gaps?.push([from, to]),
      reconnectBaseDelayMs: 20,
    });
  }

  it('subscribes the configured topics and hands events to the handler, dropping heartbeats', async () => {
    const received: NotificationMessage[] = [];
    let heartbeats = 0;
    sut = subscriber(received, [], { heartbeats: () => heartbeats++ });
    sut.start();
    await waitFor(() => sut!.isConnected(), { description: 'socket open' });

    fake.sendHeartbeat();
    expect(
      fake.pushNotification(TOPIC, {
        eventTime: 1767225600123,
        conversationId: 'c0ffee00-0000-4000-8000-000000000001',
      }),
    ).toBe(1);

    await waitFor(() => received.length === 1 && heartbeats === 1, { description: 'event and heartbeat' });
    expect(received[0]).toMatchObject({
      topicName: TOPIC,
      eventBody: { conversationId: 'c0ffee00-0000-4000-8000-000000000001' },
    });
    expect(fake.channels()).toEqual([{ id: sut.channelId(), topics: [TOPIC], sockets: 1 }]);
  });

  it('reconnects after v2.system.socket_closing and keeps delivering, reporting the gap', async () => {
    const received: NotificationMessage[] = [];
    const reconnects: ReconnectReason[] = [];
    const gaps: Array<[number, number]> = [];
    sut = subscriber(received, reconnects, { gaps });
    sut.start();
    await waitFor(() => sut!.isConnected(), { description: 'socket open' });

    fake.closeSockets({ announce: true });
    await waitFor(() => fake.socketsOpened() === 2 && sut!.isConnected() && fake.openSockets() === 1, {
      description: 'second socket open',
    });
    fake.pushNotification(TOPIC, { conversationId: 'after-reconnect' });

    await waitFor(() => received.length === 1, { description: 'event after reconnect' });
    expect(reconnects[0]).toBe('socket_closing');
    expect(gaps).toHaveLength(1);
  });

  it('reconnects with backoff when the socket closes without warning', async () => {
    const reconnects: ReconnectReason[] = [];
    sut = subscriber([], reconnects);
    sut.start();
    await waitFor(() => sut!.isConnected(), { description: 'socket open' });

    fake.closeSockets({ announce: false });

    await waitFor(() => fake.socketsOpened() === 2 && sut!.isConnected(), { description: 'reconnected' });
    expect(reconnects).toEqual(['closed']);
  });

  it('moves to a new channel before the old one expires', async () => {
    await fake.close();
    fake = await startGenesysFake({ heartbeatIntervalMs: 0, channelTtlMs: 1_500 });
    client = new GenesysClient({
      endpoints: { apiBaseUrl: fake.baseUrl, loginBaseUrl: fake.loginUrl },
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
    });
    const reconnects: ReconnectReason[] = [];
    sut = new NotificationsSubscriber({
      api: client,
      topics: [TOPIC],
      onMessage: () => undefined,
      onReconnect: (r) => reconnects.push(r),
      renewBeforeMs: 1_000,
    });
    sut.start();
    await waitFor(() => sut!.isConnected(), { description: 'socket open' });
    const first = sut.channelId();

    await waitFor(() => sut!.channelId() !== first && sut!.isConnected(), {
      description: 'renewed channel',
      timeoutMs: 5_000,
    });

    expect(reconnects).toContain('channel_renewal');
    expect(fake.channels().find((c) => c.id === sut!.channelId())?.topics).toEqual([TOPIC]);
  });
});
