// Read → decide → PATCH for one record, owned by this partition: maps the update's values to CRM
// fields, reads their current values, applies the stale-write guard, and PATCHes only what differs,
// conditionally on the version read (an agent's concurrent edit fails the precondition and the
// whole step is re-read and re-decided). Nothing differs → no PATCH.
import { type ContactUpdateRequested, type CrmWriteState, type UpdateOutcome } from '@crm/contracts';
import {
  type CrmAdapter,
  decidePatch,
  fieldsToRead,
  mapValues,
  nextWriteState,
  type PatchDecision,
  type ProviderMapping,
  type RecordRef,
  type RetryOptions,
  withRetry,
} from '@crm/crm';
import { type WriteStateStore } from '../state/write-state.store';

export interface ApplyContactUpdateCommand {
  request: ContactUpdateRequested;
  recordKey: string;
  ref: RecordRef;
}

export interface ApplyContactUpdateOutcome {
  outcome: UpdateOutcome;
  fieldsWritten: string[];
  fieldsSkipped: string[];
  crmRequestIds: string[];
  attempts: number;
  /** The new stale-write state when something was written. */
  state: CrmWriteState | null;
}

export type RetryHooks = Pick<RetryOptions, 'onRetry' | 'waitForBreaker'>;

export class ApplyContactUpdateUseCase {
  constructor(
    private readonly adapter: CrmAdapter,
    private readonly mapping: ProviderMapping,
    private readonly store: WriteStateStore,
    private readonly retry: Omit<RetryOptions, 'onRetry' | 'waitForBreaker'>,
    private readonly now: () => number = Date.now,
  ) {}

  async execute(
    command: ApplyContactUpdateCommand,
    hooks: RetryHooks = {},
  ): Promise<ApplyContactUpdateOutcome> {
    const early = earlyOutcome(command, this.mapping, this.store);
    if (early) return early;
    const { request, recordKey, ref } = command;
    const { desired, ignored } = mapValues(request.values, this.mapping);
    const ignoredNames = ignored.map((entry) => entry.entityType);
    const fields = fieldsToRead(desired, this.mapping);
    const { value, attempts } = await withRetry(
      async () => {
        const requestIds: string[] = [];
        const current = await this.adapter.read(ref, fields);
        if (current.requestId) requestIds.push(current.requestId);
        const decision = decidePatch({
          current: current.values,
          desired,
          state: this.store.get(recordKey),
          conversationId: request.conversationId,
          conversationAt: request.conversationAt,
          conversationIdField: this.mapping.conversationIdField,
        });
        if (decision.outcome === 'WRITE') {
          const written = await this.adapter.update(
            ref,
            decision.write,
            current.version ? { version: current.version } : undefined,
          );
          if (written.requestId) requestIds.push(written.requestId);
        }
        return { decision, requestIds };
      },
      { ...this.retry, ...hooks },
    );
    const { decision, requestIds } = value;
    if (decision.outcome !== 'WRITE')
      return { ...skippedOutcome(decision, ignoredNames, requestIds), attempts };
    return appliedOutcome(command, decision, ignoredNames, requestIds, attempts, this.store, this.now());
  }
}

/**
 * Settles an update without calling the CRM: nothing mapped, or a redelivery of an update whose every
 * field this very update already wrote (the write state proves the CRM received it). We do not
 * re-read then: if the value differs now, someone edited it after us, and a replay must not undo that.
 * Any other case (a field we skipped as equal, a different update) reads the CRM, since only the CRM
 * knows whether an agent changed the value since our last write.
 */
export function earlyOutcome(
  command: ApplyContactUpdateCommand,
  mapping: ProviderMapping,
  store: WriteStateStore,
): ApplyContactUpdateOutcome | null {
  const { desired, ignored } = mapValues(command.request.values, mapping);
  const ignoredNames = ignored.map((entry) => entry.entityType);
  const state = store.get(command.recordKey);
  const alreadyApplied =
    desired.length > 0 &&
    desired.every(({ field }) => state?.fields[field]?.updateId === command.request.updateId);
  if (desired.length > 0 && !alreadyApplied) return null;
  return {
    outcome: 'NO_CHANGE',
    fieldsWritten: [],
    fieldsSkipped: [...desired.map(({ field }) => field), ...ignoredNames],
    crmRequestIds: [],
    attempts: 0,
    state: null,
  };
}

export function skippedOutcome(
  decision: PatchDecision,
  ignoredNames: readonly string[],
  requestIds: string[],
): ApplyContactUpdateOutcome {
  return {
    outcome: decision.outcome === 'SKIPPED_STALE' ? 'SKIPPED_STALE' : 'NO_CHANGE',
    fieldsWritten: [],
    fieldsSkipped: skippedNames(decision, ignoredNames),
    crmRequestIds: requestIds,
    attempts: 1,
    state: null,
  };
}

export function appliedOutcome(
  command: ApplyContactUpdateCommand,
  decision: PatchDecision,
  ignoredNames: readonly string[],
  requestIds: string[],
  attempts: number,
  store: WriteStateStore,
  now: number,
): ApplyContactUpdateOutcome {
  const fieldsWritten = Object.keys(decision.write);
  const state = nextWriteState(store.get(command.recordKey), {
    recordKey: command.recordKey,
    fields: fieldsWritten,
    conversationId: command.request.conversationId,
    conversationAt: command.request.conversationAt,
    updateId: command.request.updateId,
    writtenAt: now,
  });
  return {
    outcome: 'APPLIED',
    fieldsWritten,
    fieldsSkipped: skippedNames(decision, ignoredNames),
    crmRequestIds: requestIds,
    attempts,
    state,
  };
}

function skippedNames(decision: PatchDecision, ignoredNames: readonly string[]): string[] {
  return [...decision.skippedEqual, ...decision.skippedStale, ...decision.skippedPolicy, ...ignoredNames];
}
