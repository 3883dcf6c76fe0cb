import { FakeCrmServer } from '../../testing';
import { CrmAuthError } from '../errors/crm.error';
import { clientCredentialsFetcher } from './token-endpoints';
import { type AccessToken, TokenManager } from './token-manager';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe(TokenManager.name, () => {
  it('shares one token fetch between concurrent callers', async () => {
    const gate = deferred<AccessToken>();
    const fetchToken = jest.fn(() => gate.promise);
    const sut = new TokenManager({ provider: 'salesforce', fetchToken });

    const callers = Array.from({ length: 20 }, () => sut.getToken());
    gate.resolve({ value: 't1', expiresAt: null });

    expect(await Promise.all(callers)).toEqual(Array(20).fill('t1'));
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('refreshes once for all concurrent callers rejected with the same token', async () => {
    let n = 0;
    const fetchToken = jest.fn(() => Promise.resolve({ value: `t${++n}`, expiresAt: null }));
    const sut = new TokenManager({ provider: 'salesforce', fetchToken });
    const first = await sut.getToken();

    const refreshed = await Promise.all(Array.from({ length: 10 }, () => sut.refreshAfterRejection(first)));

    expect(refreshed).toEqual(Array(10).fill('t2'));
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('returns the already replaced token to a caller rejected with an old one', async () => {
    let n = 0;
    const sut = new TokenManager({
      provider: 'salesforce',
      fetchToken: () => Promise.resolve({ value: `t${++n}`, expiresAt: null }),
    });
    const old = await sut.getToken();
    await sut.refreshAfterRejection(old);

    expect(await sut.refreshAfterRejection(old)).toBe('t2');
    expect(n).toBe(2);
  });

  it('refreshes proactively before a known expiry', async () => {
    let now = 1_000_000;
    let n = 0;
    const sut = new TokenManager({
      provider: 'dynamics',
      now: () => now,
      refreshMarginMs: 60_000,
      fetchToken: () => Promise.resolve({ value: `t${++n}`, expiresAt: now + 3_600_000 }),
    });
    expect(await sut.getToken()).toBe('t1');
    now += 3_600_000 - 120_000;
    expect(await sut.getToken()).toBe('t1');
    now += 61_000;
    expect(await sut.getToken()).toBe('t2');
  });

  it('reports refresh outcomes and lets the next call try again after a failure', async () => {
    const outcomes: string[] = [];
    const fetchToken = jest
      .fn<Promise<AccessToken>, []>()
      .mockRejectedValueOnce(new CrmAuthError('salesforce token request rejected: invalid_grant'))
      .mockResolvedValueOnce({ value: 'ok', expiresAt: null });
    const sut = new TokenManager({
      provider: 'salesforce',
      fetchToken,
      onRefresh: (_p, outcome) => outcomes.push(outcome),
    });

    await expect(sut.getToken()).rejects.toBeInstanceOf(CrmAuthError);
    expect(await sut.getToken()).toBe('ok');
    expect(outcomes).toEqual(['failure', 'success']);
  });
});

describe(clientCredentialsFetcher.name, () => {
  const fake = new FakeCrmServer();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  afterEach(() => {
    fake.state.faults = {};
  });

  it('reads a Salesforce token without an expiry', async () => {
    const sut = clientCredentialsFetcher('salesforce', {
      tokenUrl: `${fake.url}/services/oauth2/token`,
      clientId: 'id',
      clientSecret: 's',
    });
    const token = await sut();
    expect(token.expiresAt).toBeNull();
    expect(fake.state.validTokens.has(token.value)).toBe(true);
  });

  it('turns Entra expires_in into an absolute expiry', async () => {
    const sut = clientCredentialsFetcher('dynamics', {
      tokenUrl: `${fake.url}/tenant/oauth2/v2.0/token`,
      clientId: 'id',
      clientSecret: 's',
      scope: 'https://org.crm.dynamics.com/.default',
      now: () => 1_000,
    });
    expect((await sut()).expiresAt).toBe(1_000 + 3_599_000);
  });

  it.each(['invalid_grant', 'invalid_client', 'invalid_client_id'] as const)(
    'raises a non-retriable CrmAuthError on %s',
    async (code) => {
      fake.state.faults.tokenError = code;
      const sut = clientCredentialsFetcher('salesforce', {
        tokenUrl: `${fake.url}/services/oauth2/token`,
        clientId: 'id',
        clientSecret: 's',
      });
      const error = await sut().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CrmAuthError);
      expect((error as CrmAuthError).retriable).toBe(false);
      expect((error as CrmAuthError).message).toContain(code);
    },
  );
});
