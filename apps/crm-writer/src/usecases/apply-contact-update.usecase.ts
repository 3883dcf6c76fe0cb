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
    const { request, recordKey, ref } = command;
    const { desired, ignored } = mapValues(request.values, this.mapping);
    const ignoredNames = ignored.map((entry) => entry.entityType);
    if (desired.length === 0) {
      return {
        outcome: 'NO_CHANGE',
        fieldsWritten: [],
        fieldsSkipped: ignoredNames,
        crmRequestIds: [],
        attempts: 0,
        state: null,
      };
    }
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
    const skipped = [
      ...decision.skippedEqual,
      ...decision.skippedStale,
      ...decision.skippedPolicy,
      ...ignoredNames,
    ];
    if (decision.outcome !== 'WRITE') {
      const outcome: UpdateOutcome = decision.outcome === 'SKIPPED_STALE' ? 'SKIPPED_STALE' : 'NO_CHANGE';
      return {
        outcome,
        fieldsWritten: [],
        fieldsSkipped: skipped,
        crmRequestIds: requestIds,
        attempts,
        state: null,
      };
    }
    const fieldsWritten = Object.keys(decision.write);
    const state = nextWriteState(this.store.get(recordKey), {
      recordKey,
      fields: fieldsWritten,
      conversationId: request.conversationId,
      conversationAt: request.conversationAt,
      updateId: request.updateId,
      writtenAt: this.now(),
    });
    return {
      outcome: 'APPLIED',
      fieldsWritten,
      fieldsSkipped: skipped,
      crmRequestIds: requestIds,
      attempts,
      state,
    };
  }
}
