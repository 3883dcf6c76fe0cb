import { type DeadLetter, MESSAGE_SCHEMAS, subjectFor } from '@crm/contracts';
import { AvroSerde } from '@crm/kafka-core';
import { collectTopic, createTestTopic, stackEnv, useKafkaClients } from '@crm/testing';
import { ReplayHeaders } from '../replay/replay-headers';
import { testToolContext } from '../testing/tool-context.fixture';
import { groupByReason } from './dead-letter-groups';
import { readDeadLetters } from './read-dead-letters';
import { redriveDeadLetters } from './redrive-dead-letters.usecase';

describe(redriveDeadLetters.name, () => {
  const { kafka, admin, producer } = useKafkaClients();

  function aDeadLetter(originalTopic: string, reason: string, index: number): DeadLetter {
    return {
      service: 'crm-writer',
      originalTopic,
      partition: 0,
      offset: String(index),
      key: Buffer.from(`record-${index}`),
      value: Buffer.from(`payload-${index}`),
      headers: { traceparent: Buffer.from(`tp-${index}`) },
      conversationId: `c-${index}`,
      errorClass: 'CrmValidationError',
      reason,
      detail: 'FIELD_CUSTOM_VALIDATION_EXCEPTION on Order_Number__c',
      retriable: false,
      attempts: 1,
      firstFailureAt: 1_000 + index,
      lastFailureAt: 2_000 + index,
    };
  }

  async function seedDeadLetters(topic: string, letters: DeadLetter[]): Promise<void> {
    const serde = AvroSerde.connect({ url: stackEnv().registryUrl });
    const handle = await serde.register<DeadLetter>(
      subjectFor(topic, 'value'),
      MESSAGE_SCHEMAS['dead-letter'].value,
    );
    await producer.send({
      topic,
      acks: -1,
      messages: letters.map((letter) => ({
        key: letter.conversationId,
        value: serde.encode(handle, letter),
      })),
    });
  }

  it('lists dead letters grouped by reason and re-drives one reason to its source topic', async () => {
    const deadLetterTopic = await createTestTopic(admin, { partitions: 2 });
    const source = await createTestTopic(admin, { partitions: 1 });
    await seedDeadLetters(deadLetterTopic, [
      aDeadLetter(source, 'CRM_VALIDATION', 1),
      aDeadLetter(source, 'CONTACT_UNRESOLVED', 2),
      aDeadLetter(source, 'CRM_VALIDATION', 3),
    ]);
    const ctx = await testToolContext();
    const collector = await collectTopic(kafka, source);

    const all = await readDeadLetters(ctx, {
      topic: deadLetterTopic,
      runId: 'inspect-1',
      filter: { reason: null, since: null },
    });
    expect(groupByReason(all.letters).map(({ reason, count }) => [reason, count])).toEqual([
      ['CRM_VALIDATION', 2],
      ['CONTACT_UNRESOLVED', 1],
    ]);

    const chosen = await readDeadLetters(ctx, {
      topic: deadLetterTopic,
      runId: 'redrive-1',
      filter: { reason: 'CRM_VALIDATION', since: null },
    });
    const summary = await redriveDeadLetters(ctx, {
      deadLetterTopic,
      redriveId: 'redrive-1',
      letters: chosen.letters,
    });

    expect(summary).toMatchObject({ sent: 2, byTopic: { [source]: 2 }, withoutValue: 0 });
    const received = await collector.waitForCount(2);
    const sorted = received
      .map(({ message }) => message)
      .sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(sorted.map((message) => [message.key?.toString(), message.value?.toString()])).toEqual([
      ['record-1', 'payload-1'],
      ['record-3', 'payload-3'],
    ]);
    expect(sorted[0]?.headers?.['traceparent']?.toString()).toBe('tp-1');
    expect(sorted[0]?.headers?.[ReplayHeaders.redriveId]?.toString()).toBe('redrive-1');
    expect(sorted[0]?.headers?.[ReplayHeaders.redrivenFrom]?.toString()).toMatch(
      new RegExp(`^${deadLetterTopic}/\\d/\\d+$`),
    );
    await collector.stop();
    await ctx.close();
  });
});
