import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConversationEvent, MESSAGE_SCHEMAS, subjectFor } from '@crm/contracts';
import { AvroSerde, decodeKey, headerString } from '@crm/kafka-core';
import { collectTopic, createTestTopic, stackEnv, testKafka, uniqueName } from '@crm/testing';
import { type Admin, type Kafka } from 'kafkajs';
import { signBody } from './auth/request-authenticator';
import { type RunningIngest, startIngest, TEST_HMAC_SECRET, TEST_TOKEN } from './ingest-app.int-helper';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'genesys');
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

function dataAction(conversationId: string): string {
  return JSON.stringify({ ...fixture('valid/data-action.json'), conversationId });
}

async function post(
  app: RunningIngest,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${app.url}/v1/genesys/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}`, ...headers },
    body,
  });
}

async function endOffset(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

describe('ingest POST /v1/genesys/events (real broker)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let topic: string;
  let sut: RunningIngest;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    topic = await createTestTopic(admin, { prefix: 'ingest', partitions: 3 });
    sut = await startIngest({ topic });
  });

  afterAll(async () => {
    await sut.close();
    await admin.disconnect();
  });

  it('answers 202 only once the records are in the topic, keyed, Avro-framed and traced', async () => {
    const collector = await collectTopic(kafka, topic);
    try {
      const conversationId = uniqueName('conv');
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const before = await endOffset(admin, topic);
      const response = await post(sut, dataAction(conversationId), { traceparent });
      expect(response.status).toBe(202);
      const body = (await response.json()) as { accepted: number; eventIds: string[] };
      // Checked at once, without waiting: the 202 promised the broker already had them.
      expect(await endOffset(admin, topic)).toBe(before + 4);
      expect(body.accepted).toBe(4);

      const serde = AvroSerde.connect({ url: stackEnv().registryUrl });
      const reader = await serde.register<ConversationEvent>(
        subjectFor(topic, 'value'),
        MESSAGE_SCHEMAS['conversation-event'].value,
      );
      const mine = await collector.waitForCount(4);
      const decoded = await Promise.all(mine.map(({ message }) => serde.decodeAsync(message.value, reader)));
      expect(decoded.map((event) => event.eventId).sort()).toEqual([...body.eventIds].sort());
      expect(new Set(mine.map(({ message }) => decodeKey(message.key)))).toEqual(new Set([conversationId]));
      expect(new Set(mine.map(({ partition }) => partition)).size).toBe(1);
      expect(headerString(mine[0]?.message.headers, 'traceparent')).toBe(traceparent);
      expect(Number(headerString(mine[0]?.message.headers, 'x-hop-ts-ingest'))).toBeGreaterThan(0);
    } finally {
      await collector.stop();
    }
  });

  it('gives a redelivered body the same event ids', async () => {
    const body = dataAction(uniqueName('conv'));
    const first = (await (await post(sut, body)).json()) as { eventIds: string[] };
    const again = (await (await post(sut, body)).json()) as { eventIds: string[] };
    expect(again.eventIds).toEqual(first.eventIds);
  });

  it('creates a traceparent when the caller sent none', async () => {
    const response = await post(sut, JSON.stringify(fixture('valid/eventbridge-acw.json')));
    expect(response.status).toBe(202);
  });

  it('refuses a bad bearer token with 401 problem+json and produces nothing', async () => {
    const before = await endOffset(admin, topic);
    const response = await post(sut, dataAction(uniqueName('conv')), { authorization: 'Bearer wrong' });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 401,
      title: 'Missing or bad credentials',
      reason: 'BAD_TOKEN',
    });
    expect(await endOffset(admin, topic)).toBe(before);
  });

  it('accepts a body signed with HMAC-SHA256 inside the window', async () => {
    const body = dataAction(uniqueName('conv'));
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await post(sut, body, {
      authorization: '',
      'x-signature': signBody(TEST_HMAC_SECRET, timestamp, body),
      'x-signature-timestamp': String(timestamp),
    });
    expect(response.status).toBe(202);
  });

  it('refuses a correctly signed replay from outside the tolerance window', async () => {
    const body = dataAction(uniqueName('conv'));
    const timestamp = Math.floor(Date.now() / 1000) - 301;
    const response = await post(sut, body, {
      authorization: '',
      'x-signature': signBody(TEST_HMAC_SECRET, timestamp, body),
      'x-signature-timestamp': String(timestamp),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: 'OUTSIDE_TOLERANCE' });
  });

  it('refuses a signature over other bytes than the ones received', async () => {
    const body = dataAction(uniqueName('conv'));
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await post(sut, body.replace('conv', 'conx'), {
      authorization: '',
      'x-signature': signBody(TEST_HMAC_SECRET, timestamp, body),
      'x-signature-timestamp': String(timestamp),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: 'BAD_SIGNATURE' });
  });

  it.each([
    ['invalid JSON', '{"conversationId":', {}, 400],
    ['a wrong content type', '{}', { 'content-type': 'text/plain' }, 415],
    ['a body in no known format', '{"hello":"world"}', {}, 422],
    [
      'more events than allowed in one array',
      JSON.stringify(Array.from({ length: 501 }, () => ({}))),
      {},
      413,
    ],
    ['a body over the size limit', `{"pad":"${'x'.repeat(1_048_576)}"}`, {}, 413],
  ])('answers %s with problem+json %i', async (_case, body, headers, status) => {
    const response = await post(sut, body, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({
      status,
      type: expect.any(String) as unknown,
      title: expect.any(String) as unknown,
      detail: expect.any(String) as unknown,
    });
  });

  it('says in the 422 detail which formats are accepted and what was missing', async () => {
    const response = await post(
      sut,
      JSON.stringify([
        fixture('valid/notification-sentiment.json'),
        fixture('invalid/sentiment-without-score.json'),
      ]),
    );
    const problem = (await response.json()) as { detail: string; index: number; acceptedFormats: string[] };
    expect(response.status).toBe(422);
    expect(problem.index).toBe(1);
    expect(problem.detail).toContain('eventBody.sentimentOverallScore');
    expect(problem.acceptedFormats).toHaveLength(5);
  });

  it('drops heartbeats with a 202 and counts them', async () => {
    const response = await post(sut, JSON.stringify(fixture('valid/notification-heartbeat.json')));
    expect(await response.json()).toEqual({ accepted: 0, eventIds: [] });
    const scrape = await (await fetch(`${sut.url}/metrics`)).text();
    expect(scrape).toMatch(/ingest_heartbeats_dropped_total\{[^}]*\} [1-9]/);
    expect(scrape).toMatch(
      /ingest_events_total\{[^}]*source="WEBHOOK",kind="MESSAGE",outcome="accepted"[^}]*\} [1-9]/,
    );
    expect(scrape).toMatch(/ingest_http_responses_total\{[^}]*status="202"[^}]*\} [1-9]/);
  });

  it('reports ready while its producer is connected', async () => {
    const response = await fetch(`${sut.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ checks: { 'kafka-producer': true } });
  });
});
