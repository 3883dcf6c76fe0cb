import { RequestAuthenticator, signBody } from './request-authenticator';

const SECRET = 'a-very-long-shared-secret';
const NOW = 1_767_225_600_000;
const body = Buffer.from('{"topicName":"channel.metadata"}');

function credentials(
  overrides: Partial<Parameters<RequestAuthenticator['authenticate']>[0]> = {},
): Parameters<RequestAuthenticator['authenticate']>[0] {
  return {
    authorization: undefined,
    signature: undefined,
    timestamp: undefined,
    rawBody: body,
    now: NOW,
    ...overrides,
  };
}

describe(RequestAuthenticator.name, () => {
  const sut = new RequestAuthenticator({
    bearerTokens: ['token-one', 'token-two'],
    hmacSecret: SECRET,
    toleranceSeconds: 300,
  });

  it('accepts any configured bearer token', () => {
    expect(sut.authenticate(credentials({ authorization: 'Bearer token-two' }))).toEqual({
      ok: true,
      method: 'bearer',
    });
  });

  it('refuses an unknown bearer token', () => {
    expect(sut.authenticate(credentials({ authorization: 'Bearer token-three' }))).toEqual({
      ok: false,
      failure: 'BAD_TOKEN',
    });
  });

  it('refuses a request without credentials', () => {
    expect(sut.authenticate(credentials())).toEqual({ ok: false, failure: 'MISSING_CREDENTIALS' });
  });

  it('accepts a signature over the timestamp and the raw body inside the window', () => {
    const timestamp = NOW / 1000 - 299;
    expect(
      sut.authenticate(
        credentials({ signature: signBody(SECRET, timestamp, body), timestamp: String(timestamp) }),
      ),
    ).toEqual({ ok: true, method: 'hmac' });
  });

  it('refuses a correctly signed replay outside the tolerance window', () => {
    const timestamp = NOW / 1000 - 301;
    expect(
      sut.authenticate(
        credentials({ signature: signBody(SECRET, timestamp, body), timestamp: String(timestamp) }),
      ),
    ).toEqual({ ok: false, failure: 'OUTSIDE_TOLERANCE' });
  });

  it('refuses a signature over a different body', () => {
    const timestamp = NOW / 1000;
    const signature = signBody(SECRET, timestamp, Buffer.from('{}'));
    expect(sut.authenticate(credentials({ signature, timestamp: String(timestamp) }))).toEqual({
      ok: false,
      failure: 'BAD_SIGNATURE',
    });
  });

  it('refuses a signature whose timestamp was altered', () => {
    const timestamp = NOW / 1000;
    expect(
      sut.authenticate(
        credentials({ signature: signBody(SECRET, timestamp, body), timestamp: String(timestamp + 1) }),
      ),
    ).toEqual({ ok: false, failure: 'BAD_SIGNATURE' });
  });

  it('refuses a malformed signature header', () => {
    expect(sut.authenticate(credentials({ signature: 'md5=abc', timestamp: String(NOW / 1000) }))).toEqual({
      ok: false,
      failure: 'MALFORMED_SIGNATURE',
    });
  });

  it('does not accept bearer tokens when only HMAC is configured', () => {
    const hmacOnly = new RequestAuthenticator({
      bearerTokens: [],
      hmacSecret: SECRET,
      toleranceSeconds: 300,
    });
    expect(hmacOnly.authenticate(credentials({ authorization: 'Bearer anything' }))).toEqual({
      ok: false,
      failure: 'BAD_TOKEN',
    });
  });
});
