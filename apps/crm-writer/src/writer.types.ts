// What the writer's stages share: topic names, schema handles, the options the pipeline is built
// with, and the header that carries a request's CRM call count from stage 1 to stage 2.
import {
  type ContactUpdateRequested,
  type ContactUpdateResult,
  type CrmWriteState,
  type DeadLetter,
  Topics,
} from '@crm/contracts';
import { type CrmClient, type CrmProvider, type ProviderMapping } from '@crm/crm';
import { type MessageProducer, type AvroSerde, type SchemaHandle } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';
import { type AlertWebhook } from './alert/alert-webhook';
import { type CrmCallCounter } from './crm-call.counter';
import { type WriterMetrics } from './crm-writer.metrics';
import { type WriteStateStore } from './state/write-state.store';
import { type WriterFailures } from './writer.failures';

export const SERVICE = 'crm-writer';
export const CALLS_HEADER = 'x-crm-calls';

export interface WriterTopics {
  requests: string;
  byRecord: string;
  results: string;
  deadLetter: string;
  writeState: string;
}

export const DEFAULT_TOPICS: WriterTopics = {
  requests: Topics.contactUpdateRequested,
  byRecord: Topics.contactUpdateByRecord,
  results: Topics.contactUpdateResult,
  deadLetter: Topics.deadLetter,
  writeState: Topics.crmWriteState,
};

export interface WriterPipelineOptions {
  kafka: Kafka;
  producer: MessageProducer;
  serde: AvroSerde;
  logger: Logger;
  registry: Registry;
  metrics: WriterMetrics;
  crm: CrmClient;
  provider: CrmProvider;
  mapping: ProviderMapping;
  alert: AlertWebhook;
  callCounter: CrmCallCounter;
  topics?: WriterTopics;
  groupPrefix: string;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  lookupTtlMs: number;
  batch: { size: number; lingerMs: number; maxUnconditionalAgeMs: number };
}

export interface Handles {
  request: SchemaHandle<ContactUpdateRequested>;
  byRecord: SchemaHandle<ContactUpdateRequested>;
  result: SchemaHandle<ContactUpdateResult>;
  deadLetter: SchemaHandle<DeadLetter>;
  state: SchemaHandle<CrmWriteState>;
}

/** The pipeline's parts a stage works with; handles are registered at start. */
export interface StageContext {
  options: WriterPipelineOptions;
  topics: WriterTopics;
  failures: WriterFailures;
  store: WriteStateStore;
  handles: () => Handles;
}
