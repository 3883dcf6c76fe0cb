// Which of two mentions of the same entity type wins. The customer's own words outrank an agent's
// read-back (and both outrank system-supplied values); among equals a later mention is a correction
// and wins; at the same instant the more confident extraction wins. A repeated value never replaces
// the first mention, so repeats leave the provenance, and with it the update, unchanged.
import { type Participant } from '@crm/contracts';

import { type Mention } from './conversation.state';

type Comparable = Pick<Mention, 'value' | 'confidence' | 'occurredAt' | 'participant'>;

const SPEAKER_RANK: Record<Participant, number> = { CUSTOMER: 2, AGENT: 1, SYSTEM: 0 };

export function speakerRank(participant: Participant): number {
  return SPEAKER_RANK[participant];
}

/** True when `candidate` replaces `current` as the chosen value. */
export function supersedes(candidate: Comparable, current: Comparable): boolean {
  if (candidate.value === current.value) return false;
  const rank = speakerRank(candidate.participant) - speakerRank(current.participant);
  if (rank !== 0) return rank > 0;
  if (candidate.occurredAt !== current.occurredAt) return candidate.occurredAt > current.occurredAt;
  return candidate.confidence > current.confidence;
}
