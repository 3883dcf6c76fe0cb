// Reads the dead-letter topic from `since` (or its beginning) to its end as of now, decoded.
import { type DeadLetter, MESSAGE_SCHEMAS, subjectFor } from '@crm/contracts';
import { type ToolContext } from '../tool-context';
import { resolveTopicWindow } from '../window/window.resolver';
import { readWindow } from '../window/window.reader';
import { type DeadLetterFilter, type LocatedDeadLetter, matchesFilter } from './dead-letter-groups';
import { withDeadline } from '../window/deadline';

export async function readDeadLetters(
  ctx: ToolContext,
  input: { topic: string; runId: string; filter: DeadLetterFilter },
): Promise<{ letters: LocatedDeadLetter[]; undecodable: number }> {
  const handle = await ctx.serde.register<DeadLetter>(
    subjectFor(input.topic, 'value'),
    MESSAGE_SCHEMAS['dead-letter'].value,
  );
  // Dead letters are written when the failure happens, so a record's time bounds its lastFailureAt.
  const from =
    input.filter.since === null
      ? { kind: 'offset' as const, offset: 0 }
      : { kind: 'time' as const, at: input.filter.since };
  const windows = await resolveTopicWindow(ctx.admin, input.topic, from, null);
  const letters: LocatedDeadLetter[] = [];
  let undecodable = 0;
  const groupId = `${ctx.groupPrefix}-${input.runId}`;
  await readWindow({
    kafka: ctx.kafka,
    admin: ctx.admin,
    topic: input.topic,
    groupId,
    windows,
    signal: ctx.signal,
    onRecords: async (records) => {
      for (const { partition, message } of records) {
        try {
          const letter = await ctx.serde.decodeAsync(message.value, handle);
          if (matchesFilter(letter, input.filter))
            letters.push({ letter, partition, offset: message.offset });
        } catch {
          undecodable += 1;
        }
      }
    },
  });
  await withDeadline(ctx.admin.deleteGroups([groupId]), 3_000);
  return { letters, undecodable };
}
