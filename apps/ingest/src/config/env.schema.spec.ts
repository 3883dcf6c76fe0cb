import { ConfigError, loadConfig } from '@crm/config';
import { envSchema } from './env.schema';

const base = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
};

describe('ingest envSchema', () => {
  it('refuses to boot without any authentication method and says what to set', () => {
    expect(() => loadConfig('ingest', envSchema, base)).toThrow(ConfigError);
    expect(() => loadConfig('ingest', envSchema, base)).toThrow(
      /INGEST_BEARER_TOKENS and\/or INGEST_HMAC_SECRET/,
    );
  });

  it('applies the documented defaults', () => {
    const sut = loadConfig('ingest', envSchema, { ...base, INGEST_BEARER_TOKENS: 'a, b' });
    expect(sut).toMatchObject({
      PORT: 3000,
      INGEST_BEARER_TOKENS: ['a', 'b'],
      INGEST_HMAC_TOLERANCE_SECONDS: 300,
      INGEST_BODY_LIMIT_BYTES: 1_048_576,
      INGEST_MAX_EVENTS_PER_REQUEST: 500,
      INGEST_CONTACT_ID_ATTRIBUTES: ['SF_ContactId'],
      INGEST_ACCEPT_GUIDE_FORMAT: true,
      INGEST_TOPIC: 'genesys.external.conversation-events.v1',
      INGEST_SEND_TIMEOUT_MS: 5_000,
      INGEST_RETRY_AFTER_SECONDS: 5,
    });
  });

  it('accepts HMAC alone and refuses a short secret', () => {
    expect(
      loadConfig('ingest', envSchema, { ...base, INGEST_HMAC_SECRET: 'sixteen-chars-ok' }).INGEST_HMAC_SECRET,
    ).toBe('sixteen-chars-ok');
    expect(() => loadConfig('ingest', envSchema, { ...base, INGEST_HMAC_SECRET: 'short' })).toThrow(
      /INGEST_HMAC_SECRET/,
    );
  });
});
