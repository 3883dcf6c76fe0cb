// A dry run of a topic replay: reads the window exactly as the replay would and reports what it
// would re-publish, writing nothing.
import { type ToolContext } from '../tool-context';
import { type PartitionWindow } from '../window/window';
import { readWindow } from '../window/window.reader';
import { isReplayed } from './run-replay.usecase';
import { addToStats, emptyStats, type WindowStats } from './window-stats';
import { withDeadline } from '../window/deadline';

export interface DryRunInput {
  runId: string;
  topic: string;
  windows: PartitionWindow[];
  conversations: string[];
  includeReplayed: boolean;
  sample: number;
}

export async function dryRunReplay(ctx: ToolContext, input: DryRunInput): Promise<WindowStats> {
  const stats = emptyStats();
  const filter = new Set(input.conversations);
  const groupId = `${ctx.groupPrefix}-${input.runId}`;
  await readWindow({
    kafka: ctx.kafka,
    admin: ctx.admin,
    topic: input.topic,
    groupId,
    windows: input.windows,
    signal: ctx.signal,
    onRecords: (records) => {
      const fresh = input.includeReplayed ? records : records.filter((record) => !isReplayed(record));
      stats.total += records.length - fresh.length;
      addToStats(stats, fresh, filter, input.sample);
      return Promise.resolve();
    },
  });
  await withDeadline(ctx.admin.deleteGroups([groupId]), 3_000);
  return stats;
}
