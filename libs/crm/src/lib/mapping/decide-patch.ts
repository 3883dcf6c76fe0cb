// The pure "what do we PATCH" decision (DESIGN.md §6): given the record's current values, the mapped
// desired values, the per-field stale-write state and the update's conversation time, it returns
// the fields to write and why the others were skipped. Nothing to write → no PATCH at all.
import { type CrmWriteState, type FieldWrite } from '@crm/contracts';
import { type FieldValue, type FieldValues } from '../port/crm.port';
import { type DesiredField } from './field.mapper';

export interface DecideInput {
  current: Readonly<FieldValues>;
  desired: readonly DesiredField[];
  state: CrmWriteState | null;
  conversationId: string;
  /** The update's stale-write clock (ContactUpdateRequested.conversationAt). */
  conversationAt: number;
  /** Set to the conversation id whenever something else is written. */
  conversationIdField?: string | undefined;
}

export type PatchOutcome = 'WRITE' | 'NO_CHANGE' | 'SKIPPED_STALE';

export interface PatchDecision {
  outcome: PatchOutcome;
  /** The PATCH body; empty unless outcome is WRITE. */
  write: FieldValues;
  skippedEqual: string[];
  skippedStale: string[];
  /** if-empty fields that already hold a value. */
  skippedPolicy: string[];
}

export function decidePatch(input: DecideInput): PatchDecision {
  const write: FieldValues = {};
  const skippedEqual: string[] = [];
  const skippedStale: string[] = [];
  const skippedPolicy: string[] = [];
  for (const { field, value, policy } of input.desired) {
    if (isStale(input.state?.fields[field], input.conversationAt)) {
      skippedStale.push(field);
      continue;
    }
    const current = input.current[field] ?? null;
    if (policy === 'if-empty' && !isEmpty(current)) {
      if (sameValue(current, value)) skippedEqual.push(field);
      else skippedPolicy.push(field);
      continue;
    }
    const equal = policy === 'if-different' ? equivalent(current, value) : sameValue(current, value);
    if (equal) {
      skippedEqual.push(field);
      continue;
    }
    write[field] = value;
  }
  const writing = Object.keys(write).length > 0;
  const marker = input.conversationIdField;
  if (
    writing &&
    marker &&
    !(marker in write) &&
    !isStale(input.state?.fields[marker], input.conversationAt)
  ) {
    if (!sameValue(input.current[marker] ?? null, input.conversationId)) write[marker] = input.conversationId;
  }
  const outcome: PatchOutcome = writing ? 'WRITE' : skippedStale.length > 0 ? 'SKIPPED_STALE' : 'NO_CHANGE';
  return { outcome, write: writing ? write : {}, skippedEqual, skippedStale, skippedPolicy };
}

/** A newer conversation already wrote this field: a replay or a late event must not overwrite it. */
export function isStale(last: FieldWrite | undefined, conversationAt: number): boolean {
  return last !== undefined && last.conversationAt > conversationAt;
}

function isEmpty(value: FieldValue): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/** Exact equality, tolerant of the CRM returning a number where we hold its string form and vice versa. */
export function sameValue(current: FieldValue, desired: FieldValue): boolean {
  if (current === desired) return true;
  if (current === null || desired === null) return false;
  if (typeof current === 'number' || typeof desired === 'number') return Number(current) === Number(desired);
  return String(current) === String(desired);
}

/** Equality in meaning: case and surrounding whitespace do not count as a difference. */
export function equivalent(current: FieldValue, desired: FieldValue): boolean {
  if (sameValue(current, desired)) return true;
  if (typeof current !== 'string' || typeof desired !== 'string') return false;
  return current.trim().toLowerCase() === desired.trim().toLowerCase();
}

export interface AppliedWrite {
  recordKey: string;
  fields: readonly string[];
  conversationId: string;
  conversationAt: number;
  updateId: string;
  writtenAt: number;
}

/** The stale-write state after a successful PATCH of `fields`. */
export function nextWriteState(previous: CrmWriteState | null, applied: AppliedWrite): CrmWriteState {
  const fields: Record<string, FieldWrite> = { ...(previous?.fields ?? {}) };
  for (const field of applied.fields) {
    fields[field] = {
      conversationId: applied.conversationId,
      conversationAt: applied.conversationAt,
      updateId: applied.updateId,
      writtenAt: applied.writtenAt,
    };
  }
  return { recordKey: applied.recordKey, fields };
}
