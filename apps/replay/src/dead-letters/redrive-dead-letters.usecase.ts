// Sends dead letters back to the topic they came from: the original key, value and headers, plus
// a re-drive marker. Downstream idempotency (event ids in the aggregator, update ids, read-compare
// and stale-write state in the writer) makes a second re-drive of the same letters harmless.
import { ACKS_ALL } from '@crm/kafka-core';
import { redriveHeaders } from '../replay/replay-headers';
import { type ToolContext } from '../tool-context';
import { type LocatedDeadLetter } from './dead-letter-groups';

export interface RedriveSummary {
  /** Per original topic, how many were (or in a dry run would be) sent. */
  byTopic: Record<string, number>;
  sent: number;
  /** Letters without an original value cannot be re-driven (nothing to send). */
  withoutValue: number;
}

export function planRedrive(letters: readonly LocatedDeadLetter[]): RedriveSummary {
  const byTopic: Record<string, number> = {};
  let withoutValue = 0;
  for (const { letter } of letters) {
    if (letter.value === null) {
      withoutValue += 1;
      continue;
    }
    byTopic[letter.originalTopic] = (byTopic[letter.originalTopic] ?? 0) + 1;
  }
  return { byTopic, sent: 0, withoutValue };
}

export async function redriveDeadLetters(
  ctx: ToolContext,
  input: {
    deadLetterTopic: string;
    redriveId: string;
    letters: readonly LocatedDeadLetter[];
    batchSize?: number;
  },
): Promise<RedriveSummary> {
  const summary = planRedrive(input.letters);
  const sendable = input.letters.filter(({ letter }) => letter.value !== null);
  const batchSize = input.batchSize ?? 200;
  for (let index = 0; index < sendable.length; index += batchSize) {
    if (ctx.signal.aborted) break;
    const chunk = sendable.slice(index, index + batchSize);
    const byTopic = new Map<string, typeof chunk>();
    for (const located of chunk)
      byTopic.set(located.letter.originalTopic, [
        ...(byTopic.get(located.letter.originalTopic) ?? []),
        located,
      ]);
    await ctx.producer.sendBatch({
      acks: ACKS_ALL,
      topicMessages: [...byTopic].map(([topic, located]) => ({
        topic,
        messages: located.map(({ letter, partition, offset }) => ({
          key: letter.key,
          value: letter.value,
          headers: redriveHeaders(letter.headers, input.redriveId, {
            topic: input.deadLetterTopic,
            partition,
            offset,
          }),
        })),
      })),
    });
    summary.sent += chunk.length;
  }
  return summary;
}
