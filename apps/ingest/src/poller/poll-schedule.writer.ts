// Writes the poller's schedule to its compacted topic: an AnalyticsPoll per pending conversation,
// a tombstone (null value) once it is done. Keys are the conversationId as raw UTF-8.
import { type AnalyticsPoll, schemaOf, subjectFor } from '@crm/contracts';
import {
  type MessageProducer,
  ACKS_ALL,
  type AvroSerde,
  encodeKey,
  type SchemaHandle,
} from '@crm/kafka-core';

export class PollScheduleWriter {
  private constructor(
    private readonly producer: MessageProducer,
    private readonly serde: AvroSerde,
    private readonly handle: SchemaHandle<AnalyticsPoll>,
    readonly topic: string,
  ) {}

  static async create(
    producer: MessageProducer,
    serde: AvroSerde,
    topic: string,
  ): Promise<PollScheduleWriter> {
    const handle = await serde.register<AnalyticsPoll>(
      subjectFor(topic, 'value'),
      schemaOf('analytics-poll', 'value'),
    );
    return new PollScheduleWriter(producer, serde, handle, topic);
  }

  get schema(): SchemaHandle<AnalyticsPoll> {
    return this.handle;
  }

  async write(polls: readonly AnalyticsPoll[]): Promise<void> {
    if (polls.length === 0) return;
    await this.producer.send({
      topic: this.topic,
      acks: ACKS_ALL,
      messages: polls.map((poll) => ({
        key: encodeKey(poll.conversationId),
        value: this.serde.encode(this.handle, poll),
      })),
    });
  }

  async tombstone(conversationId: string): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: ACKS_ALL,
      messages: [{ key: encodeKey(conversationId), value: null }],
    });
  }
}
