// Executes one parsed command and prints its result; answers the process exit code.
import { type ReplaySummary, newCheckpoint, runReplay } from '../replay/run-replay.usecase';
import { dryRunReplay } from '../replay/dry-run.usecase';
import { newRunId } from '../replay/replay-id';
import { type WindowStats } from '../replay/window-stats';
import { groupByReason } from '../dead-letters/dead-letter-groups';
import { readDeadLetters } from '../dead-letters/read-dead-letters';
import {
  planRedrive,
  redriveDeadLetters,
  type RedriveSummary,
} from '../dead-letters/redrive-dead-letters.usecase';
import { loadReextractConfig, type ReextractSettings } from '../reextract/reextract-config.loader';
import { reextract, type ReextractResult } from '../reextract/reextract.usecase';
import { redact } from '../reextract/field-diff';
import { type ToolContext } from '../tool-context';
import { resolveTopicWindow } from '../window/window.resolver';
import { windowSize } from '../window/window';
import { type Command } from './parse-args';
import { table } from './table';
import { USAGE } from './usage';

export const EXIT_OK = 0;
export const EXIT_INTERRUPTED = 130;

export interface RunnerSettings {
  topics: { deadLetter: string; events: string; requests: string };
  /** Defaults for reextract (the extractor's files); --definitions / --catalogue override. */
  reextract: ReextractSettings;
}

export type CommandRunner = (ctx: ToolContext, command: Command) => Promise<number>;

function printStats(ctx: ToolContext, stats: WindowStats, topic: string, target: string): void {
  const { out } = ctx.output;
  out(`dry run: ${stats.matched} of ${stats.total} records in the window would be re-published to ${target}`);
  out(`source ${topic}`);
  out('');
  for (const line of table(
    ['partition', 'records'],
    [...stats.byPartition]
      .sort(([a], [b]) => a - b)
      .map(([partition, count]) => [String(partition), String(count)]),
  ))
    out(line);
  out('');
  const conversations = [...stats.byConversation].sort(([, a], [, b]) => b - a);
  out(`${conversations.length} conversations (top 20 by records):`);
  for (const line of table(
    ['conversation', 'records'],
    conversations.slice(0, 20).map(([conversation, count]) => [conversation, String(count)]),
  ))
    out(line);
  out('');
  out(`sample (metadata only; values are never printed):`);
  for (const line of table(
    ['partition', 'offset', 'key', 'timestamp', 'bytes', 'schema', 'headers'],
    stats.sample.map((sample) => [
      String(sample.partition),
      sample.offset,
      sample.key ?? '',
      sample.timestamp,
      String(sample.valueBytes),
      sample.schemaId === null ? '-' : String(sample.schemaId),
      sample.headers.join(','),
    ]),
  ))
    out(line);
}

function printReplaySummary(ctx: ToolContext, summary: ReplaySummary): number {
  const rate = summary.elapsedMs > 0 ? Math.round((summary.published * 1000) / summary.elapsedMs) : 0;
  ctx.output.out(
    `replay ${summary.replayId}: ${summary.completed ? 'completed' : 'interrupted'}; read ${summary.read}, ` +
      `re-published ${summary.published}, skipped ${summary.skipped} (other conversations) and ` +
      `${summary.skippedReplayed} (written by an earlier replay), ` +
      `${(summary.elapsedMs / 1000).toFixed(1)} s, ${rate} rec/s`,
  );
  ctx.output.out(`checkpoint ${summary.checkpointPath}`);
  if (!summary.completed) {
    ctx.output.err(`resume with: replay --resume ${summary.replayId}`);
    return EXIT_INTERRUPTED;
  }
  return EXIT_OK;
}

function printRedrive(ctx: ToolContext, summary: RedriveSummary, dryRun: boolean): void {
  const verb = dryRun ? 'would send' : 'sent';
  ctx.output.out(
    `${dryRun ? 'dry run: ' : ''}re-drive ${verb} ${Object.values(summary.byTopic).reduce((a, b) => a + b, 0)} dead letters`,
  );
  for (const line of table(
    ['topic', 'records'],
    Object.entries(summary.byTopic).map(([topic, count]) => [topic, String(count)]),
  ))
    ctx.output.out(line);
  if (summary.withoutValue > 0)
    ctx.output.out(`${summary.withoutValue} dead letters carry no value and were left`);
}

