// Dead letters: the original bytes and position of a message a service could not process, with
// the reason, so nothing is lost and it can be re-driven. The record shape mirrors the contract's
// DeadLetter value (libs/contracts dead-letter/value.avsc); this lib stays free of contracts.
import { type IHeaders, type KafkaMessage } from 'kafkajs';
import { isRetriable, reasonOf } from './errors';

export interface DeadLetterRecord {
  service: string;
  originalTopic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
  conversationId: string | null;
  errorClass: string;
  reason: string;
  detail: string;
  retriable: boolean;
  attempts: number;
  firstFailureAt: number;
  lastFailureAt: number;
}

export interface DeadLetterInput {
  service: string;
  topic: string;
  partition: number;
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;
  error: unknown;
  conversationId?: string | null;
  /** Overrides the reason derived from the error (e.g. CONTACT_UNRESOLVED). */
  reason?: string;
  attempts?: number;
  firstFailureAt?: number;
  now?: number;
}

function headerBuffers(headers: IHeaders | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined) out[name] = Buffer.isBuffer(value) ? value : Buffer.from(value);
  }
  return out;
}

export function toDeadLetter(input: DeadLetterInput): DeadLetterRecord {
  const now = input.now ?? Date.now();
  const error = input.error;
  // The detail is the error's own message: ours never contain entity values or text.
  const detail = error instanceof Error ? error.message : String(error);
  return {
    service: input.service,
    originalTopic: input.topic,
    partition: input.partition,
    offset: input.message.offset,
    key: input.message.key ?? null,
    value: input.message.value ?? null,
    headers: headerBuffers(input.message.headers),
    conversationId: input.conversationId ?? input.message.key?.toString('utf8') ?? null,
    errorClass: error instanceof Error ? error.name : 'Error',
    reason: input.reason ?? reasonOf(error),
    detail: detail.slice(0, 2000),
    retriable: isRetriable(error),
    attempts: input.attempts ?? 1,
    firstFailureAt: input.firstFailureAt ?? now,
    lastFailureAt: now,
  };
}
