import { type GenesysFake, startGenesysFake } from '../testing/genesys-fake';
import { type Clock, systemClock } from './clock';
import { GenesysClient } from './genesys.client';
import { GenesysAuthError, GenesysNotFoundError } from './genesys.error';

describe(GenesysClient.name, () => {
  let fake: GenesysFake;
  const clients: GenesysClient[] = [];

  beforeEach(async () => {
    fake = await startGenesysFake({ heartbeatIntervalMs: 0, tokenTtlSeconds: 600 });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await fake.close();
  });

  function client(overrides: { clock?: Clock; clientSecret?: string } = {}): GenesysClient {
    const sut = new GenesysClient({
      endpoints: { apiBaseUrl: fake.baseUrl, loginBaseUrl: fake.loginUrl },
      clientId: fake.clientId,
      clientSecret: overrides.clientSecret ?? fake.clientSecret,
      tokenRefreshSkewMs: 30_000,
      ...(overrides.clock ? { clock: overrides.clock } : {}),
    });
    clients.push(sut);
    return sut;
  }

  it('gets a token once for many calls and refreshes it shortly before expiry', async () => {
    let offsetMs = 0;
    const clock: Clock = { now: () => Date.now() + offsetMs, sleep: systemClock.sleep };
    const sut = client({ clock });
    fake.addConversation({ conversationId: 'conv-1', customerAttributes: { SF_ContactId: '003A' } });

    await Promise.all([
      sut.getConversation('conv-1'),
      sut.getConversation('conv-1'),
      sut.getConversation('conv-1'),
    ]);
    offsetMs = 600_000 - 31_000;
    await sut.getConversation('conv-1');
    expect(fake.tokensIssued()).toBe(1);

    offsetMs = 600_000 - 29_000;
    const conversation = await sut.getConversation('conv-1');

    expect(fake.tokensIssued()).toBe(2);
    expect(conversation.participants[0]?.attributes).toEqual({ SF_ContactId: '003A' });
  });

  it('honours Retry-After on 429 and then gets the answer', async () => {
    const sleeps: number[] = [];
    const sut = client({
      clock: { now: () => Date.now(), sleep: (ms) => (sleeps.push(ms), systemClock.sleep(ms)) },
    });
    fake.addConversation({ conversationId: 'conv-2' });
    await sut.accessToken();
    fake.rateLimitNext(2, 1);

    const started = Date.now();
    const conversation = await sut.getConversation('conv-2');

    expect(conversation.id).toBe('conv-2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(sleeps.every((ms) => ms >= 1_000)).toBe(true);
    expect(
      fake.requests.filter((r) => r.path === '/api/v2/conversations/conv-2').map((r) => r.status),
    ).toEqual([429, 429, 200]);
  });

  it('re-authenticates once after the tokens were revoked', async () => {
    const sut = client();
    fake.addConversation({ conversationId: 'conv-3' });
    await sut.getConversation('conv-3');
    fake.revokeTokens();

    await sut.getConversation('conv-3');

    expect(fake.tokensIssued()).toBe(2);
  });

  it('refuses wrong client credentials with a non-retriable auth error', async () => {
    const sut = client({ clientSecret: 'wrong' });

    const failure = await sut.getConversation('conv-4').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GenesysAuthError);
    expect(fake.requests.filter((r) => r.path === '/oauth/token').map((r) => r.status)).toEqual([401]);
  });

  it('reports the transcript as not found until it is ready, then fetches the document', async () => {
    const sut = client();
    fake.addConversation({
      conversationId: 'conv-5',
      communicationId: 'comm-5',
      endTime: Date.UTC(2026, 0, 1, 0, 5),
      transcriptReadyAfterPolls: 1,
      phrases: [{ participantPurpose: 'external', text: 'my order number is 1234567890' }],
    });

    await expect(sut.getTranscriptUrl('conv-5', 'comm-5')).rejects.toBeInstanceOf(GenesysNotFoundError);
    const document = await sut.getTranscriptDocument(await sut.getTranscriptUrl('conv-5', 'comm-5'));

    expect(document.transcripts?.[0]?.phrases?.[0]).toMatchObject({
      participantPurpose: 'external',
      text: 'my order number is 1234567890',
    });
  });

  it('finds ended conversations in an interval with the details query', async () => {
    const sut = client();
    fake.addConversation({
      conversationId: 'conv-6',
      startTime: Date.UTC(2026, 0, 1),
      endTime: Date.UTC(2026, 0, 1, 0, 10),
    });

    const found = await sut.queryConversationDetails({
      interval: '2026-01-01T00:05:00.000Z/2026-01-01T01:00:00.000Z',
    });

    expect(found.conversations?.map((c) => c.conversationId)).toEqual(['conv-6']);
  });
});
