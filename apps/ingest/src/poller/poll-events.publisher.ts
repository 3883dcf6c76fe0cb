// Produces the poller's ConversationEvents onto the raw conversation-events topic, keyed by
// conversationId so they stay ordered with the conversation's other events.
import { type ConversationEvent, schemaOf, subjectFor } from '@crm/contracts';
import {
  type MessageProducer,
  ACKS_ALL,
  type AvroSerde,
  encodeKey,
  forwardHeaders,
  type SchemaHandle,
} from '@crm/kafka-core';

export const POLLER_HOP = 'ingest';

export class PollEventsPublisher {
  private constructor(
    private readonly producer: MessageProducer,
    private readonly serde: AvroSerde,
    private readonly handle: SchemaHandle<ConversationEvent>,
    readonly topic: string,
  ) {}

  static async create(
    producer: MessageProducer,
    serde: AvroSerde,
    topic: string,
  ): Promise<PollEventsPublisher> {
    const handle = await serde.register<ConversationEvent>(
      subjectFor(topic, 'value'),
      schemaOf('conversation-event', 'value'),
    );
    return new PollEventsPublisher(producer, serde, handle, topic);
  }

  get schema(): SchemaHandle<ConversationEvent> {
    return this.handle;
  }

  async publish(events: readonly ConversationEvent[]): Promise<void> {
    if (events.length === 0) return;
    const headers = forwardHeaders(undefined, POLLER_HOP);
    await this.producer.send({
      topic: this.topic,
      acks: ACKS_ALL,
      messages: events.map((event) => ({
        key: encodeKey(event.conversationId),
        value: this.serde.encode(this.handle, event),
        headers,
      })),
    });
  }
}
