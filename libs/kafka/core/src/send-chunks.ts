// Splits one logical send into sends the broker accepts. kafkajs puts all of a send's records for a
// partition into one record batch, and a broker refuses a batch over `message.max.bytes` (1 MiB by
// default) with MESSAGE_TOO_LARGE, which no retry fixes: a transaction that carries the changelog
// of a thousand conversations would abort, be reprocessed and abort again, for ever. Each chunk
// stays under a byte budget, so every record batch does; a transaction may hold many chunks.
import { type Message, type TopicMessages } from 'kafkajs';

/** Half the broker's default `message.max.bytes`: room for the batch and record overheads. */
export const DEFAULT_SEND_CHUNK_BYTES = 512 * 1024;

/** Per-record framing a record batch adds around key, value and headers (varints, attributes). */
const RECORD_OVERHEAD_BYTES = 24;

function byteLength(value: Message['key'] | Message['value']): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** Bytes a record takes in a record batch, roughly and never less than it does. */
export function recordBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) bytes += Buffer.byteLength(name) + byteLength(value ?? null) + 4;
  }
  return bytes;
}

/**
 * Splits topic messages into chunks of at most `maxBytes` each (a record larger than that goes
 * alone), keeping every topic's records in order, so a partition's order is kept across chunks.
 */
export function chunkTopicMessages(
  topicMessages: readonly TopicMessages[],
  maxBytes: number = DEFAULT_SEND_CHUNK_BYTES,
): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let chunk: TopicMessages[] = [];
  let bytes = 0;
  for (const { topic, messages } of topicMessages) {
    let current: TopicMessages | undefined;
    for (const message of messages) {
      const size = recordBytes(message);
      if (bytes > 0 && bytes + size > maxBytes) {
        chunks.push(chunk);
        chunk = [];
        bytes = 0;
        current = undefined;
      }
      if (current === undefined) {
        current = { topic, messages: [] };
        chunk.push(current);
      }
      current.messages.push(message);
      bytes += size;
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
