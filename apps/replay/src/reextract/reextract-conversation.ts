// Re-extraction of one conversation in-process: its raw events, in order, through the extractor
// (the definitions under review) and the aggregation rules, to the ContactUpdateRequested the
// pipeline would now send. Mirrors the extractor's ordering: contact hints, then the entities of
// a text event; lifecycle events forwarded as they come.
import { type AggregationPolicy, type ConversationState, applyRecord, decide } from '@crm/aggregation';
import { type ContactUpdateRequested, type ConversationEvent, type EntityStreamRecord } from '@crm/contracts';
import { contactHintsLifecycle, type Extractor, toLifecycle } from '@crm/extraction';

/** Far enough past the last event that every flush deadline of the policy has passed. */
const SETTLE_MS = 30 * 24 * 60 * 60 * 1000;

function streamRecords(event: ConversationEvent, extractor: Extractor): EntityStreamRecord[] {
  const lifecycle = toLifecycle(event);
  if (lifecycle !== null) return [{ payload: { 'crm.extraction.ConversationLifecycle': lifecycle } }];
  const { accepted } = extractor.extract(event);
  if (accepted.length === 0) return [];
  const hints = contactHintsLifecycle(event);
  return [
    ...(hints === null ? [] : [{ payload: { 'crm.extraction.ConversationLifecycle': hints } }]),
    ...accepted.map((entity) => ({ payload: { 'crm.extraction.EntityExtracted': entity } })),
  ];
}

export function reextractConversation(
  events: readonly ConversationEvent[],
  extractor: Extractor,
  policy: AggregationPolicy,
  requestedAt: number,
): ContactUpdateRequested | null {
  let state: ConversationState | null = null;
  let last = 0;
  for (const event of events) {
    last = Math.max(last, event.receivedAt);
    for (const record of streamRecords(event, extractor))
      state = applyRecord(state, record, event.receivedAt, policy).state;
  }
  if (state === null) return null;
  const { update } = decide(state, last + SETTLE_MS, policy);
  return update === null ? null : { ...update, requestedAt, replay: true };
}
