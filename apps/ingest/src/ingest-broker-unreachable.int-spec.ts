import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName } from '@crm/testing';
import { type RunningIngest, startIngest, TEST_TOKEN } from './ingest-app.int-helper';

const FIXTURE = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'genesys', 'valid', 'data-action.json');

describe('ingest with its broker unreachable', () => {
  let sut: RunningIngest;

  beforeAll(async () => {
    // A closed port: the shared broker stays up for everyone else.
    sut = await startIngest({
      topic: uniqueName('ingest-down'),
      env: { KAFKA_BROKERS: '127.0.0.1:1', INGEST_SEND_TIMEOUT_MS: '500' },
      withoutBrokerConnect: true,
    });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('answers 503 with Retry-After instead of a false 202', async () => {
    const response = await fetch(`${sut.url}/v1/genesys/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: readFileSync(FIXTURE),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 503, reason: 'PRODUCE_FAILED' });
  });

  it('reports not ready while the producer is not connected', async () => {
    const response = await fetch(`${sut.url}/health/ready`);
    expect(response.status).toBe(503);
  });
});
