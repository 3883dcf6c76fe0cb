// Re-extraction over a window of raw conversation events: reads the events and what the pipeline
// last requested for each of their conversations, recomputes each conversation's update with the
// given definitions, and answers the field diff. With `apply`, publishes the changed updates to
// the writer's input topic (marked replay), so its rate limit, idempotency and stale-write
// protection apply as to any update.
import { type AggregationPolicy } from '@crm/aggregation';
import {
  type ContactUpdateRequested,
  type ConversationEvent,
  MESSAGE_SCHEMAS,
  subjectFor,
} from '@crm/contracts';
import { type Extractor } from '@crm/extraction';
import { ACKS_ALL, encodeKey, type SchemaHandle } from '@crm/kafka-core';
import { replayHeaders } from '../replay/replay-headers';
import { type ToolContext } from '../tool-context';
import { type OffsetBound } from '../window/offset-bound';
import { readWindow, type WindowRecord } from '../window/window.reader';
import { resolveTopicWindow } from '../window/window.resolver';
import { diffUpdate, type FieldChange } from './field-diff';
import { reextractConversation } from './reextract-conversation';
import { withDeadline } from '../window/deadline';

export interface ReextractInput {
  runId: string;
  eventsTopic: string;
  requestsTopic: string;
  from: OffsetBound;
  to: OffsetBound | null;
  conversations: string[];
  extractor: Extractor;
  policy: AggregationPolicy;
  fieldOf: (entityType: string) => string;
  apply: boolean;
}

export interface ReextractResult {
  events: number;
  conversations: number;
  changes: FieldChange[];
  /** Updates published (apply) or that would be (dry run). */
  updates: number;
  applied: boolean;
}

async function readDecoded<T>(
  ctx: ToolContext,
  topic: string,
  groupId: string,
  from: OffsetBound,
  to: OffsetBound | null,
  handle: SchemaHandle<T>,
  onValue: (value: T, record: WindowRecord) => void,
): Promise<void> {
  const windows = await resolveTopicWindow(ctx.admin, topic, from, to);
  await readWindow({
    kafka: ctx.kafka,
    admin: ctx.admin,
    topic,
    groupId,
    windows,
    signal: ctx.signal,
    onRecords: async (records) => {
      for (const record of records) {
        try {
          onValue(await ctx.serde.decodeAsync(record.message.value, handle), record);
        } catch {
          // Undecodable records were dead-lettered by the pipeline already; nothing to re-extract.
        }
      }
    },
  });
  await withDeadline(ctx.admin.deleteGroups([groupId]), 3_000);
}

export async function reextract(ctx: ToolContext, input: ReextractInput): Promise<ReextractResult> {
  const [eventHandle, requestHandle] = await Promise.all([
    ctx.serde.register<ConversationEvent>(
      subjectFor(input.eventsTopic, 'value'),
      MESSAGE_SCHEMAS['conversation-event'].value,
    ),
    ctx.serde.register<ContactUpdateRequested>(
      subjectFor(input.requestsTopic, 'value'),
      MESSAGE_SCHEMAS['contact-update-requested'].value,
    ),
  ]);
  const filter = new Set(input.conversations);
  const byConversation = new Map<string, ConversationEvent[]>();
  let events = 0;
  await readDecoded(
    ctx,
    input.eventsTopic,
    `${ctx.groupPrefix}-${input.runId}-events`,
    input.from,
    input.to,
    eventHandle,
    (event) => {
      if (filter.size > 0 && !filter.has(event.conversationId)) return;
      events += 1;
      byConversation.set(event.conversationId, [...(byConversation.get(event.conversationId) ?? []), event]);
    },
  );

  // What the pipeline last requested: its updates come after the events, so reading from the
  // window's start time (or the topic's beginning for offset windows) finds them.
  const requestsFrom: OffsetBound = input.from.kind === 'time' ? input.from : { kind: 'offset', offset: 0 };
  const lastRequested = new Map<string, ContactUpdateRequested>();
  await readDecoded(
    ctx,
    input.requestsTopic,
    `${ctx.groupPrefix}-${input.runId}-requests`,
    requestsFrom,
    null,
    requestHandle,
    (update) => {
      if (byConversation.has(update.conversationId)) lastRequested.set(update.conversationId, update);
    },
  );

  const requestedAt = ctx.now().getTime();
  const changes: FieldChange[] = [];
  const changed: ContactUpdateRequested[] = [];
  for (const [conversationId, conversationEvents] of byConversation) {
    const proposed = reextractConversation(conversationEvents, input.extractor, input.policy, requestedAt);
    const diff = diffUpdate(
      conversationId,
      lastRequested.get(conversationId) ?? null,
      proposed,
      input.fieldOf,
    );
    changes.push(...diff);
    if (proposed !== null && diff.some((change) => change.proposed !== null)) changed.push(proposed);
  }

  // Chunks keep each produce request well under the broker's message.max.bytes.
  for (let index = 0; input.apply && index < changed.length; index += 200) {
    const handle = requestHandle;
    await ctx.producer.send({
      topic: input.requestsTopic,
      acks: ACKS_ALL,
      messages: changed.slice(index, index + 200).map((update) => ({
        key: encodeKey(update.conversationId),
        value: ctx.serde.encode(handle, update),
        headers: replayHeaders(undefined, input.runId, {
          topic: input.eventsTopic,
          partition: -1,
          offset: 'reextract',
        }),
      })),
    });
  }
  return {
    events,
    conversations: byConversation.size,
    changes,
    updates: changed.length,
    applied: input.apply,
  };
}
