// When a conversation's values go to the CRM. Voice waits for the whole conversation (one update
// after ANALYTICS_READY, or after CONVERSATION_ENDED plus a grace period when analytics never come);
// digital media flush in real time after a quiet period, bounded by a maximum wait, so the agent's
// screen updates while the customer is still typing. Nothing goes out for an empty or unchanged set.
import {
  type ContactUpdateRequested,
  type FlushTrigger,
  type MediaType,
  type ProvenancedValue,
} from '@crm/contracts';

import { type AggregationPolicy } from './aggregation.policy';
import { type ConversationState } from './conversation.state';
import { updateIdOf } from './update.fingerprint';

/** Key of the sentiment score among the update's values. */
export const SENTIMENT_KEY = 'sentiment';

export type SuppressedReason = 'EMPTY' | 'UNCHANGED';

export interface FlushDecision {
  /** The update to produce, or null. */
  readonly update: ContactUpdateRequested | null;
  /** Why a flush was due now (also when it was suppressed), or null when none was due. */
  readonly trigger: FlushTrigger | null;
  readonly suppressed: SuppressedReason | null;
  /** Entity types held back as ambiguous at this decision. */
  readonly heldBack: readonly string[];
  /** When to call decide again (processing time), or null when nothing is waiting. */
  readonly nextDeadline: number | null;
  readonly state: ConversationState;
}

interface Due {
  readonly trigger: FlushTrigger;
  readonly at: number;
}

type FlushPolicy = Pick<
  AggregationPolicy,
  'digitalMediaTypes' | 'debounceMs' | 'maxWaitMs' | 'endGraceMs' | 'voiceMaxWaitMs' | 'crmObject'
>;

export function isDigital(
  mediaType: MediaType,
  policy: Pick<AggregationPolicy, 'digitalMediaTypes'>,
): boolean {
  return policy.digitalMediaTypes.includes(mediaType);
}

/** The flushes that could fire for the pending change, in order of precedence. */
export function flushSchedule(state: ConversationState, policy: FlushPolicy): readonly Due[] {
  const pending = state.pendingSince;
  if (pending === null) return [];
  if (isDigital(state.mediaType, policy)) {
    const schedule: Due[] = [];
    // The end closes a burst at once; changes arriving after it (late analytics) debounce as usual.
    if (state.endedAt !== null && pending <= state.endedAt)
      schedule.push({ trigger: 'ENDED', at: state.endedAt });
    schedule.push({ trigger: 'DEBOUNCE', at: (state.lastInputAt ?? pending) + policy.debounceMs });
    schedule.push({ trigger: 'MAX_WAIT', at: pending + policy.maxWaitMs });
    return schedule;
  }
  if (state.analyticsReadyAt !== null) {
    return [{ trigger: 'ANALYTICS_READY', at: Math.max(state.analyticsReadyAt, pending) }];
  }
  if (state.endedAt !== null) {
    // Changes after a grace flush (analytics arriving late) get their own grace period.
    return [{ trigger: 'ENDED', at: Math.max(state.endedAt, pending) + policy.endGraceMs }];
  }
  // Neither end nor analytics seen: a lost lifecycle event must not lose the values.
  return [{ trigger: 'MAX_WAIT', at: pending + policy.voiceMaxWaitMs }];
}

/** The values an update would carry: every settled entity type plus the sentiment score. */
export function valuesOf(state: ConversationState): Record<string, ProvenancedValue> {
  const values: Record<string, ProvenancedValue> = {};
  for (const [type, slot] of Object.entries(state.slots)) {
    if (slot.ambiguous) continue;
    const { value, entityId, confidence, occurredAt } = slot.chosen;
    values[type] = { value, entityId, confidence, occurredAt };
  }
  if (state.sentiment !== null) {
    const { score, eventId, occurredAt } = state.sentiment;
    values[SENTIMENT_KEY] = { value: String(score), entityId: eventId, confidence: 1, occurredAt };
  }
  return values;
}

export function heldBackOf(state: ConversationState): readonly string[] {
  return Object.entries(state.slots)
    .filter(([, slot]) => slot.ambiguous)
    .map(([type]) => type)
    .sort();
}

export function decide(state: ConversationState, now: number, policy: FlushPolicy): FlushDecision {
  const heldBack = heldBackOf(state);
  const schedule = flushSchedule(state, policy);
  const due = schedule.find((d) => d.at <= now);
  if (due === undefined) {
    const nextDeadline = schedule.length === 0 ? null : Math.min(...schedule.map((d) => d.at));
    return { update: null, trigger: null, suppressed: null, heldBack, nextDeadline, state };
  }
  const settled: ConversationState = { ...state, pendingSince: null };
  const values = valuesOf(state);
  if (Object.keys(values).length === 0) {
    return {
      update: null,
      trigger: due.trigger,
      suppressed: 'EMPTY',
      heldBack,
      nextDeadline: null,
      state: settled,
    };
  }
  const updateId = updateIdOf(state.conversationId, policy.crmObject, state.contact, values);
  if (updateId === state.flushedUpdateId) {
    return {
      update: null,
      trigger: due.trigger,
      suppressed: 'UNCHANGED',
      heldBack,
      nextDeadline: null,
      state: settled,
    };
  }
  const update: ContactUpdateRequested = {
    updateId,
    conversationId: state.conversationId,
    contact: { ...state.contact },
    crmObject: policy.crmObject,
    values,
    trigger: due.trigger,
    mediaType: state.mediaType,
    conversationAt: Math.max(state.lastEventAt, ...Object.values(values).map((v) => v.occurredAt)),
    requestedAt: now,
    replay: false,
  };
  return {
    update,
    trigger: due.trigger,
    suppressed: null,
    heldBack,
    nextDeadline: null,
    state: { ...settled, flushedUpdateId: updateId, flushedAt: now },
  };
}
