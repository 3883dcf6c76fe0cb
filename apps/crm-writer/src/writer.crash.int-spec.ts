// kill -9 of the writer process while a sObject Collections PATCH is in flight, then a restart: the
// replayed batch re-reads, finds the values already there, and writes nothing twice.
import { freePort, type RunningService, startService, uniqueName, waitFor } from '@crm/testing';
import {
  anOrderUpdate,
  createWriterTopics,
  useWriterWorld,
  writerEnv,
  WriterTopicsClient,
} from './testing/writer-topics.harness';
import { WriterPipeline } from './writer.pipeline';

const CONTACTS = 40;
const idOf = (n: number) => `003${String(n).padStart(12, '0')}AAA`;

describe(`${WriterPipeline.name} killed mid-batch`, () => {
  const { fake, kafka, admin, producer } = useWriterWorld();
  let writer: RunningService | null = null;

  afterAll(async () => {
    await writer?.kill();
  });

  it('makes no duplicate effective write when SIGKILLed with a collection PATCH in flight and restarted', async () => {
    for (let n = 0; n < CONTACTS; n += 1) fake.state.put('Contact', idOf(n), { Order_Number__c: null });
    const topics = await createWriterTopics(admin);
    const client = new WriterTopicsClient(kafka, producer, topics);
    const results = await client.collectResults();
    try {
      writer = await startService({
        app: 'crm-writer',
        port: await freePort(),
        instance: uniqueName('crm-writer-crash'),
        env: writerEnv(fake.url, topics, { CRM_BATCH_SIZE: '10', LOG_LEVEL: 'warn' }),
      });
      // Slow CRM answers keep each batch call in flight long enough to be killed during one.
      fake.state.faults.latencyMs = 300;
      const updates = Array.from({ length: CONTACTS }, (_, n) =>
        anOrderUpdate(idOf(n), String(5_000_000 + n)),
      );
      await client.send(updates);
      await waitFor(
        () =>
          [...fake.state.inFlight].some(
            (r) => r.method === 'PATCH' && r.path.includes('/composite/sobjects'),
          ),
        { timeoutMs: 30_000, intervalMs: 10, description: 'a collection PATCH in flight' },
      );
      await writer.kill();
      const resultsAtKill = results.collector.messages.length;
      expect(resultsAtKill).toBeLessThan(CONTACTS);

      await writer.restart();
      const wanted = new Set(updates.map((u) => u.updateId));
      await waitFor(
        async () => {
          const seen = new Set((await results.decoded()).map((r) => r.updateId));
          return [...wanted].every((id) => seen.has(id));
        },
        { timeoutMs: 90_000, description: 'a result for every update after the restart' },
      );
      const decoded = await results.decoded();
      expect(decoded.filter((r) => r.outcome !== 'APPLIED' && r.outcome !== 'NO_CHANGE')).toEqual([]);
      // The batch in flight at the kill landed; its replay re-read the values and wrote nothing.
      expect(decoded.some((r) => r.outcome === 'NO_CHANGE')).toBe(true);
      expect(fake.state.writes.filter((w) => w.fields.includes('Order_Number__c'))).toHaveLength(CONTACTS);
      const orderChanges = fake.state.changes.filter((c) => c.field === 'Order_Number__c');
      // One effective write per distinct value change: 40 records, each changed once.
      expect(orderChanges).toHaveLength(CONTACTS);
      expect(new Set(orderChanges.map((c) => c.id)).size).toBe(CONTACTS);
      for (let n = 0; n < CONTACTS; n += 1)
        expect(fake.state.get('Contact', idOf(n))?.fields['Order_Number__c']).toBe(String(5_000_000 + n));
      expect(fake.state.changes.filter((c) => c.field === 'Last_Conversation_Id__c')).toHaveLength(CONTACTS);
    } finally {
      await results.collector.stop();
    }
  });
});
