// The writer's Kafka edges: stage 1 consumes update requests, resolves the contact and re-keys the
// update by CRM record; stage 2 consumes the re-keyed topic (one partition owns each record) and
// applies it. Each stage records its result or dead letter before resolving the input offset, so a
// crash replays, never loses. The breaker pauses both consumers while open.
import { schemaOf, subjectFor } from '@crm/contracts';
import { BatchConsumer } from '@crm/kafka-core';
import { ApplyStage } from './stages/apply.stage';
import { watchRateShare } from './stages/rate-share';
import { ResolveStage } from './stages/resolve.stage';
import { WriteStateStore } from './state/write-state.store';
import { WriterFailures } from './writer.failures';
import {
  DEFAULT_TOPICS,
  type Handles,
  SERVICE,
  type StageContext,
  type WriterPipelineOptions,
  type WriterTopics,
} from './writer.types';

export { DEFAULT_TOPICS, SERVICE, type WriterPipelineOptions, type WriterTopics } from './writer.types';

export class WriterPipeline {
  readonly store = new WriteStateStore();
  private readonly topics: WriterTopics;
  private readonly resolveStage: ResolveStage;
  private readonly applyStage: ApplyStage;
  private handles?: Handles;
  private resolveConsumer?: BatchConsumer;
  private applyConsumer?: BatchConsumer;

  constructor(private readonly options: WriterPipelineOptions) {
    this.topics = options.topics ?? DEFAULT_TOPICS;
    const handles = (): Handles => {
      if (!this.handles) throw new Error('the writer pipeline has not started');
      return this.handles;
    };
    const failures = new WriterFailures({
      service: SERVICE,
      producer: options.producer,
      serde: options.serde,
      logger: options.logger,
      metrics: options.metrics,
      alert: options.alert,
      provider: options.provider,
      crmObject: options.mapping.object,
      topics: this.topics,
      handles,
    });
    const context: StageContext = { options, topics: this.topics, failures, store: this.store, handles };
    this.resolveStage = new ResolveStage(context);
    this.applyStage = new ApplyStage(context);
  }

  isReady(): boolean {
    return this.resolveConsumer?.isReady() === true && this.applyConsumer?.isReady() === true;
  }

  async start(): Promise<void> {
    const { serde, kafka, logger, groupPrefix, crm, provider, metrics } = this.options;
    const register = <T>(topic: string, message: Parameters<typeof schemaOf>[0]) =>
      serde.register<T>(subjectFor(topic, 'value'), schemaOf(message, 'value'));
    this.handles = {
      request: await register(this.topics.requests, 'contact-update-requested'),
      byRecord: await register(this.topics.byRecord, 'contact-update-requested'),
      result: await register(this.topics.results, 'contact-update-result'),
      deadLetter: await register(this.topics.deadLetter, 'dead-letter'),
      state: await register(this.topics.writeState, 'crm-write-state'),
    };
    await this.options.producer.connect();
    await this.store.restore(
      kafka,
      this.topics.writeState,
      serde,
      this.handles.state,
      logger,
      `${groupPrefix}-state-restore-${process.pid}-${Date.now()}`,
    );
    const common = { kafka, logger, metrics: this.options.registry, concurrency: 4 };
    const applyConsumer = new BatchConsumer({
      ...common,
      groupId: `${groupPrefix}-apply`,
      topics: [this.topics.byRecord],
      handleBatch: (p) => this.applyStage.onBatch(p),
    });
    const resolveConsumer = new BatchConsumer({
      ...common,
      groupId: `${groupPrefix}-resolve`,
      topics: [this.topics.requests],
      handleBatch: (p) => this.resolveStage.onBatch(p),
    });
    this.applyConsumer = applyConsumer;
    this.resolveConsumer = resolveConsumer;
    watchRateShare(applyConsumer, this.topics.byRecord, { kafka, limiter: crm.limiter, logger });
    metrics.breakerState(provider, crm.breaker.state);
    crm.breaker.onStateChange((state) => {
      metrics.breakerState(provider, state);
      logger.warn({ provider, state }, 'crm circuit breaker changed state');
      // Half-open lets the in-flight probe through; consumption resumes once the CRM answered.
      if (state === 'open') [resolveConsumer, applyConsumer].forEach((c) => c.pause());
      if (state === 'closed') [resolveConsumer, applyConsumer].forEach((c) => c.resume());
    });
    await applyConsumer.start();
    await resolveConsumer.start();
  }

  async stop(): Promise<void> {
    await this.resolveConsumer?.stop();
    await this.applyConsumer?.stop();
    await this.options.producer.disconnect();
    this.options.crm.breaker.shutdown();
  }
}
