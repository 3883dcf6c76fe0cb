// Producers: idempotent with acks=all for every service; transactional for consume-transform-produce.
// Both use kafkajs' DefaultPartitioner (murmur2, as the Java client), so a conversation lands on the
// same partition whichever client produced it.
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import { SafeIdempotentProducer, type SafeProducerOptions } from './safe-producer';

export interface ProducerSettings {
  /** Upper bound on one send, including retries; the caller answers 503 past it. */
  sendTimeoutMs?: number;
}

/**
 * Idempotent producer (enable.idempotence, acks=all): a send that resolves has been written to
 * every in-sync replica exactly once. kafkajs gives it the client's retry settings (5 retries by
 * default, not the unbounded retries its docs describe), and a send that fails after those may
 * have been written: SafeIdempotentProducer replaces the producer after such a send, so its
 * sequence numbers are never reused (see there), and runs one send at a time per producer.
 */
export function createIdempotentProducer(
  kafka: Kafka,
  options: SafeProducerOptions = {},
): SafeIdempotentProducer {
  return new SafeIdempotentProducer(
    () =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    options,
  );
}

/** Transactional producer; one per consumer-group member, with a stable id per member and input. */
export function createTransactionalProducer(
  kafka: Kafka,
  transactionalId: string,
  transactionTimeoutMs = 60_000,
): Producer {
  return kafka.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: transactionTimeoutMs,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

export const ACKS_ALL = -1;
