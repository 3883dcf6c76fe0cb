import { loadConfig } from '@crm/config';
import { Topics } from '@crm/contracts';

import { envSchema } from './env.schema';

describe('envSchema', () => {
  const required = { KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081' };

  it('defaults to port 3002, exactly-once and the contract topics', () => {
    const sut = loadConfig('aggregator', envSchema, required);
    expect(sut.PORT).toBe(3002);
    expect(sut.AGGREGATOR_EOS).toBe(true);
    expect(sut.AGGREGATOR_INPUT_TOPIC).toBe(Topics.entityExtracted);
    expect(sut.AGGREGATOR_STATE_TOPIC).toBe(Topics.aggregatorState);
    expect(sut.policy.debounceMs).toBe(1_000);
  });

  it('builds the aggregation policy from AGGREGATION_* variables', () => {
    const sut = loadConfig('aggregator', envSchema, {
      ...required,
      AGGREGATION_DEBOUNCE_MS: '250',
      AGGREGATOR_EOS: 'false',
    });
    expect(sut.policy.debounceMs).toBe(250);
    expect(sut.AGGREGATOR_EOS).toBe(false);
  });

  it('rejects a policy whose max wait is shorter than its debounce', () => {
    expect(() =>
      loadConfig('aggregator', envSchema, {
        ...required,
        AGGREGATION_DEBOUNCE_MS: '5000',
        AGGREGATION_MAX_WAIT_MS: '100',
      }),
    ).toThrow(/maxWaitMs must be >= debounceMs/);
  });
});
