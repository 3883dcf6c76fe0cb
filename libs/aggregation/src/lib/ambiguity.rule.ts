// Two different values from the same speaker close together cannot both be right, and neither is
// clearly a correction ("1234567890 ... 1234567899"): writing either could corrupt the CRM record,
// so the entity type is held back until a later clear mention. At the very same instant the more
// confident extraction wins instead (correction.rule.ts); only an exact tie there is ambiguous.
import { type Candidate } from './conversation.state';

type Comparable = Pick<Candidate, 'value' | 'confidence' | 'occurredAt' | 'participant'>;

export function conflicts(a: Comparable, b: Comparable, windowMs: number): boolean {
  if (a.value === b.value || a.participant !== b.participant) return false;
  const gap = Math.abs(a.occurredAt - b.occurredAt);
  if (gap > windowMs) return false;
  return gap !== 0 || a.confidence === b.confidence;
}

/** True when `candidate` conflicts with any recent mention; a mention that does not is "clear". */
export function conflictsWithAny(
  candidate: Comparable,
  recent: readonly Comparable[],
  windowMs: number,
): boolean {
  return recent.some((other) => conflicts(candidate, other, windowMs));
}

/**
 * The mentions still able to conflict with a future one: per value and speaker only the newest
 * (a later mention is always closer to what comes next), within the window of the newest, capped.
 * Repeats therefore cost nothing, which keeps a chatty conversation inside its memory budget.
 */
export function keepRecent(
  candidates: readonly Candidate[],
  windowMs: number,
  max: number,
): readonly Candidate[] {
  const newestPerValue = new Map<string, Candidate>();
  for (const c of candidates) {
    const key = `${c.participant}\u0000${c.value}`;
    const kept = newestPerValue.get(key);
    if (
      kept === undefined ||
      c.occurredAt > kept.occurredAt ||
      (c.occurredAt === kept.occurredAt && c.confidence > kept.confidence)
    ) {
      newestPerValue.set(key, c);
    }
  }
  const sorted = [...newestPerValue.values()].sort((a, b) => a.occurredAt - b.occurredAt);
  const newest = sorted[sorted.length - 1]?.occurredAt ?? 0;
  const inWindow = sorted.filter((c) => c.occurredAt >= newest - windowMs);
  return inWindow.slice(Math.max(0, inWindow.length - max));
}
