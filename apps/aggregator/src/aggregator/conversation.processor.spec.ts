import { DEFAULT_AGGREGATION_POLICY } from '@crm/aggregation';
import { A_CONVERSATION_ID, T0, aLifecycle, anEntity } from '@crm/aggregation/testing';

import { ConversationProcessor, emptyResult } from './conversation.processor';
import { ConversationStore } from './conversation.store';

describe(ConversationProcessor.name, () => {
  const policy = {
    ...DEFAULT_AGGREGATION_POLICY,
    debounceMs: 1_000,
    maxWaitMs: 5_000,
    endedRetentionMs: 60_000,
  };
  let store: ConversationStore;
  let sut: ConversationProcessor;

  beforeEach(() => {
    store = new ConversationStore();
    store.install(0, new Map());
    sut = new ConversationProcessor(store, policy);
  });

  it('flushes a voice conversation at once on ANALYTICS_READY and writes its state', () => {
    const out = emptyResult();
    sut.apply(0, anEntity({ occurredAt: T0 }), null, T0, out);
    sut.apply(0, aLifecycle('ANALYTICS_READY', { occurredAt: T0 + 10 }), { traceparent: 'tp' }, T0 + 10, out);

    expect(out.updates.map((u) => u.update.trigger)).toEqual(['ANALYTICS_READY']);
    expect(out.updates[0]?.headers).toEqual({ traceparent: 'tp' });
    expect(out.states.get(A_CONVERSATION_ID)?.flushedUpdateId).toBe(out.updates[0]?.update.updateId);
  });

  it('writes nothing for a duplicate record and counts it as suppressed', () => {
    const record = anEntity({ mediaType: 'CHAT' });
    sut.apply(0, record, null, T0, emptyResult());
    const out = emptyResult();
    sut.apply(0, record, null, T0 + 1, out);

    expect(out.states.size).toBe(0);
    expect(out.suppressed).toEqual(['DUPLICATE']);
  });

  it('flushes a chat burst on the tick once the debounce window has passed, not before', () => {
    sut.apply(0, anEntity({ mediaType: 'CHAT' }), null, T0, emptyResult());
    const early = emptyResult();
    sut.tick(0, T0 + 999, early);
    const due = emptyResult();
    sut.tick(0, T0 + 1_000, due);

    expect(early.updates).toHaveLength(0);
    expect(due.updates.map((u) => u.update.trigger)).toEqual(['DEBOUNCE']);
  });

  it('decides the same whether or not the state was packed between records', () => {
    const records = [
      aLifecycle('CONTACT_ATTRIBUTES', {
        attributes: { SF_ContactId: '003XX0000004DcYAAU' },
        occurredAt: T0,
      }),
      anEntity({ entityType: 'OrderNumber', value: '1234567890', occurredAt: T0 + 1 }),
      anEntity({ entityType: 'OrderNumber', value: '1234567891', occurredAt: T0 + 2 }),
      anEntity({ entityType: 'Email', value: 'jane@example.com', occurredAt: T0 + 3 }),
      aLifecycle('ANALYTICS_READY', { occurredAt: T0 + 10_000 }),
    ];
    const packedStore = new ConversationStore();
    packedStore.install(0, new Map());
    const packed = new ConversationProcessor(packedStore, policy);
    const asObjects = emptyResult();
    const afterPacking = emptyResult();

    records.forEach((record, i) => {
      sut.apply(0, record, null, T0 + i * 2_000, asObjects);
      packed.apply(0, record, null, T0 + i * 2_000, afterPacking);
      packedStore.compact(0);
    });

    expect(afterPacking.updates).toEqual(asObjects.updates);
    expect(afterPacking.suppressed).toEqual(asObjects.suppressed);
    expect(afterPacking.updates.length).toBeGreaterThan(0);
  });

  it('tombstones an ended conversation once its retention has passed', () => {
    sut.apply(0, anEntity({ occurredAt: T0 }), null, T0, emptyResult());
    sut.apply(0, aLifecycle('ANALYTICS_READY', { occurredAt: T0 }), null, T0, emptyResult());
    const out = emptyResult();
    sut.tick(0, T0 + 60_000, out);

    expect(out.states.get(A_CONVERSATION_ID)).toBeNull();
    expect(store.size()).toBe(0);
  });

  it('evicts ended, flushed conversations oldest first as tombstones, and never an open one', () => {
    const chat = (conversationId: string, endedAt: number | null) => {
      sut.apply(0, anEntity({ conversationId, mediaType: 'CHAT' }), null, endedAt ?? T0, emptyResult());
      if (endedAt !== null)
        sut.apply(
          0,
          aLifecycle('CONVERSATION_ENDED', { conversationId, mediaType: 'CHAT' }),
          null,
          endedAt,
          emptyResult(),
        );
    };
    chat('ended-late', T0 + 20);
    chat('ended-early', T0 + 10);
    chat('still-open', null);
    const out = emptyResult();

    sut.evict(0, T0 + 30, 5, out);

    expect([...out.states.entries()]).toEqual([
      ['ended-early', null],
      ['ended-late', null],
    ]);
    expect(out.evicted).toBe(2);
    expect(store.size()).toBe(1);
    expect(store.get(0, 'still-open')).toBeDefined();
  });

  it('keeps a voice call that may still get analytics until its grace period ends', () => {
    sut.apply(0, aLifecycle('CONVERSATION_ENDED', { conversationId: 'call' }), null, T0, emptyResult());
    const early = emptyResult();
    sut.evict(0, T0 + policy.endGraceMs - 1, 1, early);
    const late = emptyResult();
    sut.evict(0, T0 + policy.endGraceMs, 1, late);

    expect(early.evicted).toBe(0);
    expect([...late.states.keys()]).toEqual(['call']);
  });
});
