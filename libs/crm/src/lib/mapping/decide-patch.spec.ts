import { type CrmWriteState } from '@crm/contracts';
import { decidePatch, nextWriteState } from './decide-patch';
import { type DesiredField } from './field.mapper';

const T = 1_764_500_000_000;
const want = (
  field: string,
  value: string | number,
  policy: DesiredField['policy'] = 'always',
): DesiredField => ({ entityType: field, field, value, policy });
const stateWith = (fields: Record<string, number>): CrmWriteState => ({
  recordKey: 'salesforce:Contact:003',
  fields: Object.fromEntries(
    Object.entries(fields).map(([f, at]) => [
      f,
      { conversationId: 'c-old', conversationAt: at, updateId: 'u', writtenAt: at },
    ]),
  ),
});
const base = {
  state: null,
  conversationId: 'c-1',
  conversationAt: T,
  conversationIdField: 'Last_Conversation_Id__c',
};

describe(decidePatch.name, () => {
  it('writes only the fields that differ, plus the conversation marker', () => {
    const sut = decidePatch({
      ...base,
      current: { A: 'same', B: 'old', Last_Conversation_Id__c: null },
      desired: [want('A', 'same'), want('B', 'new')],
    });
    expect(sut).toEqual({
      outcome: 'WRITE',
      write: { B: 'new', Last_Conversation_Id__c: 'c-1' },
      skippedEqual: ['A'],
      skippedStale: [],
      skippedPolicy: [],
    });
  });

  it('decides NO_CHANGE when every value is already there', () => {
    const sut = decidePatch({
      ...base,
      current: { A: '1', S: 0.5 },
      desired: [want('A', '1'), want('S', '0.5')],
    });
    expect(sut.outcome).toBe('NO_CHANGE');
    expect(sut.write).toEqual({});
    expect(sut.skippedEqual).toEqual(['A', 'S']);
  });

  it('skips a field a newer conversation wrote, whatever its value', () => {
    const sut = decidePatch({
      ...base,
      current: { A: 'newer' },
      desired: [want('A', 'older')],
      state: stateWith({ A: T + 1 }),
    });
    expect(sut.outcome).toBe('SKIPPED_STALE');
    expect(sut.skippedStale).toEqual(['A']);
    expect(sut.write).toEqual({});
  });

  it('writes over a field last written by an older or the same conversation', () => {
    const sut = decidePatch({
      ...base,
      conversationIdField: undefined,
      current: { A: 'x', B: 'y' },
      desired: [want('A', 'x2'), want('B', 'y2')],
      state: stateWith({ A: T - 1, B: T }),
    });
    expect(sut.write).toEqual({ A: 'x2', B: 'y2' });
  });

  it('keeps the marker of a newer conversation while writing an unrelated field', () => {
    const sut = decidePatch({
      ...base,
      current: { A: 'x' },
      desired: [want('A', 'x2')],
      state: stateWith({ Last_Conversation_Id__c: T + 5 }),
    });
    expect(sut.write).toEqual({ A: 'x2' });
  });

  it('fills if-empty fields only when they are empty', () => {
    const filled = decidePatch({
      ...base,
      current: { P: '+1415' },
      desired: [want('P', '+1999', 'if-empty')],
    });
    expect(filled.outcome).toBe('NO_CHANGE');
    expect(filled.skippedPolicy).toEqual(['P']);
    const empty = decidePatch({ ...base, current: { P: '  ' }, desired: [want('P', '+1999', 'if-empty')] });
    expect(empty.write).toMatchObject({ P: '+1999' });
  });

  it('treats a case or whitespace difference as equal under if-different but not under always', () => {
    const loose = decidePatch({
      ...base,
      current: { E: 'Ann@Example.com ' },
      desired: [want('E', 'ann@example.com', 'if-different')],
    });
    expect(loose.outcome).toBe('NO_CHANGE');
    const strict = decidePatch({
      ...base,
      current: { E: 'Ann@Example.com' },
      desired: [want('E', 'ann@example.com', 'always')],
    });
    expect(strict.write).toMatchObject({ E: 'ann@example.com' });
  });
});

describe(nextWriteState.name, () => {
  it('records the writing conversation per written field and keeps the others', () => {
    const sut = nextWriteState(stateWith({ Old: T - 9 }), {
      recordKey: 'k',
      fields: ['A'],
      conversationId: 'c-1',
      conversationAt: T,
      updateId: 'u-1',
      writtenAt: T + 3,
    });
    expect(sut.recordKey).toBe('k');
    expect(sut.fields['A']).toEqual({
      conversationId: 'c-1',
      conversationAt: T,
      updateId: 'u-1',
      writtenAt: T + 3,
    });
    expect(sut.fields['Old']?.conversationAt).toBe(T - 9);
  });
});
