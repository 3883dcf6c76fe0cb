// Stage 1: consume update requests, resolve the contact and re-key the update by CRM record, or
// dead-letter CONTACT_UNRESOLVED. Resolved updates of a fetched batch are produced together (in
// chunks of the batch size), so updates that arrived together reach the apply stage together and
// share its batched CRM calls; offsets are resolved only once their re-keyed message is on the topic.
import { forwardHeaders, hopTimestamps } from '@crm/kafka-core';
import { type EachBatchPayload, type IHeaders, type KafkaMessage } from 'kafkajs';
import { type RetryHooks } from '../usecases/apply-contact-update.usecase';
import { ResolveContactUseCase } from '../usecases/resolve-contact.usecase';
import { ContactResolver } from '../contact/contact.resolver';
import { CALLS_HEADER, SERVICE, type StageContext } from '../writer.types';
import { waitForBreaker } from './breaker-gate';

interface Routed {
  key: string;
  value: Buffer;
  headers: IHeaders;
}

export class ResolveStage {
  private readonly useCase: ResolveContactUseCase;

  constructor(private readonly context: StageContext) {
    const { options } = context;
    this.useCase = new ResolveContactUseCase(
      options.provider,
      options.mapping.object,
      new ContactResolver(options.crm.adapter, options.lookupTtlMs),
      options.retry,
    );
  }

  async onBatch(payload: EachBatchPayload): Promise<void> {
    const { options, topics } = this.context;
    const hooks: RetryHooks = {
      onRetry: () => payload.heartbeat(),
      waitForBreaker: () => waitForBreaker(options.crm.breaker, [payload]),
    };
    let routed: Routed[] = [];
    let handled: string[] = [];
    const flush = async () => {
      if (routed.length > 0) await options.producer.send({ topic: topics.byRecord, messages: routed });
      handled.forEach((offset) => payload.resolveOffset(offset));
      routed = [];
      handled = [];
      await payload.heartbeat();
    };
    for (const message of payload.batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      const next = await this.resolve(message, payload, hooks);
      if (next) routed.push(next);
      handled.push(message.offset);
      if (routed.length >= options.batch.size) await flush();
    }
    await flush();
  }

  /** Resolves one request; returns the re-keyed message to produce, or null once dead-lettered. */
  private async resolve(
    message: KafkaMessage,
    payload: EachBatchPayload,
    hooks: RetryHooks,
  ): Promise<Routed | null> {
    const { options, failures, handles } = this.context;
    const started = Date.now();
    options.metrics.updateReceived(hopTimestamps(message.headers)['ingest'], started);
    const request = await failures.decode(message, payload, handles().request);
    if (!request) return null;
    const counted = options.callCounter.run(0, () => this.useCase.execute(request, hooks));
    try {
      const outcome = await counted.result;
      if (outcome.status === 'resolved') {
        const headers = {
          ...forwardHeaders(message.headers, SERVICE),
          [CALLS_HEADER]: String(counted.calls()),
        };
        return {
          key: outcome.recordKey,
          value: options.serde.encode(handles().byRecord, outcome.request),
          headers,
        };
      }
      options.logger.warn(
        { conversationId: request.conversationId, updateId: request.updateId, why: outcome.why },
        'contact unresolved',
      );
      await failures.fail(
        message,
        payload,
        request,
        null,
        'CONTACT_UNRESOLVED',
        new Error(`contact unresolved: ${outcome.why}`),
        false,
        outcome.attempts,
        started,
        counted.calls(),
      );
    } catch (error) {
      await failures.failFromError(message, payload, request, null, error, started, counted.calls());
    }
    return null;
  }
}