function printReextract(ctx: ToolContext, result: ReextractResult, version: string): void {
  const { out } = ctx.output;
  out(
    `re-extraction with definitions ${version}: ${result.events} events, ${result.conversations} conversations, ` +
      `${result.changes.length} field changes in ${result.updates} updates`,
  );
  out(
    'values are redacted (edges and a hash); "(none)" proposed: the writer keeps the current value, it never blanks',
  );
  for (const line of table(
    ['contact', 'field', 'current', 'proposed', 'conversation'],
    result.changes.map((change) => [
      change.contact,
      change.field,
      redact(change.current),
      redact(change.proposed),
      change.conversationId,
    ]),
  ))
    out(line);
  out(
    result.applied
      ? `applied: ${result.updates} updates published to the writer's input`
      : `dry run: nothing written; run again with --apply to publish ${result.updates} updates`,
  );
}

export function createCommandRunner(settings: RunnerSettings): CommandRunner {
  const { topics } = settings;
  return async (ctx, command) => {
    switch (command.kind) {
      case 'help':
        ctx.output.out(USAGE);
        return EXIT_OK;
      case 'replay': {
        const runId = newRunId(command.dryRun ? 'dry' : 'replay', ctx.now());
        const windows = await resolveTopicWindow(ctx.admin, command.topic, command.from, command.to);
        ctx.output.err(
          `window: ${windowSize(windows)} records in ${windows.length} partitions of ${command.topic}`,
        );
        if (command.dryRun) {
          const stats = await dryRunReplay(ctx, {
            runId,
            topic: command.topic,
            windows,
            conversations: command.conversations,
            includeReplayed: command.includeReplayed,
            sample: command.sample,
          });
          printStats(ctx, stats, command.topic, command.target);
          return ctx.signal.aborted ? EXIT_INTERRUPTED : EXIT_OK;
        }
        const checkpoint = newCheckpoint({
          replayId: runId,
          topic: command.topic,
          target: command.target,
          conversations: command.conversations,
          includeReplayed: command.includeReplayed,
          windows,
          now: ctx.now(),
        });
        return printReplaySummary(ctx, await runReplay(ctx, checkpoint));
      }
      case 'resume': {
        const checkpoint = ctx.checkpoints.load(command.replayId);
        if (checkpoint.completed) {
          ctx.output.out(
            `replay ${command.replayId} already completed (${checkpoint.published} re-published)`,
          );
          return EXIT_OK;
        }
        return printReplaySummary(ctx, await runReplay(ctx, checkpoint));
      }
      case 'dead-letters-inspect': {
        const { letters, undecodable } = await readDeadLetters(ctx, {
          topic: topics.deadLetter,
          runId: newRunId('inspect', ctx.now()),
          filter: { reason: command.reason, since: command.since, conversations: command.conversations },
        });
        const groups = groupByReason(letters);
        ctx.output.out(
          `${letters.length} dead letters on ${topics.deadLetter}${undecodable ? ` (${undecodable} undecodable)` : ''}`,
        );
        for (const line of table(
          ['reason', 'count', 'retriable', 'services', 'source topics', 'sample', 'first', 'last'],
          groups.map((group) => [
            group.reason,
            String(group.count),
            String(group.retriable),
            group.services.join(','),
            group.sourceTopics.join(','),
            group.sample,
            new Date(group.firstFailureAt).toISOString(),
            new Date(group.lastFailureAt).toISOString(),
          ]),
        ))
          ctx.output.out(line);
        return EXIT_OK;
      }
      case 'dead-letters-redrive': {
        const redriveId = newRunId('redrive', ctx.now());
        const { letters } = await readDeadLetters(ctx, {
          topic: topics.deadLetter,
          runId: redriveId,
          filter: { reason: command.reason, since: command.since, conversations: command.conversations },
        });
        if (command.dryRun) {
          printRedrive(ctx, planRedrive(letters), true);
          return EXIT_OK;
        }
        const summary = await redriveDeadLetters(ctx, {
          deadLetterTopic: topics.deadLetter,
          redriveId,
          letters,
        });
        printRedrive(ctx, summary, false);
        ctx.output.out(`re-drive id ${redriveId} (header x-redrive on every re-sent record)`);
        return ctx.signal.aborted ? EXIT_INTERRUPTED : EXIT_OK;
      }
      case 'reextract': {
        const config = loadReextractConfig({
          ...settings.reextract,
          ...(command.definitionsFile ? { definitionsFile: command.definitionsFile } : {}),
          ...(command.catalogueFile ? { catalogueFile: command.catalogueFile } : {}),
        });
        const result = await reextract(ctx, {
          runId: newRunId('reextract', ctx.now()),
          eventsTopic: topics.events,
          requestsTopic: topics.requests,
          from: command.from,
          to: command.to,
          conversations: command.conversations,
          extractor: config.extractor,
          policy: config.policy,
          fieldOf: config.fieldOf,
          apply: command.apply,
        });
        printReextract(ctx, result, config.definitionsVersion);
        return ctx.signal.aborted ? EXIT_INTERRUPTED : EXIT_OK;
      }
    }
  };
}
