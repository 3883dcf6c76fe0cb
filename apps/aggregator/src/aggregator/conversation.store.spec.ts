import { DEFAULT_AGGREGATION_POLICY } from '@crm/aggregation';
import { A_CONVERSATION_ID, T0, aLifecycle, aStateFrom, anEntity } from '@crm/aggregation/testing';

import { ConversationStore } from './conversation.store';
import { StatePacker } from './state.packer';

describe(ConversationStore.name, () => {
  const state = aStateFrom(
    [
      [aLifecycle('CONTACT_ATTRIBUTES', { attributes: { SF_ContactId: '003XX0000004DcYAAU' } }), T0],
      [anEntity({ entityType: 'OrderNumber', value: '1234567890', occurredAt: T0 + 1 }), T0 + 1],
      [anEntity({ entityType: 'Email', value: 'jane@example.com', occurredAt: T0 + 2 }), T0 + 2],
    ],
    DEFAULT_AGGREGATION_POLICY,
  );
  let sut: ConversationStore;

  beforeEach(() => {
    sut = new ConversationStore();
    sut.install(0, new Map());
  });

  it('hands back the very state it was given until the partition is compacted', () => {
    sut.set(0, A_CONVERSATION_ID, {
      state,
      dueAt: T0 + 1_000,
      headers: { traceparent: 'tp' },
      evictableAt: T0 + 5,
    });

    expect(sut.get(0, A_CONVERSATION_ID)?.state).toBe(state);
  });

  it('hands back an equal state, deadline and headers once packed', () => {
    sut.set(0, A_CONVERSATION_ID, {
      state,
      dueAt: T0 + 1_000,
      headers: { traceparent: 'tp' },
      evictableAt: T0 + 5,
    });

    sut.compact(0);

    expect(sut.get(0, A_CONVERSATION_ID)).toEqual({
      state,
      dueAt: T0 + 1_000,
      headers: { traceparent: 'tp' },
      evictableAt: T0 + 5,
    });
    expect(sut.get(0, A_CONVERSATION_ID)?.state).not.toBe(state);
  });

  it('keeps the bytes it is handed on compact rather than encoding the state again', () => {
    const committed = aStateFrom([[anEntity({ value: '5555555555' }), T0]], DEFAULT_AGGREGATION_POLICY);
    sut.set(0, A_CONVERSATION_ID, { state, dueAt: null, headers: null, evictableAt: null });

    sut.compact(0, (id) => (id === A_CONVERSATION_ID ? new StatePacker().pack(committed) : undefined));

    expect(sut.get(0, A_CONVERSATION_ID)?.state).toEqual(committed);
  });

  it('installs restored packed entries and counts them', () => {
    sut.install(
      1,
      new Map([[A_CONVERSATION_ID, { packed: new StatePacker().pack(state), dueAt: null, evictableAt: T0 }]]),
    );

    expect(sut.get(1, A_CONVERSATION_ID)).toEqual({ state, dueAt: null, headers: null, evictableAt: T0 });
    expect(sut.size()).toBe(1);
  });

  it('forgets a deleted conversation, packed or not', () => {
    sut.set(0, 'a', { state, dueAt: null, headers: null, evictableAt: null });
    sut.compact(0);
    sut.set(0, 'b', { state, dueAt: T0, headers: null, evictableAt: null });

    sut.delete(0, 'a');
    sut.delete(0, 'b');
    sut.compact(0);

    expect(sut.get(0, 'a')).toBeUndefined();
    expect(sut.get(0, 'b')).toBeUndefined();
    expect(sut.size()).toBe(0);
    expect(sut.due(0, T0)).toEqual([]);
  });

  describe('due', () => {
    const entry = (dueAt: number | null) => ({ state, dueAt, headers: null, evictableAt: null });

    it('names the conversations whose deadline has come, packed or not', () => {
      sut.set(0, 'packed', entry(T0 + 10));
      sut.compact(0);
      sut.set(0, 'hot', entry(T0 + 20));
      sut.set(0, 'later', entry(T0 + 100));
      sut.set(0, 'never', entry(null));

      expect(sut.due(0, T0 + 5)).toEqual([]);
      expect(sut.due(0, T0 + 20).sort()).toEqual(['hot', 'packed']);
    });

    it('sees a deadline set after a scan, even one earlier than any the scan saw', () => {
      sut.set(0, 'later', entry(T0 + 100));
      expect(sut.due(0, T0)).toEqual([]);

      sut.set(0, 'sooner', entry(T0 + 10));

      expect(sut.due(0, T0 + 10)).toEqual(['sooner']);
    });

    it('names a due conversation again until it is settled', () => {
      sut.set(0, 'a', entry(T0 + 10));
      expect(sut.due(0, T0 + 10)).toEqual(['a']);
      expect(sut.due(0, T0 + 11)).toEqual(['a']);

      sut.set(0, 'a', entry(T0 + 50));

      expect(sut.due(0, T0 + 20)).toEqual([]);
      expect(sut.due(0, T0 + 50)).toEqual(['a']);
    });

    it('scans a restored partition, whose deadlines no set has announced', () => {
      sut.install(
        1,
        new Map([['restored', { packed: new StatePacker().pack(state), dueAt: T0 + 10, evictableAt: null }]]),
      );

      expect(sut.due(1, T0 + 10)).toEqual(['restored']);
    });
  });

  it('names the evictable conversations of a partition, longest evictable first, up to a count', () => {
    const entry = (evictableAt: number | null) => ({ state, dueAt: null, headers: null, evictableAt });
    sut.set(0, 'third', entry(T0 + 30));
    sut.set(0, 'first', entry(T0 + 10));
    sut.compact(0);
    sut.set(0, 'second', entry(T0 + 20));
    sut.set(0, 'kept', entry(null));
    sut.set(0, 'not-yet', entry(T0 + 100));
    sut.install(
      1,
      new Map([['other-partition', { packed: new StatePacker().pack(state), dueAt: null, evictableAt: T0 }]]),
    );

    expect(sut.evictable(0, T0 + 50, 10)).toEqual(['first', 'second', 'third']);
    expect(sut.evictable(0, T0 + 50, 2)).toEqual(['first', 'second']);
    expect(sut.evictable(0, T0 + 50, 0)).toEqual([]);
  });

  it('finds what became evictable after a scan that found nothing', () => {
    const entry = (evictableAt: number | null) => ({ state, dueAt: null, headers: null, evictableAt });
    sut.set(0, 'open', entry(null));
    sut.set(0, 'later', entry(T0 + 100));
    expect(sut.evictable(0, T0, 10)).toEqual([]);

    // Set after the empty scan, evictable before the earliest time that scan saw.
    sut.set(0, 'sooner', entry(T0 + 20));
    expect(sut.evictable(0, T0 + 30, 10)).toEqual(['sooner']);
    sut.delete(0, 'sooner');
    expect(sut.evictable(0, T0 + 50, 10)).toEqual([]);
    expect(sut.evictable(0, T0 + 100, 10)).toEqual(['later']);
  });

  it('scans again after a scan that found evictable conversations', () => {
    const entry = (evictableAt: number | null) => ({ state, dueAt: null, headers: null, evictableAt });
    sut.set(0, 'a', entry(T0 + 1));
    sut.set(0, 'b', entry(T0 + 2));
    sut.set(0, 'c', entry(T0 + 3));
    expect(sut.evictable(0, T0 + 10, 1)).toEqual(['a']);
    sut.delete(0, 'a');
    expect(sut.evictable(0, T0 + 10, 1)).toEqual(['b']);
  });
});
