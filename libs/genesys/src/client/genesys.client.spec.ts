import { GenesysClient } from './genesys.client';
import {
  GenesysAuthError,
  GenesysNotFoundError,
  GenesysRateLimitedError,
  GenesysServerError,
} from './genesys.error';
import { type HttpRequest, type HttpResponse } from './http-transport';

interface Scripted {
  requests: HttpRequest[];
  sleeps: number[];
  sut: GenesysClient;
}

const token: HttpResponse = {
  status: 200,
  headers: {},
  body: JSON.stringify({ access_token: 'tok-1', expires_in: 3_600 }),
};
const ok = (body: unknown): HttpResponse => ({ status: 200, headers: {}, body: JSON.stringify(body) });
const status = (code: number, headers: Record<string, string> = {}): HttpResponse => ({
  status: code,
  headers,
  body: '{}',
});

/** A client whose transport answers from a script and whose clock records waits instead of sleeping. */
function scripted(responses: HttpResponse[]): Scripted {
  const requests: HttpRequest[] = [];
  const sleeps: number[] = [];
  const sut = new GenesysClient({
    endpoints: { apiBaseUrl: 'https://api.example.test', loginBaseUrl: 'https://login.example.test' },
    clientId: 'id',
    clientSecret: 'secret',
    retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 },
    random: () => 0,
    clock: { now: () => 0, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) },
    transport: (request) => {
      requests.push(request);
      const next = responses.shift();
      return next ? Promise.resolve(next) : Promise.reject(new Error('script exhausted'));
    },
  });
  return { requests, sleeps, sut };
}

describe(GenesysClient.name, () => {
  it('asks the login host for a client-credentials token with Basic auth, then calls the API with it', async () => {
    const { sut, requests } = scripted([token, ok({ id: 'c1', participants: [] })]);

    await sut.getConversation('c1');

    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://login.example.test/oauth/token',
      body: 'grant_type=client_credentials',
      headers: { authorization: `Basic ${Buffer.from('id:secret').toString('base64')}` },
    });
    expect(requests[1]).toMatchObject({
      url: 'https://api.example.test/api/v2/conversations/c1',
      headers: { authorization: 'Bearer tok-1' },
    });
  });

  it('waits what Retry-After asks on 429 and then succeeds', async () => {
    const { sut, sleeps } = scripted([
      token,
      status(429, { 'retry-after': '2' }),
      ok({ id: 'c1', participants: [] }),
    ]);

    await expect(sut.getConversation('c1')).resolves.toMatchObject({ id: 'c1' });
    expect(sleeps).toEqual([2_000]);
  });

  it('gives up after the bounded retries with a retriable rate-limit error', async () => {
    const limited = status(429, { 'retry-after': '1' });
    const { sut, sleeps } = scripted([token, limited, limited, limited, limited]);

    const failure = await sut.getConversation('c1').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GenesysRateLimitedError);
    expect((failure as GenesysRateLimitedError).retriable).toBe(true);
    expect(sleeps).toEqual([1_000, 1_000, 1_000]);
  });

  it('retries 5xx with exponential backoff', async () => {
    const { sut, sleeps } = scripted([token, status(503), status(502), ok({ id: 'c1', participants: [] })]);

    await sut.getConversation('c1');

    expect(sleeps).toEqual([50, 100]);
  });

  it('surfaces a 5xx that outlasts the retries as a retriable server error', async () => {
    const { sut } = scripted([token, status(500), status(500), status(500), status(500)]);

    await expect(sut.getConversation('c1')).rejects.toBeInstanceOf(GenesysServerError);
  });

  it('does not retry a 404 and reports a missing transcript as not found', async () => {
    const { sut, sleeps } = scripted([token, status(404)]);

    await expect(sut.getTranscriptUrl('c1', 'm1')).rejects.toBeInstanceOf(GenesysNotFoundError);
    expect(sleeps).toEqual([]);
  });

  it('fetches a new token once when the API answers 401', async () => {
    const second: HttpResponse = ok({ access_token: 'tok-2', expires_in: 3_600 });
    const { sut, requests } = scripted([token, status(401), second, ok({ id: 'c1', participants: [] })]);

    await sut.getConversation('c1');

    expect(requests.map((r) => r.headers['authorization'])).toEqual([
      expect.stringMatching(/^Basic /),
      'Bearer tok-1',
      expect.stringMatching(/^Basic /),
      'Bearer tok-2',
    ]);
  });

  it('fails without retrying when the token endpoint refuses the credentials', async () => {
    const { sut, sleeps } = scripted([status(401)]);

    await expect(sut.getConversation('c1')).rejects.toBeInstanceOf(GenesysAuthError);
    expect(sleeps).toEqual([]);
  });

  it('fetches the pre-signed transcript document without the bearer token', async () => {
    const { sut, requests } = scripted([
      token,
      ok({ url: 'https://s3.example.test/doc?sig=1' }),
      ok({ conversationId: 'c1', transcripts: [] }),
    ]);

    const url = await sut.getTranscriptUrl('c1', 'm1');
    await sut.getTranscriptDocument(url);

    expect(requests[1]!.url).toBe(
      'https://api.example.test/api/v2/speechandtextanalytics/conversations/c1/communications/m1/transcripturl',
    );
    expect(requests[2]!.headers['authorization']).toBeUndefined();
  });
});
