// V8 heap held per open conversation by the aggregator's in-memory state (issue 6: ≤ 4 KiB each).
// Builds N states of a busy voice call (6 entity types mentioned 8 times each, 64-hex entity ids,
// 50 dedupe ids, contact hints, sentiment, ended and flushed: libs/aggregation README "State size
// budget"), with every string distinct per conversation as in production, and divides the heap
// growth after a full GC by N: once as plain state objects, once held as the aggregator holds them
// (ConversationStore entries with the forwarded headers of their newest record, packed after commit).
//   node --expose-gc -r @swc-node/register test/bench/aggregator/state-heap.bench.mjs [N]
// (SWC_NODE_PROJECT=tsconfig.base.json). Prints JSON: bytes per conversation, both ways.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);
const { aLifecycle, anEntity, aPolicy, aStateFrom, aContact, T0 } = require(
  join(root, 'libs/aggregation/src/testing.ts'),
);
const { decide } = require(join(root, 'libs/aggregation/src/index.ts'));
const { ConversationStore } = require(join(root, 'apps/aggregator/src/aggregator/conversation.store.ts'));

if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
const N = Number(process.argv[2] ?? 7_000);
const ENTITY_TYPES = ['OrderNumber', 'AccountId', 'CaseNumber', 'Email', 'Phone', 'ProductRequest'];
const hex = (seed) => createHash('sha256').update(seed).digest('hex');
const policy = aPolicy();

function aBusyVoiceCall(c) {
  const conversationId = `${hex(`conversation-${c}`).slice(0, 8)}-5d1a-4c8e-9b1f-${String(c).padStart(12, '0')}`;
  const steps = [
    [
      aLifecycle('CONTACT_ATTRIBUTES', {
        conversationId,
        eventId: hex(`attrs-${c}`),
        attributes: { SF_ContactId: `003XX${String(c).padStart(13, '0')}` },
        contactHints: aContact({
          email: `jane.doe.${c}@example.com`,
          phone: `+1415555${String(c % 10_000).padStart(4, '0')}`,
        }),
      }),
      T0,
    ],
    ...ENTITY_TYPES.flatMap((entityType, t) =>
      Array.from({ length: 8 }, (_, n) => {
        const at = T0 + t * 60_000 + n * 1_000;
        return [
          anEntity({
            conversationId,
            entityId: hex(`${c}-${entityType}-${n}`),
            entityType,
            value: `${entityType}-${c}-${n % 2 === 0 ? 'a' : 'b'}@x`,
            occurredAt: at,
          }),
          at,
        ];
      }),
    ),
    [
      aLifecycle('SENTIMENT', {
        conversationId,
        eventId: hex(`s-${c}`),
        sentimentScore: -0.35,
        occurredAt: T0 + 400_000,
      }),
      T0 + 400_000,
    ],
    [
      aLifecycle('CONVERSATION_ENDED', { conversationId, eventId: hex(`e-${c}`), occurredAt: T0 + 410_000 }),
      T0 + 410_000,
    ],
  ];
  const state = aStateFrom(steps, policy);
  return decide(state, T0 + 410_000 + policy.endGraceMs, policy).state;
}

function headersOf(c) {
  return {
    traceparent: `00-${hex(`trace-${c}`).slice(0, 32)}-${hex(`span-${c}`).slice(0, 16)}-01`,
    'x-hop-ts-ingest': String(T0 + c),
    'x-hop-ts-extractor': String(T0 + c + 3),
  };
}

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

// Warm up (compiles the code paths, so their code and feedback are not counted per state).
for (let c = 0; c < 200; c++) aBusyVoiceCall(-c - 1);
// 1. The state as objects (what the rules work on, and what the store held before packing).
let before = heap();
const states = Array.from({ length: N }, (_, c) => aBusyVoiceCall(c));
const objectBytes = (heap() - before) / N;
states.length = 0;
// 2. The store as the aggregator holds it between commits: entries set, then compacted (packed).
before = heap();
const store = new ConversationStore();
store.install(0, new Map());
for (let c = 0; c < N; c++) {
  const state = aBusyVoiceCall(c);
  store.set(0, state.conversationId, { state, dueAt: T0 + c, headers: headersOf(c) });
  if (c % 500 === 499) store.compact(0);
}
store.compact(0);
const storeBytes = (heap() - before) / N;
if (store.size() !== N) throw new Error('unexpected store size');
process.stdout.write(
  `${JSON.stringify({
    states: N,
    state_as_objects_bytes: Math.round(objectBytes),
    store_bytes_per_conversation: Math.round(storeBytes),
    budget_bytes: 4_096,
  })}\n`,
);
