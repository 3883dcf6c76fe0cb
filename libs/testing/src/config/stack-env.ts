// Where the tests find the local stack: set by the Jest global setup, overridable by the caller.
export interface StackEnv {
  brokers: string[];
  registryUrl: string;
}

export function stackEnv(): StackEnv {
  return {
    brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    registryUrl: process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
  };
}

/** The environment a spawned service inherits from the test process (PATH, NODE_OPTIONS, …). */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}
