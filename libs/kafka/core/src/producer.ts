// Producers: idempotent with acks=all for every service; transactional for consume-transform-produce.
// Both use kafkajs' DefaultPartitioner (murmur2, as the Java client), so a conversation lands on the
// same partition whichever client produced it.
import { type Kafka, Partitioners, type Producer } from 'kafkajs';

export interface ProducerSettings {
  /** Upper bound on one send, including retries; the caller answers 503 past it. */
  sendTimeoutMs?: number;
}

/**
 * Idempotent producer (enable.idempotence, acks=all, retries unbounded inside kafkajs): a send that
 * resolves has been written to every in-sync replica exactly once.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
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
