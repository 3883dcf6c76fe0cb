// When the CRM does not converge, says where each missing conversation stopped: every record of
// every pipeline topic whose key names the conversation or its contact, decoded to one short line
// (type, entity or lifecycle kind, fields, trigger). So a failed run in CI, where only the tail of
// the output is kept, shows which hop lost or held the update instead of only the CRM's final state.
import { MESSAGE_SCHEMAS, subjectFor, TOPIC_SPECS, type TopicName } from '@crm/contracts';
import { AvroSerde, decodeKey, type SchemaHandle } from '@crm/kafka-core';
import { type Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';

export interface TraceTarget {
  readonly label: string;
  readonly conversationId: string;
  readonly contactId: string;
}

const TRACED: readonly TopicName[] = [
  'genesys.external.conversation-events.v1',
  'crm.internal.entity-extracted.v1',
  'crm.internal.entity-rejected.v1',
  'crm.internal.contact-update-requested.v1',
  'crm.internal.contact-update-by-record.v1',
  'crm.internal.contact-update-result.v1',
  'crm.internal.dead-letter.v1',
];

/** One short line of a decoded record: the names and small scalar values that say what it is. */
function summarise(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value.slice(0, 60);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  if (typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) return `[${value.map((item) => summarise(item, depth + 1)).join(', ')}]`;
  if (depth > 3) return '{…}';
  const parts: string[] = [];
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
    if (/text|transcript|headers|payloadBase64|original/i.test(name)) continue;
    if (inner === null) continue;
    parts.push(`${name}=${summarise(inner, depth + 1)}`);
  }
  return `{${parts.join(' ')}}`;
}

export async function traceConversations(
  kafka: Kafka,
  registryUrl: string,
  targets: readonly TraceTarget[],
): Promise<string[]> {
  const serde = AvroSerde.connect({ url: registryUrl });
  const handles = new Map<string, SchemaHandle<unknown>>();
  for (const topic of TRACED) {
    const spec = TOPIC_SPECS.find((entry) => entry.name === topic);
    if (spec === undefined) continue;
    handles.set(topic, await serde.register(subjectFor(topic, 'value'), MESSAGE_SCHEMAS[spec.message].value));
  }
  const lines = new Map<TraceTarget, string[]>(targets.map((target) => [target, []]));
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  try {
    for (const topic of TRACED) {
      for (const entry of await admin.fetchTopicOffsets(topic))
        if (Number(entry.high) > 0) ends.set(`${topic}/${entry.partition}`, Number(entry.high));
    }
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `chaos-trace-${randomUUID()}`, readUncommitted: false });
  const pending = new Set(ends.keys());
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...TRACED], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`trace did not reach ${[...pending][0]}`)), 60_000);
      if (pending.size === 0) {
        clearTimeout(timer);
        resolve();
      }
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const id = `${payload.topic}/${payload.partition}`;
        if (Number(payload.lastOffset) + 1 >= (ends.get(id) ?? 0)) pending.delete(id);
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      void consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const key = decodeKey(message.key) ?? '';
            for (const target of targets) {
              if (!key.includes(target.conversationId) && !key.includes(target.contactId)) continue;
              let body: string;
              try {
                body = summarise(await serde.decodeAsync(message.value, handles.get(topic)!));
              } catch (error) {
                body = `undecodable: ${(error as Error).message}`;
              }
              const short = topic.replace(/^(genesys|crm)\.(external|internal)\./, '').replace(/\.v1$/, '');
              lines.get(target)!.push(`  ${short}[${partition}@${message.offset}] ${body}`);
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return targets.flatMap((target) => [
    `${target.label}, conversation ${target.conversationId}:`,
    ...(lines.get(target)!.length > 0 ? lines.get(target)! : ['  no record on any pipeline topic']),
  ]);
}
