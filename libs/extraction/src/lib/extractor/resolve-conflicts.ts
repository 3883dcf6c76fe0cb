// When several definitions claim overlapping text, one value wins: the best candidate per entity
// type, then the type whose context keyword is nearest. With no evidence either way the candidates
// are held back as AMBIGUOUS rather than guessed, because a wrong field corrupts a CRM record.
import { type TextSpan } from '@crm/contracts';

import { type EvaluatedCandidate, type Outcome } from './evaluated-candidate';

function overlaps(a: TextSpan | null, b: TextSpan | null): boolean {
  return a !== null && b !== null && a.start < b.end && b.start < a.end;
}

function better(a: EvaluatedCandidate, b: EvaluatedCandidate): EvaluatedCandidate {
  if (a.validation.ok !== b.validation.ok) return a.validation.ok ? a : b;
  if (a.keywordDistance !== b.keywordDistance) return a.keywordDistance < b.keywordDistance ? a : b;
  if (a.confidence !== b.confidence) return a.confidence > b.confidence ? a : b;
  const length = (entry: EvaluatedCandidate): number =>
    entry.candidate.span === null ? 0 : entry.candidate.span.end - entry.candidate.span.start;
  return length(b) > length(a) ? b : a;
}

function groupsOf(entries: readonly EvaluatedCandidate[]): EvaluatedCandidate[][] {
  const groups: EvaluatedCandidate[][] = [];
  for (const entry of entries) {
    const touching = groups.filter((group) =>
      group.some((other) => overlaps(other.candidate.span, entry.candidate.span)),
    );
    const merged = [entry, ...touching.flat()];
    for (const group of touching) groups.splice(groups.indexOf(group), 1);
    groups.push(merged);
  }
  return groups;
}

function bestPerType(group: readonly EvaluatedCandidate[]): EvaluatedCandidate[] {
  const byType = new Map<string, EvaluatedCandidate>();
  for (const entry of group) {
    const type = entry.candidate.definition.name;
    const current = byType.get(type);
    byType.set(type, current === undefined ? entry : better(current, entry));
  }
  return [...byType.values()];
}

function outcomeOf(entry: EvaluatedCandidate): Outcome[] {
  const { validation, candidate } = entry;
  // Without a keyword, a value that also fails validation is noise, not a reviewable near-miss.
  if (!validation.ok && entry.keywordDistance === Infinity) return [];
  if (!validation.ok)
    return [{ kind: 'rejected', entry, reason: 'INVALID_FORMAT', value: null, detail: validation.detail }];
  if (entry.confidence < candidate.definition.minConfidence) {
    const detail = `confidence below ${candidate.definition.minConfidence}`;
    return [{ kind: 'rejected', entry, reason: 'LOW_CONFIDENCE', value: validation.value, detail }];
  }
  return [{ kind: 'accepted', entry, value: validation.value }];
}

function resolveGroup(group: readonly EvaluatedCandidate[]): Outcome[] {
  const contenders = bestPerType(group);
  if (contenders.length === 1 && contenders[0] !== undefined) return outcomeOf(contenders[0]);
  // The nearest keyword decides, even for a value that then fails validation: "my phone number is
  // 1234567890" is a bad phone number for review, not an order number.
  const nearest = Math.min(...contenders.map((entry) => entry.keywordDistance));
  const closest = contenders.filter((entry) => entry.keywordDistance === nearest);
  const valid = closest.filter((entry) => entry.validation.ok);
  const winners = valid.length > 0 ? valid : closest;
  if (winners.length === 1 && winners[0] !== undefined) return outcomeOf(winners[0]);
  if (valid.length === 0) return [];
  return winners.map((entry): Outcome => ({
    kind: 'rejected',
    entry,
    reason: 'AMBIGUOUS',
    value: entry.validation.ok ? entry.validation.value : null,
    detail: `also matches ${winners
      .filter((other) => other !== entry)
      .map((other) => other.candidate.definition.name)
      .join(', ')}`,
  }));
}

export function resolveConflicts(entries: readonly EvaluatedCandidate[]): Outcome[] {
  return groupsOf(entries).flatMap(resolveGroup);
}
