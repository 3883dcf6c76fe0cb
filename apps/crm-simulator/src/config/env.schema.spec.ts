import { faultsFromEnv, settingsFromEnv } from '../create-app';
import { envSchema } from './env.schema';

describe('envSchema', () => {
  it('lays the single-purpose variables over the JSON faults', () => {
    const sut = envSchema.parse({
      SIMULATOR_FAULTS: JSON.stringify({
        bursts: [{ status: 429, count: 3 }],
        tokenTtlSeconds: { dynamics: 60 },
      }),
      SIMULATOR_TOKEN_TTL_SECONDS_SALESFORCE: '5',
      SIMULATOR_LATENCY_MS: '20',
      SIMULATOR_DAILY_API_LIMIT: '100',
    });

    expect(faultsFromEnv(sut)).toMatchObject({
      bursts: [{ status: 429, count: 3, retryAfterSeconds: 1 }],
      tokenTtlSeconds: { salesforce: 5, dynamics: 60 },
      latency: { fixedMs: 20, jitterMs: 0 },
      dailyApiLimit: 100,
    });
  });

  it('refuses SIMULATOR_FAULTS that is not a valid fault configuration', () => {
    expect(envSchema.safeParse({ SIMULATOR_FAULTS: '{"bursts":[{"status":418}]}' }).success).toBe(false);
    expect(envSchema.safeParse({ SIMULATOR_FAULTS: 'not json' }).success).toBe(false);
  });

  it('parses alternate keys and the empty seed', () => {
    const settings = settingsFromEnv(
      envSchema.parse({
        SIMULATOR_DYNAMICS_ALTERNATE_KEYS: 'emailaddress1; firstname,lastname',
        SIMULATOR_SEED: 'empty',
      }),
    );

    expect(settings.dynamics.alternateKeys).toEqual([['emailaddress1'], ['firstname', 'lastname']]);
    expect(settings.seed).toEqual({ salesforce: [], dynamics: [] });
  });
});
