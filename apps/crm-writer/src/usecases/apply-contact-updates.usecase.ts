// Read → decide → PATCH for many records at once: one multi-record read (SOQL `Id IN`-style query)
// and one `updateMany` (sObject Collections / $batch) for the records that need a write, each record
// succeeding or failing on its own. Whatever the batched path cannot settle safely (a record the
// read did not return, a retriable per-record error, a read too old for an unconditional write, or
// a batch call that keeps failing) goes through the single-record use case with its own retries.
import {
  type BatchUpdate,
  type CrmAdapter,
  decidePatch,
  fieldsToRead,
  mapValues,
  type PatchDecision,
  type ProviderMapping,
  type ReadResult,
  type RetryOptions,
  withRetry,
} from '@crm/crm';
import { type WriteStateStore } from '../state/write-state.store';
import {
  type ApplyContactUpdateCommand,
  type ApplyContactUpdateOutcome,
  type ApplyContactUpdateUseCase,
  appliedOutcome,
  earlyOutcome,
  skippedOutcome,
  type RetryHooks,
} from './apply-contact-update.usecase';

export type BatchItemResult = { ok: true; value: ApplyContactUpdateOutcome } | { ok: false; error: unknown };

export interface BatchApplyOptions {
  /** Records per multi-record read and write (Salesforce collections take at most 200). */
  batchSize: number;
  /**
   * Salesforce collections cannot carry If-Unmodified-Since: an unconditional batched write is only
   * used when the read is at most this old (the single-record condition has a 1 s blind spot anyway,
   * HTTP-dates having whole seconds). Older reads (after a wait or a retry) PATCH conditionally one by one.
   */
  maxUnconditionalAgeMs: number;
}

interface Pending {
  index: number;
  command: ApplyContactUpdateCommand;
  desired: ReturnType<typeof mapValues>['desired'];
  ignored: string[];
}

interface Written {
  item: Pending;
  decision: PatchDecision;
  read: ReadResult;
}

export class ApplyContactUpdatesUseCase {
  constructor(
    private readonly adapter: CrmAdapter,
    private readonly mapping: ProviderMapping,
    private readonly store: WriteStateStore,
    private readonly single: ApplyContactUpdateUseCase,
    private readonly retry: Omit<RetryOptions, 'onRetry' | 'waitForBreaker'>,
    private readonly options: BatchApplyOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async execute(
    commands: readonly ApplyContactUpdateCommand[],
    hooks: RetryHooks = {},
  ): Promise<BatchItemResult[]> {
    const results: BatchItemResult[] = new Array<BatchItemResult>(commands.length);
    let pending = commands.map((command, index) => ({ command, index }));
    // Two updates of one record in a batch must see each other's write: distinct records per wave.
    while (pending.length > 0) {
      const seen = new Set<string>();
      const wave: typeof pending = [];
      const later: typeof pending = [];
      for (const item of pending) {
        if (seen.has(item.command.recordKey)) later.push(item);
        else {
          seen.add(item.command.recordKey);
          wave.push(item);
        }
      }
      await this.runWave(wave, results, hooks);
      pending = later;
    }
    return results;
  }

  private async runWave(
    wave: ReadonlyArray<{ command: ApplyContactUpdateCommand; index: number }>,
    results: BatchItemResult[],
    hooks: RetryHooks,
  ): Promise<void> {
    const batchable: Pending[] = [];
    for (const { command, index } of wave) {
      const early = earlyOutcome(command, this.mapping, this.store);
      if (early) results[index] = { ok: true, value: early };
      else {
        const { desired, ignored } = mapValues(command.request.values, this.mapping);
        batchable.push({ index, command, desired, ignored: ignored.map((entry) => entry.entityType) });
      }
    }
    const fallback: Pending[] = [];
    const byObject = new Map<string, Pending[]>();
    for (const item of batchable)
      byObject.set(item.command.ref.object, [...(byObject.get(item.command.ref.object) ?? []), item]);
    for (const group of byObject.values()) {
      for (let start = 0; start < group.length; start += this.options.batchSize) {
        const chunk = group.slice(start, start + this.options.batchSize);
        // One record gains nothing from a collection call and keeps its conditional single PATCH.
        const canBatch =
          chunk.length > 1 && this.adapter.readMany !== undefined && this.adapter.updateMany !== undefined;
        fallback.push(...(canBatch ? await this.runBatched(chunk, results, hooks) : chunk));
      }
    }
    await Promise.all(
      fallback.map(async (item) => {
        try {
          results[item.index] = { ok: true, value: await this.single.execute(item.command, hooks) };
        } catch (error) {
          results[item.index] = { ok: false, error };
        }
      }),
    );
  }

  /** Returns the items left for the single-record path. */
  private async runBatched(
    items: readonly Pending[],
    results: BatchItemResult[],
    hooks: RetryHooks,
  ): Promise<Pending[]> {
    const object = items[0]!.command.ref.object;
    const fields = [...new Set(items.flatMap((item) => fieldsToRead(item.desired, this.mapping)))];
    try {
      const { value, attempts } = await withRetry(
        async () => {
          const readAt = this.now();
          const reads = await this.adapter.readMany!(
            object,
            items.map((item) => item.command.ref.id),
            fields,
          );
          const left: Pending[] = [];
          const settled: Array<{ item: Pending; result: BatchItemResult }> = [];
          const writes: Written[] = [];
          for (const item of items) {
            const read = reads.get(item.command.ref.id);
            if (!read) {
              left.push(item);
              continue;
            }
            const { request } = item.command;
            const decision = decidePatch({
              current: read.values,
              desired: item.desired,
              state: this.store.get(item.command.recordKey),
              conversationId: request.conversationId,
              conversationAt: request.conversationAt,
              conversationIdField: this.mapping.conversationIdField,
            });
            if (decision.outcome === 'WRITE') writes.push({ item, decision, read });
            else
              settled.push({
                item,
                result: { ok: true, value: skippedOutcome(decision, item.ignored, ids(read)) },
              });
          }
          const conditional = this.adapter.updateManyIsConditional === true;
          if (writes.length > 0 && !conditional && this.now() - readAt > this.options.maxUnconditionalAgeMs) {
            left.push(...writes.map((w) => w.item));
            return { left, settled };
          }
          const outcomes =
            writes.length === 0 ? [] : await this.adapter.updateMany!(writes.map(toBatchUpdate));
          writes.forEach((written, position) => {
            const outcome = outcomes[position];
            if (outcome?.ok === true) {
              const value = appliedOutcome(
                written.item.command,
                written.decision,
                written.item.ignored,
                ids(written.read),
                1,
                this.store,
                this.now(),
              );
              this.store.set(value.state!);
              settled.push({ item: written.item, result: { ok: true, value } });
            } else if (outcome && !outcome.error.retriable) {
              settled.push({ item: written.item, result: { ok: false, error: outcome.error } });
            } else left.push(written.item);
          });
          return { left, settled };
        },
        { ...this.retry, ...hooks },
      );
      for (const { item, result } of value.settled)
        results[item.index] = result.ok ? { ok: true, value: { ...result.value, attempts } } : result;
      return value.left;
    } catch {
      // The batch call itself kept failing (or failed for a reason the batch cannot tell apart): each
      // record retries and is classified on its own, so a permanent failure still dead-letters alone.
      return [...items];
    }
  }
}

function toBatchUpdate(written: Written): BatchUpdate {
  const { ref } = written.item.command;
  const version = written.read.version;
  return { ref, fields: written.decision.write, ...(version ? { condition: { version } } : {}) };
}

function ids(read: ReadResult): string[] {
  return read.requestId ? [read.requestId] : [];
}
