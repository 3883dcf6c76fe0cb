// Each instance takes its partition share of the org's CRM rate budget, recomputed on every
// rebalance of the apply stage (one partition owns each record, so partitions carry the load).
import { type CrmClient } from '@crm/crm';
import { type BatchConsumer } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';

export function watchRateShare(
  consumer: BatchConsumer,
  topic: string,
  deps: { kafka: Kafka; limiter: CrmClient['limiter']; logger: Logger },
): void {
  consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, (event) => {
    void (async () => {
      const admin = deps.kafka.admin();
      await admin.connect();
      try {
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
        const total = metadata.topics[0]?.partitions.length ?? 0;
        const assigned = event.payload.memberAssignment[topic]?.length ?? 0;
        deps.limiter.setShare(assigned, total);
        deps.logger.info(
          { assigned, total, ratePerSecond: deps.limiter.effectiveRate() },
          'crm rate share updated',
        );
      } finally {
        await admin.disconnect();
      }
    })().catch((error: unknown) => deps.logger.warn({ err: error }, 'could not update the crm rate share'));
  });
}
