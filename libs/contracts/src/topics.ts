// Topic names and their declared shape. Apps never spell a topic name: they import these.
import { type MessageName } from './schemas.generated';

export const Topics = {
  conversationEvents: 'genesys.external.conversation-events.v1',
  entityExtracted: 'crm.internal.entity-extracted.v1',
  entityRejected: 'crm.internal.entity-rejected.v1',
  contactUpdateRequested: 'crm.internal.contact-update-requested.v1',
  contactUpdateResult: 'crm.internal.contact-update-result.v1',
  deadLetter: 'crm.internal.dead-letter.v1',
  /** Aggregator state changelog (compacted), written in the same transaction as its output. */
  aggregatorState: 'crm.internal.aggregator-state.v1',
  /** Updates re-keyed by CRM record, so exactly one partition owns each record (DESIGN.md §6). */
  contactUpdateByRecord: 'crm.internal.contact-update-by-record.v1',
  /** Per record and field: the conversation that last wrote it (compacted). */
  crmWriteState: 'crm.internal.crm-write-state.v1',
  /** The poller's pending analytics polls (compacted). */
  analyticsPollSchedule: 'genesys.internal.analytics-poll-schedule.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Declarative topic settings, applied by the provisioner in @crm/kafka-core. */
export interface TopicSpec {
  name: TopicName;
  /** The message folder whose key and value schemas the topic carries. */
  message: MessageName;
  /** Conversation text or entity values: retention is bounded (DESIGN.md §7). */
  personalData: boolean;
  cleanupPolicy: 'delete' | 'compact';
  retentionMs: number;
}

export const TOPIC_SPECS: readonly TopicSpec[] = [
  {
    name: Topics.conversationEvents,
    message: 'conversation-event',
    personalData: true,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
  },
  {
    name: Topics.entityExtracted,
    message: 'entity-extracted',
    personalData: true,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
  },
  {
    name: Topics.entityRejected,
    message: 'entity-rejected',
    personalData: true,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
  },
  {
    name: Topics.contactUpdateRequested,
    message: 'contact-update-requested',
    personalData: true,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
  },
  {
    name: Topics.contactUpdateResult,
    message: 'contact-update-result',
    personalData: false,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY_MS,
  },
  {
    name: Topics.deadLetter,
    message: 'dead-letter',
    personalData: true,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY_MS,
  },
  {
    name: Topics.aggregatorState,
    message: 'aggregator-state',
    personalData: true,
    cleanupPolicy: 'compact',
    retentionMs: 7 * DAY_MS,
  },
  {
    name: Topics.contactUpdateByRecord,
    message: 'contact-update-requested',
    personalData: true,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
  },
  {
    name: Topics.crmWriteState,
    message: 'crm-write-state',
    personalData: false,
    cleanupPolicy: 'compact',
    retentionMs: 365 * DAY_MS,
  },
  {
    name: Topics.analyticsPollSchedule,
    message: 'analytics-poll',
    personalData: false,
    cleanupPolicy: 'compact',
    retentionMs: 7 * DAY_MS,
  },
];

export function topicSpec(name: TopicName): TopicSpec {
  const spec = TOPIC_SPECS.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`No topic spec for ${name}`);
  return spec;
}
