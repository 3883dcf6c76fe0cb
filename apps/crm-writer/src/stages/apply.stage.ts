// Stage 2: consume the re-keyed topic (one partition owns each record) and apply, in chunks of the
// batch size: the chunk's updates (with other partitions' updates that arrive within the linger)
// are read and written together; then each result, write state or dead letter is produced, and
// only then are the chunk's offsets resolved, so a crash replays and never loses.
import { type ContactUpdateRequested, type ContactUpdateResult, type UpdateOutcome } from '@crm/contracts';
import { parseRecordKey } from '@crm/crm';
import { forwardHeaders } from '@crm/kafka-core';
import { type EachBatchPayload, type IHeaders, type KafkaMessage } from 'kafkajs';
import { LingerBatcher } from '../batching/linger.batcher';
import {
  type ApplyContactUpdateCommand,
  ApplyContactUpdateUseCase,
  type RetryHooks,
} from '../usecases/apply-contact-update.usecase';
import { ApplyContactUpdatesUseCase, type BatchItemResult } from '../usecases/apply-contact-updates.usecase';
import { CALLS_HEADER, SERVICE, type StageContext } from '../writer.types';
import { waitForBreaker } from './breaker-gate';

interface ApplyItem {
  command: ApplyContactUpdateCommand;
  payload: EachBatchPayload;
}

interface ApplyItemResult {
  result: BatchItemResult;
  /** This update's share of the batch's CRM calls (calls divided equally among its updates). */
  calls: number;
}

interface Decoded {
  message: KafkaMessage;
  request: ContactUpdateRequested;
  key: string;
  /** CRM calls stage 1 made for this update. */
  before: number;
}

interface TopicMessages {
  topic: string;
  messages: Array<{ key: string; value: Buffer; headers: IHeaders }>;
}

export class ApplyStage {
  private readonly useCase: ApplyContactUpdatesUseCase;
  private readonly batcher: LingerBatcher<ApplyItem, ApplyItemResult>;

  constructor(private readonly context: StageContext) {
    const { options, store } = context;
    const single = new ApplyContactUpdateUseCase(options.crm.adapter, options.mapping, store, options.retry);
    this.useCase = new ApplyContactUpdatesUseCase(
      options.crm.adapter,
      options.mapping,
      store,
      single,
      options.retry,
      { batchSize: options.batch.size, maxUnconditionalAgeMs: options.batch.maxUnconditionalAgeMs },
    );
    this.batcher = new LingerBatcher(
      { maxSize: options.batch.size, lingerMs: options.batch.lingerMs },
      (items) => this.applyItems(items),
    );
  }

  async onBatch(payload: EachBatchPayload): Promise<void> {
    const messages = payload.batch.messages;
    const size = this.context.options.batch.size;
    for (let start = 0; start < messages.length; start += size) {
      if (!payload.isRunning() || payload.isStale()) break;
      const chunk = messages.slice(start, start + size);
      await this.applyChunk(chunk, payload);
      for (const message of chunk) payload.resolveOffset(message.offset);
      await payload.heartbeat();
    }
  }

  private async applyChunk(messages: readonly KafkaMessage[], payload: EachBatchPayload): Promise<void> {
    const { options, failures, store, topics, handles } = this.context;
    const started = Date.now();
    const items = await this.decodeChunk(messages, payload, started);
    if (items.length === 0) return;
    const outcomes = await this.batcher.submit(
      items.map(({ request, key }) => ({
        command: { request, recordKey: key, ref: parseRecordKey(key)!.ref },
        payload,
      })),
    );
    const topicMessages: TopicMessages[] = [];
    const done: Array<{
      request: ContactUpdateRequested;
      outcome: UpdateOutcome;
      written: number;
      calls: number;
    }> = [];
    for (const [index, { message, request, key, before }] of items.entries()) {
      const { result, calls } = outcomes[index]!;
      if (!result.ok) {
        await failures.failFromError(message, payload, request, key, result.error, started, before + calls);
        continue;
      }
      const ref = parseRecordKey(key)!.ref;
      const value: ContactUpdateResult = {
        updateId: request.updateId,
        conversationId: request.conversationId,
        outcome: result.value.outcome,
        provider: options.provider,
        crmObject: ref.object,
        recordId: ref.id,
        fieldsWritten: result.value.fieldsWritten,
        fieldsSkipped: result.value.fieldsSkipped,
        crmRequestIds: result.value.crmRequestIds,
        attempts: result.value.attempts,
        latencyMs: Date.now() - started,
        error: null,
        completedAt: Date.now(),
      };
      topicMessages.push({
        topic: topics.results,
        messages: [
          {
            key: request.conversationId,
            value: options.serde.encode(handles().result, value),
            headers: forwardHeaders(message.headers, SERVICE),
          },
        ],
      });
      if (result.value.state) {
        store.set(result.value.state);
        topicMessages.push({
          topic: topics.writeState,
          messages: [{ key, value: options.serde.encode(handles().state, result.value.state), headers: {} }],
        });
      }
      done.push({
        request,
        outcome: result.value.outcome,
        written: result.value.fieldsWritten.length,
        calls: before + calls,
      });
    }
    if (topicMessages.length > 0) await options.producer.sendBatch({ topicMessages });
    for (const { request, outcome, written, calls } of done) {
      options.metrics.updateCompleted(outcome, calls);
      options.logger.info(
        { conversationId: request.conversationId, updateId: request.updateId, outcome, written },
        'contact update done',
      );
    }
  }

  /** Decodes the chunk; undecodable messages and bad record keys are dead-lettered here. */
  private async decodeChunk(
    messages: readonly KafkaMessage[],
    payload: EachBatchPayload,
    started: number,
  ): Promise<Decoded[]> {
    const { failures, handles } = this.context;
    const items: Decoded[] = [];
    for (const message of messages) {
      const request = await failures.decode(message, payload, handles().byRecord);
      if (!request) continue;
      const key = message.key?.toString('utf8') ?? '';
      const before = Number(headerValue(message.headers, CALLS_HEADER) ?? 0);
      if (!parseRecordKey(key)) {
        await failures.fail(
          message,
          payload,
          request,
          key,
          'INVALID_RECORD_KEY',
          new Error('record key is not <provider>:<object>:<id>'),
          false,
          0,
          started,
          before,
        );
        continue;
      }
      items.push({ message, request, key, before });
    }
    return items;
  }

  /** One flush of the batcher: the use case runs inside a call counter whose total is shared out. */
  private async applyItems(items: ApplyItem[]): Promise<ApplyItemResult[]> {
    const { options } = this.context;
    const payloads = [...new Set(items.map((item) => item.payload))];
    const hooks: RetryHooks = {
      onRetry: async () => {
        await Promise.all(payloads.map((payload) => payload.heartbeat()));
      },
      waitForBreaker: () => waitForBreaker(options.crm.breaker, payloads),
    };
    const counted = options.callCounter.run(0, () =>
      this.useCase.execute(
        items.map((item) => item.command),
        hooks,
      ),
    );
    const results = await counted.result;
    const share = counted.calls() / items.length;
    return results.map((result) => ({ result, calls: share }));
  }
}

function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? undefined : value.toString();
}
