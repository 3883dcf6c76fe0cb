// Dead letters grouped by reason for `dead-letters inspect`: counts, where they came from, when.
import { type DeadLetter } from '@crm/contracts';

export interface LocatedDeadLetter {
  letter: DeadLetter;
  /** Position of the dead letter itself on the dead-letter topic. */
  partition: number;
  offset: string;
}

export interface DeadLetterGroup {
  reason: string;
  count: number;
  retriable: number;
  services: string[];
  sourceTopics: string[];
  /** One original position, `<topic>/<partition>/<offset>`, to look at first. */
  sample: string;
  firstFailureAt: number;
  lastFailureAt: number;
}

export interface DeadLetterFilter {
  reason: string | null;
  since: number | null;
  /** Empty: every conversation. */
  conversations?: readonly string[];
}

export function matchesFilter(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.reason !== null && letter.reason !== filter.reason) return false;
  const conversations = filter.conversations ?? [];
  if (
    conversations.length > 0 &&
    (letter.conversationId === null || !conversations.includes(letter.conversationId))
  )
    return false;
  return filter.since === null || letter.lastFailureAt >= filter.since;
}

export function groupByReason(letters: readonly LocatedDeadLetter[]): DeadLetterGroup[] {
  const groups = new Map<string, DeadLetterGroup & { serviceSet: Set<string>; topicSet: Set<string> }>();
  for (const { letter } of letters) {
    let group = groups.get(letter.reason);
    if (!group) {
      group = {
        reason: letter.reason,
        count: 0,
        retriable: 0,
        services: [],
        sourceTopics: [],
        sample: `${letter.originalTopic}/${letter.partition}/${letter.offset}`,
        firstFailureAt: letter.firstFailureAt,
        lastFailureAt: letter.lastFailureAt,
        serviceSet: new Set(),
        topicSet: new Set(),
      };
      groups.set(letter.reason, group);
    }
    group.count += 1;
    if (letter.retriable) group.retriable += 1;
    group.serviceSet.add(letter.service);
    group.topicSet.add(letter.originalTopic);
    group.firstFailureAt = Math.min(group.firstFailureAt, letter.firstFailureAt);
    group.lastFailureAt = Math.max(group.lastFailureAt, letter.lastFailureAt);
  }
  return [...groups.values()]
    .map(({ serviceSet, topicSet, ...group }) => ({
      ...group,
      services: [...serviceSet].sort(),
      sourceTopics: [...topicSet].sort(),
    }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
