import { z } from 'zod';
import { ConfigError } from './config.error';
import { integer, commaList, booleanFlag } from './env-fields';
import { kafkaEnvSchema } from './kafka.env';
import { loadConfig } from './load-config';

describe(loadConfig.name, () => {
  const schema = z.object({
    PORT: integer(3000, { min: 1, max: 65535 }),
    TOKENS: commaList(),
    DEBUG: booleanFlag(false),
  });

  it('applies defaults and parses typed values', () => {
    const sut = loadConfig('svc', schema, { TOKENS: 'a, b,,c', DEBUG: 'yes' });
    expect(sut).toEqual({ PORT: 3000, TOKENS: ['a', 'b', 'c'], DEBUG: true });
  });

  it('lists every invalid variable by name without echoing its value', () => {
    const attempt = () => loadConfig('svc', schema, { PORT: '70000', DEBUG: 'maybe', TOKENS: 's3cr3t' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT: expected an integer from 1 to 65535');
      expect(message).toContain('DEBUG: expected true or false');
      expect(message).not.toContain('70000');
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('requires brokers as host:port and a registry URL', () => {
    const attempt = () =>
      loadConfig('svc', kafkaEnvSchema, { KAFKA_BROKERS: 'localhost', SCHEMA_REGISTRY_URL: 'ftp://x' });
    expect(attempt).toThrow(/KAFKA_BROKERS.*host:port/s);
    expect(attempt).toThrow(/SCHEMA_REGISTRY_URL/);
  });

  it('rejects a partial SASL configuration', () => {
    const attempt = () =>
      loadConfig('svc', kafkaEnvSchema, {
        KAFKA_BROKERS: 'b1:9092',
        SCHEMA_REGISTRY_URL: 'http://registry:8081',
        KAFKA_SASL_MECHANISM: 'plain',
      });
    expect(attempt).toThrow(/go together/);
  });

  it('accepts a complete production configuration', () => {
    const sut = loadConfig('svc', kafkaEnvSchema, {
      KAFKA_BROKERS: 'b1:9096,b2:9096',
      SCHEMA_REGISTRY_URL: 'https://registry.example.com',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(sut.KAFKA_BROKERS).toEqual(['b1:9096', 'b2:9096']);
    expect(sut.KAFKA_SSL).toBe(true);
    expect(sut.KAFKA_TOPIC_PARTITIONS).toBe(6);
  });
});
