// Shared by the writer's integration specs: a unique set of topics per test, typed produce/collect
// helpers on them, and the writer's environment pointed at a Salesforce-compatible CRM URL.
import { join } from 'node:path';
import {
  type ContactUpdateRequested,
  type ContactUpdateResult,
  type DeadLetter,
  schemaOf,
  subjectFor,
} from '@crm/contracts';
import { FakeCrmServer } from '@crm/crm/testing';
import { AvroSerde } from '@crm/kafka-core';
import {
  collectTopic,
  createTestTopic,
  stackEnv,
  type TopicCollector,
  uniqueName,
  useKafkaClients,
} from '@crm/testing';
import { type Admin, type Kafka, type Producer } from 'kafkajs';
import { type WriterTopics } from '../writer.pipeline';

export const FIELD_MAPPING_FILE = join(__dirname, '../../../../config/field-mapping.json');
export const T0 = 1_764_500_000_000;

/** What every writer spec file shares: the CRM fake and a connected admin and producer. */
export interface WriterWorld {
  readonly fake: FakeCrmServer;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
}

/** Starts the world before the file's tests and stops it after them. */
export function useWriterWorld(): WriterWorld {
  const fake = new FakeCrmServer();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  return { fake, ...useKafkaClients() };
}

export async function createWriterTopics(admin: Admin, partitions = 2): Promise<WriterTopics> {
  return {
    requests: await createTestTopic(admin, { prefix: 'cw-req', partitions }),
    byRecord: await createTestTopic(admin, { prefix: 'cw-rec', partitions }),
    results: await createTestTopic(admin, { prefix: 'cw-res' }),
    deadLetter: await createTestTopic(admin, { prefix: 'cw-dl' }),
    writeState: await createTestTopic(admin, {
      prefix: 'cw-state',
      configs: { 'cleanup.policy': 'compact' },
    }),
  };
}

/** The writer's environment (as strings) for a Salesforce-compatible CRM at `crmUrl`. */
export function writerEnv(crmUrl: string, topics: WriterTopics, extra: Record<string, string> = {}) {
  const { brokers, registryUrl } = stackEnv();
  return {
    KAFKA_BROKERS: brokers.join(','),
    SCHEMA_REGISTRY_URL: registryUrl,
    CRM_PROVIDER: 'salesforce',
    SALESFORCE_INSTANCE_URL: crmUrl,
    SALESFORCE_TOKEN_URL: `${crmUrl}/services/oauth2/token`,
    SALESFORCE_CLIENT_ID: 'id',
    SALESFORCE_CLIENT_SECRET: 'secret',
    FIELD_MAPPING_FILE,
    CRM_RETRY_BASE_MS: '10',
    CRM_RETRY_MAX_MS: '50',
    CRM_WRITER_GROUP_PREFIX: uniqueName('cw'),
    CRM_WRITER_REQUESTS_TOPIC: topics.requests,
    CRM_WRITER_BY_RECORD_TOPIC: topics.byRecord,
    CRM_WRITER_RESULTS_TOPIC: topics.results,
    CRM_WRITER_DEAD_LETTER_TOPIC: topics.deadLetter,
    CRM_WRITER_STATE_TOPIC: topics.writeState,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

export function anOrderUpdate(contactId: string, order: string, at = T0): ContactUpdateRequested {
  return {
    updateId: uniqueName('upd'),
    conversationId: uniqueName('conv'),
    contact: { contactId, externalContactId: null, email: null, phone: null },
    crmObject: 'Contact',
    values: { OrderNumber: { value: order, entityId: 'e1', confidence: 0.95, occurredAt: at } },
    trigger: 'ENDED',
    mediaType: 'VOICE',
    conversationAt: at,
    requestedAt: at,
    replay: false,
  };
}

export class WriterTopicsClient {
  private readonly serde = AvroSerde.connect({ url: stackEnv().registryUrl });

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly topics: WriterTopics,
  ) {}

  async send(updates: readonly ContactUpdateRequested[]): Promise<void> {
    const handle = await this.serde.register<ContactUpdateRequested>(
      subjectFor(this.topics.requests, 'value'),
      schemaOf('contact-update-requested', 'value'),
    );
    await this.producer.send({
      topic: this.topics.requests,
      messages: updates.map((u) => ({ key: u.conversationId, value: this.serde.encode(handle, u) })),
    });
  }

  /** Reads the results topic until `count` results are there, decoded. */
  async results(count: number): Promise<ContactUpdateResult[]> {
    return this.read(await this.collectResults(), count);
  }

  /** Reads the dead-letter topic until `count` dead letters are there, decoded. */
  async deadLetters(count: number): Promise<DeadLetter[]> {
    return this.read(await this.collectDeadLetters(), count);
  }

  collectResults(): Promise<TypedCollector<ContactUpdateResult>> {
    return this.collect(this.topics.results, 'contact-update-result');
  }

  collectDeadLetters(): Promise<TypedCollector<DeadLetter>> {
    return this.collect(this.topics.deadLetter, 'dead-letter');
  }

  private async read<T>(typed: TypedCollector<T>, count: number): Promise<T[]> {
    try {
      await typed.collector.waitForCount(count, { timeoutMs: 30_000 });
      return await typed.decoded();
    } finally {
      await typed.collector.stop();
    }
  }

  private async collect<T>(
    topic: string,
    message: 'contact-update-result' | 'dead-letter',
  ): Promise<TypedCollector<T>> {
    const handle = await this.serde.register<T>(subjectFor(topic, 'value'), schemaOf(message, 'value'));
    const collector = await collectTopic(this.kafka, topic);
    return {
      collector,
      decoded: () =>
        Promise.all(collector.messages.map((m) => this.serde.decodeAsync(m.message.value, handle))),
    };
  }
}

export interface TypedCollector<T> {
  collector: TopicCollector;
  decoded(): Promise<T[]>;
}
