// For the broker stop/restart test (ingest-broker-outage.int-spec.ts, on a private stack so the shared
// broker is never stopped). Drives ingest through an outage and checks the promise of a 202: every
// acknowledged event is on the topic after the broker is back, and the outage itself answered 503
// with Retry-After, never a false 202 (any other status throws).
import { type ConversationEvent, MESSAGE_SCHEMAS, subjectFor } from '@crm/contracts';
import { AvroSerde } from '@crm/kafka-core';
import { collectTopic, waitFor } from '@crm/testing';
import { type Kafka } from 'kafkajs';
import { type RunningIngest, TEST_TOKEN } from './ingest-app.int-helper';

export interface OutageHooks {
  stopBroker(): Promise<void>;
  startBroker(): Promise<void>;
  /** The registry holding the topic's schema (the stack the broker belongs to). */
  registryUrl: string;
}

export interface OutageReport {
  acknowledged: number;
  /** Acknowledged while the broker was stopped: must stay 0. */
  acknowledgedDuringOutage: number;
  unavailable: number;
  retryAfterMissing: number;
  missingFromTopic: string[];
  /** From the broker's restart to the first 202. */
  recoveryMs: number;
}

export async function driveThroughBrokerOutage(
  ingest: RunningIngest,
  kafka: Kafka,
  topic: string,
  hooks: OutageHooks,
): Promise<OutageReport> {
  const acknowledged = new Set<string>();
  let unavailable = 0;
  let retryAfterMissing = 0;
  let acknowledgedDuringOutage = 0;
  let brokerDown = false;
  let sequence = 0;
  const send = async (): Promise<number> => {
    sequence += 1;
    const response = await fetch(`${ingest.url}/v1/genesys/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({
        conversationId: `outage-${sequence % 7}`,
        mediaType: 'message',
        messages: [
          { id: `m-${sequence}`, from: 'customer', text: 'order 1234567890', timestamp: Date.now() },
        ],
      }),
    });
    if (response.status === 202) {
      if (brokerDown) acknowledgedDuringOutage += 1;
      for (const id of ((await response.json()) as { eventIds: string[] }).eventIds) acknowledged.add(id);
    } else if (response.status === 503) {
      unavailable += 1;
      if (response.headers.get('retry-after') === null) retryAfterMissing += 1;
      await response.arrayBuffer();
    } else throw new Error(`unexpected status ${response.status} during the outage`);
    return response.status;
  };

  for (let i = 0; i < 20; i += 1) await send();
  await hooks.stopBroker();
  brokerDown = true;
  await waitFor(async () => (await send()) === 503, {
    timeoutMs: 60_000,
    description: 'ingest answers 503 once the broker is down',
  });
  for (let i = 0; i < 20; i += 1) await send();
  await hooks.startBroker();
  brokerDown = false;
  const restarted = Date.now();
  await waitFor(async () => (await send()) === 202, {
    timeoutMs: 120_000,
    intervalMs: 250,
    description: 'ingest answers 202 once the broker is back',
  });
  const recoveryMs = Date.now() - restarted;
  for (let i = 0; i < 20; i += 1) await send();

  const serde = AvroSerde.connect({ url: hooks.registryUrl });
  const reader = await serde.register<ConversationEvent>(
    subjectFor(topic, 'value'),
    MESSAGE_SCHEMAS['conversation-event'].value,
  );
  const collector = await collectTopic(kafka, topic);
  try {
    const seen = new Set<string>();
    await waitFor(
      async () => {
        for (const { message } of collector.messages.splice(0))
          seen.add((await serde.decodeAsync(message.value, reader)).eventId);
        return [...acknowledged].every((id) => seen.has(id));
      },
      { timeoutMs: 60_000, description: 'every acknowledged event on the topic' },
    ).catch(() => undefined);
    return {
      acknowledged: acknowledged.size,
      acknowledgedDuringOutage,
      unavailable,
      retryAfterMissing,
      missingFromTopic: [...acknowledged].filter((id) => !seen.has(id)),
      recoveryMs,
    };
  } finally {
    await collector.stop();
  }
}
