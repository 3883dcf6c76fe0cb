// Folds one mention into the slot of its entity type, combining the correction and ambiguity rules.
import { type AggregationPolicy } from './aggregation.policy';
import { conflictsWithAny, keepRecent } from './ambiguity.rule';
import { type Candidate, type EntitySlot, type Mention } from './conversation.state';
import { speakerRank, supersedes } from './correction.rule';

/** CHANGED: the value to flush changed; AMBIGUOUS: the type is now held back; UNCHANGED: neither. */
export type MergeEffect = 'CHANGED' | 'AMBIGUOUS' | 'UNCHANGED';

export interface MergeResult {
  readonly slot: EntitySlot;
  readonly effect: MergeEffect;
}

function sameMention(a: Candidate, b: Candidate): boolean {
  return (
    a.value === b.value &&
    a.participant === b.participant &&
    a.occurredAt === b.occurredAt &&
    a.confidence === b.confidence
  );
}

type MergePolicy = Pick<AggregationPolicy, 'ambiguityWindowMs' | 'maxCandidatesPerType'>;

export function mergeMention(
  slot: EntitySlot | undefined,
  mention: Mention,
  policy: MergePolicy,
): MergeResult {
  const candidate: Candidate = {
    value: mention.value,
    confidence: mention.confidence,
    occurredAt: mention.occurredAt,
    participant: mention.participant,
  };
  if (slot === undefined) {
    return { slot: { chosen: mention, ambiguous: false, recent: [candidate] }, effect: 'CHANGED' };
  }
  // The same mention again (a redelivery the dedupe ring forgot, or two methods agreeing): nothing new.
  if (slot.recent.some((c) => sameMention(c, candidate))) return { slot, effect: 'UNCHANGED' };

  const recent = keepRecent(
    [...slot.recent, candidate],
    policy.ambiguityWindowMs,
    policy.maxCandidatesPerType,
  );
  // A conflict among speakers the chosen value outranks cannot change the outcome, so it holds nothing.
  const relevant = speakerRank(mention.participant) >= speakerRank(slot.chosen.participant);
  const conflict = relevant && conflictsWithAny(candidate, slot.recent, policy.ambiguityWindowMs);
  const preferred = supersedes(mention, slot.chosen) ? mention : slot.chosen;

  if (conflict) {
    return {
      slot: { chosen: preferred, ambiguous: true, recent },
      effect: slot.ambiguous ? 'UNCHANGED' : 'AMBIGUOUS',
    };
  }
  if (slot.ambiguous) {
    // Only a later clear mention, from a speaker at least as trusted, settles the question.
    const resolves = relevant && mention.occurredAt > slot.chosen.occurredAt;
    return resolves
      ? { slot: { chosen: mention, ambiguous: false, recent }, effect: 'CHANGED' }
      : { slot: { chosen: slot.chosen, ambiguous: true, recent }, effect: 'UNCHANGED' };
  }
  return preferred === mention
    ? { slot: { chosen: mention, ambiguous: false, recent }, effect: 'CHANGED' }
    : { slot: { chosen: slot.chosen, ambiguous: false, recent }, effect: 'UNCHANGED' };
}
