// Thin edge: reads the raw conversation-events topic in the poller's own group and, for every
// CONVERSATION_ENDED of a polled media type, writes the first AnalyticsPoll onto the schedule topic.
// Offsets are resolved only after the schedule write was acknowledged.
import { type ConversationEvent, type MediaType, schemaOf, subjectFor } from '@crm/contracts';
import { type AvroSerde, BatchConsumer, type SchemaHandle } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';
import { firstPoll, isStillPollable, type PollScheduleSettings } from './poll-schedule';
import { type PollScheduleWriter } from './poll-schedule.writer';

export interface ConversationEndedConsumerOptions {
  kafka: Kafka;
  serde: AvroSerde;
  groupId: string;
  eventsTopic: string;
  writer: PollScheduleWriter;
  settings: PollScheduleSettings;
  mediaTypes: readonly MediaType[];
  logger: Logger;
  metrics?: Registry;
  now?: () => number;
}

export class ConversationEndedConsumer {
  private consumer: BatchConsumer | undefined;

  constructor(private readonly options: ConversationEndedConsumerOptions) {}

  isReady(): boolean {
    return this.consumer?.isReady() ?? false;
  }

  async start(): Promise<void> {
    const { serde, eventsTopic } = this.options;
    const reader = await serde.register<ConversationEvent>(
      subjectFor(eventsTopic, 'value'),
      schemaOf('conversation-event', 'value'),
    );
    this.consumer = new BatchConsumer({
      kafka: this.options.kafka,
      groupId: this.options.groupId,
      topics: [eventsTopic],
      logger: this.options.logger,
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      handleBatch: async (payload) => {
        const { batch } = payload;
        const now = (this.options.now ?? Date.now)();
        const polls = [];
        for (const message of batch.messages) {
          const event = await this.decode(message.value, reader, batch.partition, message.offset);
          if (event?.kind !== 'CONVERSATION_ENDED' || !this.options.mediaTypes.includes(event.mediaType))
            continue;
          // A new group reads the retained topic from the start: only recent ends become polls.
          if (isStillPollable(event, this.options.settings, now))
            polls.push(firstPoll(event, this.options.settings, now));
        }
        await this.options.writer.write(polls);
        const last = batch.messages.at(-1);
        if (last) payload.resolveOffset(last.offset);
        if (polls.length > 0)
          this.options.logger.info(
            { polls: polls.length, partition: batch.partition },
            'scheduled analytics polls',
          );
        await payload.heartbeat();
      },
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  /** Undecodable records are the extractor's to dead-letter; the poller only skips them. */
  private async decode(
    value: Buffer | null,
    reader: SchemaHandle<ConversationEvent>,
    partition: number,
    offset: string,
  ): Promise<ConversationEvent | undefined> {
    try {
      return await this.options.serde.decodeAsync(value, reader);
    } catch (error) {
      this.options.logger.warn(
        { err: error, topic: this.options.eventsTopic, partition, offset },
        'skipping undecodable conversation event',
      );
      return undefined;
    }
  }
}
