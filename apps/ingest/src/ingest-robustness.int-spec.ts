import { randomBytes } from 'node:crypto';
import { createTestTopic, testKafka } from '@crm/testing';
import { type RunningIngest, startIngest, TEST_TOKEN } from './ingest-app.int-helper';

/** Deterministic generator of malformed bodies: broken JSON, wrong shapes, wrong types, odd bytes. */
function malformedBodies(count: number): Array<{ body: Buffer; contentType: string }> {
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  const pick = <T>(items: readonly T[]): T => items[next() % items.length] as T;
  const valid = JSON.stringify({
    conversationId: 'c-1',
    mediaType: 'message',
    messages: [{ id: 'm', from: 'customer', text: 'hi', timestamp: 1 }],
  });
  const shapes: Array<() => string | Buffer> = [
    () => valid.slice(0, next() % valid.length),
    () => randomBytes(1 + (next() % 200)),
    () => JSON.stringify(pick([null, 1, 'text', true, [], [1, 2], {}, [{}]])),
    () =>
      JSON.stringify({
        topicName: pick([1, null, '', 'v2.detail.events.conversation.x.acw']),
        eventBody: pick([null, 'x', [], { conversationId: 5 }]),
      }),
    () =>
      JSON.stringify({
        'detail-type': 'x',
        detail: pick([
          null,
          'x',
          {},
          { topicName: 'v2.conversations.x.transcription', eventBody: { transcripts: 'no' } },
        ]),
      }),
    () =>
      JSON.stringify({
        id: pick([1, 'c']),
        type: 'Conversation Analytics Available',
        analytics: pick([null, {}, { speech_analytics: { entities: [{ value: {} }] } }]),
      }),
    () =>
      JSON.stringify({
        conversationId: pick(['', 'c', 7]),
        mediaType: 'x',
        messages: pick([null, 'x', [null], [{ text: 1 }], [{ text: 'a', timestamp: 'never' }]]),
      }),
    () => JSON.stringify({ conversationId: 'c', transcripts: pick([null, [1], [{ phrases: 'x' }]]) }),
    () => '['.repeat(1 + (next() % 5000)),
    () => `{"a":${'{"a":'.repeat(next() % 2000)}1${'}'.repeat(next() % 2000)}}`,
    () => Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0x80, 0x22, 0x7d]),
    () => '',
    () => JSON.stringify(Array.from({ length: 1 + (next() % 20) }, () => ({ junk: next() }))),
  ];
  return Array.from({ length: count }, (_, index) => {
    const raw = (shapes[index % shapes.length] as () => string | Buffer)();
    return {
      body: Buffer.isBuffer(raw) ? raw : Buffer.from(raw),
      contentType:
        next() % 10 === 0
          ? pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded'])
          : 'application/json',
    };
  });
}

describe('ingest under 1,000 malformed bodies (real broker)', () => {
  let sut: RunningIngest;

  beforeAll(async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const topic = await createTestTopic(admin, { prefix: 'ingest-fuzz' });
    await admin.disconnect();
    sut = await startIngest({ topic });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('answers every one with a 4xx problem and stays up', async () => {
    const bodies = malformedBodies(1000);
    const statuses: number[] = [];
    for (let start = 0; start < bodies.length; start += 25) {
      const chunk = bodies.slice(start, start + 25);
      const responses = await Promise.all(
        chunk.map(({ body, contentType }) =>
          fetch(`${sut.url}/v1/genesys/events`, {
            method: 'POST',
            headers: { 'content-type': contentType, authorization: `Bearer ${TEST_TOKEN}` },
            body,
          }),
        ),
      );
      for (const response of responses) {
        statuses.push(response.status);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        await response.arrayBuffer();
      }
    }
    expect(statuses).toHaveLength(1000);
    expect(statuses.filter((status) => status < 400 || status >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([400, 415, 422]));
    expect((await fetch(`${sut.url}/health/live`)).status).toBe(200);
  });
});
