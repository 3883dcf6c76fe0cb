// Duplicate events (same eventId or entityId) change nothing. Genesys, EventBridge and Kafka all
// redeliver; the ids are deterministic upstream, so a redelivery carries the same id.
import { type ConversationState } from './conversation.state';
import { idKey } from './id.key';

export function isDuplicate(state: ConversationState, id: string): boolean {
  return state.seenIds.includes(idKey(id));
}

/** Remembers the id, forgetting the oldest beyond `capacity` (the merge rules stay idempotent for those). */
export function rememberId(seenIds: readonly number[], id: string, capacity: number): readonly number[] {
  const next = [...seenIds, idKey(id)];
  return next.length > capacity ? next.slice(next.length - capacity) : next;
}
