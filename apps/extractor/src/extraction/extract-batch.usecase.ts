// Turns one consumed batch of one input partition into the records to produce, in input order:
// per event its accepted entities, then (for lifecycle events) the forwarded lifecycle record, on
// the entity stream; rejections on their own topic; undecodable records on the dead-letter topic.
// Nothing is produced here: the consumer sends the whole result in one batch, then commits.
import {
  type ConversationEvent,
  type DeadLetter,
  type EntityRejected,
  type EntityStreamRecord,
  MESSAGE_SCHEMAS,
  subjectFor,
} from '@crm/contracts';
import { contactHintsLifecycle, type Extractor, toLifecycle } from '@crm/extraction';
import {
  AvroSerde,
  DecodeError,
  encodeKey,
  forwardHeaders,
  type SchemaHandle,
  toDeadLetter,
} from '@crm/kafka-core';
import { type KafkaMessage, type Message, type TopicMessages } from 'kafkajs';
import { type ExtractionObserver, NO_OBSERVER } from './extraction-observer';
import { type ExtractorTopics } from './extractor-topics';
import { InvalidEventError } from './invalid-event.error';

export const SERVICE = 'extractor';

export interface ExtractBatchCommand {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
}

export interface ExtractBatchResult {
  /** Empty topics left out; each topic's messages in input order. */
  readonly topicMessages: TopicMessages[];
  readonly produced: number;
}

interface Handles {
  readonly event: SchemaHandle<ConversationEvent>;
  readonly stream: SchemaHandle<EntityStreamRecord>;
  readonly rejected: SchemaHandle<EntityRejected>;
  readonly deadLetter: SchemaHandle<DeadLetter>;
}

export class ExtractBatchUseCase {
  private readonly knownSchemaIds = new Set<number>();

  private constructor(
    private readonly serde: AvroSerde,
    private readonly handles: Handles,
    private readonly extractor: Extractor,
    private readonly topics: ExtractorTopics,
    private readonly observer: ExtractionObserver,
  ) {}

  /** Registers the reader and writer schemas under the topics' subjects, once at start. */
  static async create(
    serde: AvroSerde,
    extractor: Extractor,
    topics: ExtractorTopics,
    observer: ExtractionObserver = NO_OBSERVER,
  ): Promise<ExtractBatchUseCase> {
    const handles: Handles = {
      event: await serde.register<ConversationEvent>(
        subjectFor(topics.input, 'value'),
        MESSAGE_SCHEMAS['conversation-event'].value,
      ),
      stream: await serde.register<EntityStreamRecord>(
        subjectFor(topics.extracted, 'value'),
        MESSAGE_SCHEMAS['entity-extracted'].value,
      ),
      rejected: await serde.register<EntityRejected>(
        subjectFor(topics.rejected, 'value'),
        MESSAGE_SCHEMAS['entity-rejected'].value,
      ),
      deadLetter: await serde.register<DeadLetter>(
        subjectFor(topics.deadLetter, 'value'),
        MESSAGE_SCHEMAS['dead-letter'].value,
      ),
    };
    return new ExtractBatchUseCase(serde, handles, extractor, topics, observer);
  }

  async execute(command: ExtractBatchCommand): Promise<ExtractBatchResult> {
    const failedIds = await this.prepareWriterSchemas(command.messages);
    const stream: Message[] = [];
    const rejected: Message[] = [];
    const deadLetters: Message[] = [];
    for (const message of command.messages) {
      const started = performance.now();
      let event: ConversationEvent;
      try {
        event = this.decode(message, failedIds);
      } catch (error) {
        deadLetters.push(this.deadLetter(command, message, error));
        continue;
      }
      const lifecycle = toLifecycle(event);
      if (lifecycle === null) {
        let result;
        try {
          result = this.extractor.extract(event);
        } catch (error) {
          // A defect in extraction must not stop the partition: park the record for re-drive.
          deadLetters.push(this.deadLetter(command, message, error, 'EXTRACTION_FAILED'));
          continue;
        }
        if (result.pciRedactions > 0) this.observer.pciRedactions(result.pciRedactions);
        if (result.accepted.length > 0 || result.rejected.length > 0) {
          const headers = forwardHeaders(message.headers, SERVICE);
          const key = encodeKey(event.conversationId);
          const hints = result.accepted.length > 0 ? contactHintsLifecycle(event) : null;
          if (hints !== null) {
            const value = this.serde.encode(this.handles.stream, {
              payload: { 'crm.extraction.ConversationLifecycle': hints },
            });
            stream.push({ key, value, headers });
          }
          for (const entity of result.accepted) {
            const value = this.serde.encode(this.handles.stream, {
              payload: { 'crm.extraction.EntityExtracted': entity },
            });
            stream.push({ key, value, headers });
            this.observer.accepted(entity.entityType);
          }
          for (const rejection of result.rejected) {
            rejected.push({ key, value: this.serde.encode(this.handles.rejected, rejection), headers });
            this.observer.rejected(rejection.entityType, rejection.reason);
          }
        }
      } else {
        const value = this.serde.encode(this.handles.stream, {
          payload: { 'crm.extraction.ConversationLifecycle': lifecycle },
        });
        stream.push({
          key: encodeKey(event.conversationId),
          value,
          headers: forwardHeaders(message.headers, SERVICE),
        });
      }
      this.observer.processed((performance.now() - started) / 1000);
    }
    const topicMessages: TopicMessages[] = [];
    if (stream.length > 0) topicMessages.push({ topic: this.topics.extracted, messages: stream });
    if (rejected.length > 0) topicMessages.push({ topic: this.topics.rejected, messages: rejected });
    if (deadLetters.length > 0) topicMessages.push({ topic: this.topics.deadLetter, messages: deadLetters });
    return { topicMessages, produced: stream.length + rejected.length + deadLetters.length };
  }

  /**
   * Fetches writer schemas not seen yet, once per id, so the per-record decode stays synchronous.
   * Ids the registry does not know are returned (their records are dead-lettered); a registry that
   * cannot be reached fails the batch, which is then redelivered.
   */
  private async prepareWriterSchemas(messages: readonly KafkaMessage[]): Promise<Map<number, DecodeError>> {
    const failed = new Map<number, DecodeError>();
    for (const message of messages) {
      let id: number;
      try {
        id = AvroSerde.schemaIdOf(message.value);
      } catch {
        continue;
      }
      if (this.knownSchemaIds.has(id) || failed.has(id)) continue;
      try {
        await this.serde.prepare(message.value);
        this.knownSchemaIds.add(id);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        failed.set(id, error);
      }
    }
    return failed;
  }

  private decode(message: KafkaMessage, failedIds: Map<number, DecodeError>): ConversationEvent {
    const id = AvroSerde.schemaIdOf(message.value);
    const failure = failedIds.get(id);
    if (failure !== undefined) throw failure;
    const event = this.serde.decode(message.value, this.handles.event);
    if (!event.eventId) throw new InvalidEventError('conversation event has no eventId');
    if (!event.conversationId) throw new InvalidEventError('conversation event has no conversationId');
    return event;
  }

  private deadLetter(
    command: ExtractBatchCommand,
    message: KafkaMessage,
    error: unknown,
    reason?: string,
  ): Message {
    const letter = toDeadLetter({
      service: SERVICE,
      topic: command.topic,
      partition: command.partition,
      message,
      error,
      ...(reason === undefined ? {} : { reason }),
    });
    this.observer.deadLettered(letter.reason);
    return {
      key: message.key ?? null,
      value: this.serde.encode(this.handles.deadLetter, letter),
      headers: forwardHeaders(message.headers, SERVICE),
    };
  }
}
