// Jest global setup for integration tiers: make sure the real local Kafka and registry are up
// (a no-op when they are), then point the test workers at them. When KAFKA_BROKERS and
// SCHEMA_REGISTRY_URL are both set, the tests use that stack as it is and start nothing.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  if (process.env.KAFKA_BROKERS && process.env.SCHEMA_REGISTRY_URL) return;
  const root = join(__dirname, '../../..');
  const result = spawnSync(process.execPath, [join(root, 'tools/local-stack/stack.mjs'), 'up'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new Error('The local Kafka/registry stack did not start; see the [local-stack] lines above.');
  }
  const kafkaPort = process.env.LOCAL_KAFKA_PORT || '9092';
  const registryPort = process.env.LOCAL_REGISTRY_PORT || '8081';
  process.env.KAFKA_BROKERS = `127.0.0.1:${kafkaPort}`;
  process.env.SCHEMA_REGISTRY_URL = `http://127.0.0.1:${registryPort}/apis/ccompat/v7`;
};
