// CRM writer benchmark: CRM calls per conversation (mean, p99) through the writer's own use cases
// against the in-process wire-faithful CRM fake, and the per-call overhead of breaker + rate limiter
// in µs next to a same-run baseline of raw HTTP calls. Writes reports/bench/crm-writer.json (DESIGN §9).
//   node test/bench/crm-writer/bench.mjs [--quick]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

if (process.env.CRM_WRITER_BENCH_CHILD !== '1') {
  const child = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        CRM_WRITER_BENCH_CHILD: '1',
        SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'),
      },
    },
  );
  process.exit(child.status ?? 1);
}

const require = createRequire(import.meta.url);
const crm = require(join(root, 'libs/crm/src/index.ts'));
const { FakeCrmServer } = require(join(root, 'libs/crm/src/testing.ts'));
const { ContactResolver } = require(join(root, 'apps/crm-writer/src/contact/contact.resolver.ts'));
const { WriteStateStore } = require(join(root, 'apps/crm-writer/src/state/write-state.store.ts'));
const { ApplyContactUpdateUseCase } = require(
  join(root, 'apps/crm-writer/src/usecases/apply-contact-update.usecase.ts'),
);
const { ApplyContactUpdatesUseCase } = require(
  join(root, 'apps/crm-writer/src/usecases/apply-contact-updates.usecase.ts'),
);
const { ResolveContactUseCase } = require(
  join(root, 'apps/crm-writer/src/usecases/resolve-contact.usecase.ts'),
);
const { request } = require('undici');
const mappingDoc = require(join(root, 'config/field-mapping.json'));

const quick = process.argv.includes('--quick');
const CONVERSATIONS = quick ? 300 : 3000;
const CONTACTS = quick ? 100 : 1000;
// Arrival pattern: conversations end in bursts of BURST (what one fetch plus the 20 ms linger
// collects under load); the ANALYTICS_READY updates of a burst arrive later as a burst of their own.
const BURST = 50;
const BATCH_SIZE = 50;
const OVERHEAD_ITERATIONS = quick ? 50_000 : 500_000;
const HTTP_CALLS = quick ? 500 : 5000;

const fake = new FakeCrmServer();
await fake.start();
const mapping = crm.parseFieldMapping(mappingDoc);
let calls = 0;
const client = crm.createCrmClient({
  provider: 'salesforce',
  baseUrl: fake.url,
  tokenUrl: `${fake.url}/services/oauth2/token`,
  clientId: 'bench',
  clientSecret: 'bench',
  rateLimit: { ratePerSecond: 1_000_000, burst: 1_000_000, maxConcurrent: 64 },
  mapping: mapping.salesforce,
  observer: { request: () => (calls += 1), rateLimited: () => undefined },
});
const ids = [];
for (let i = 0; i < CONTACTS; i += 1) {
  const id = `003${String(i).padStart(12, '0')}AAA`;
  ids.push(id);
  fake.state.put('Contact', id, { Email: `c${i}@example.com`, Phone: null });
}
const retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 };
const resolve = new ResolveContactUseCase(
  'salesforce',
  'Contact',
  new ContactResolver(client.adapter, 300_000),
  retry,
);
const store = new WriteStateStore();
const apply = new ApplyContactUpdatesUseCase(
  client.adapter,
  mapping.salesforce,
  store,
  new ApplyContactUpdateUseCase(client.adapter, mapping.salesforce, store, retry),
  retry,
  { batchSize: BATCH_SIZE, maxUnconditionalAgeMs: 1000 },
);

// A voice conversation yields an ENDED update and, for a third of them, an ANALYTICS_READY update
// with the sentiment; a quarter carry only an email (lookup, then cached per caller).
const T0 = Date.now() - 3_600_000;
function updatesOf(c) {
  const contactIndex = c % CONTACTS;
  const byEmail = c % 4 === 0;
  const at = T0 + c * 1000;
  const base = {
    conversationId: `conv-${c}`,
    contact: {
      contactId: byEmail ? null : ids[contactIndex],
      externalContactId: null,
      email: byEmail ? `c${contactIndex}@example.com` : null,
      phone: null,
    },
    crmObject: 'Contact',
    trigger: 'ENDED',
    mediaType: 'VOICE',
    conversationAt: at,
    requestedAt: at,
    replay: false,
  };
  const ended = {
    ...base,
    updateId: `u-${c}-1`,
    values: { OrderNumber: { value: String(1e9 + c), entityId: 'e', confidence: 0.95, occurredAt: at } },
  };
  const analytics =
    c % 3 === 0
      ? {
          ...base,
          updateId: `u-${c}-2`,
          trigger: 'ANALYTICS_READY',
          values: { sentiment: { value: '0.4', entityId: 's', confidence: 1, occurredAt: at } },
        }
      : null;
  return { ended, analytics };
}

/** Resolves each update (its own calls), then applies the burst in one batch (calls shared equally). */
async function runBurst(entries, perConversation) {
  const commands = [];
  for (const { c, update } of entries) {
    const before = calls;
    const routed = await resolve.execute(update);
    perConversation[c] += calls - before;
    if (routed.status === 'resolved')
      commands.push({
        c,
        command: { request: routed.request, recordKey: routed.recordKey, ref: routed.ref },
      });
  }
  if (commands.length === 0) return;
  const before = calls;
  await apply.execute(commands.map((entry) => entry.command));
  const share = (calls - before) / commands.length;
  for (const { c } of commands) perConversation[c] += share;
}

const perConversation = new Array(CONVERSATIONS).fill(0);
for (let first = 0; first < CONVERSATIONS; first += BURST) {
  const burst = [];
  for (let c = first; c < Math.min(CONVERSATIONS, first + BURST); c += 1) burst.push({ c, ...updatesOf(c) });
  await runBurst(
    burst.map(({ c, ended }) => ({ c, update: ended })),
    perConversation,
  );
  await runBurst(
    burst.filter((entry) => entry.analytics).map(({ c, analytics }) => ({ c, update: analytics })),
    perConversation,
  );
}
perConversation.sort((a, b) => a - b);
const mean = perConversation.reduce((s, v) => s + v, 0) / perConversation.length;
const p99 =
  perConversation[Math.min(perConversation.length - 1, Math.ceil(perConversation.length * 0.99) - 1)];

// For contrast, the same conversations arriving one at a time (no batching possible): fresh records.
const isolated = new Array(CONVERSATIONS).fill(0);
for (let c = 0; c < CONVERSATIONS; c += 1) {
  const { ended, analytics } = updatesOf(c);
  const shifted = (u) => ({
    ...u,
    updateId: `${u.updateId}-iso`,
    conversationId: `${u.conversationId}-iso`,
    conversationAt: u.conversationAt + 3_600_000,
    values: Object.fromEntries(
      Object.entries(u.values).map(([k, v]) => [
        k,
        { ...v, value: k === 'OrderNumber' ? String(2e9 + c) : '0.7' },
      ]),
    ),
  });
  await runBurst([{ c, update: shifted(ended) }], isolated);
  if (analytics) await runBurst([{ c, update: shifted(analytics) }], isolated);
}
const isolatedMean = isolated.reduce((s, v) => s + v, 0) / isolated.length;

// Overhead of breaker + limiter around a call, measured on a resolved action so only our code counts.
const breaker = new crm.CrmCircuitBreaker({ provider: 'salesforce' });
const limiter = new crm.TokenBucketRateLimiter({ ratePerSecond: 1e12, burst: 1e12, maxConcurrent: 1_000 });
const action = () => Promise.resolve(1);
async function timeLoop(fn) {
  for (let i = 0; i < 10_000; i += 1) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < OVERHEAD_ITERATIONS; i += 1) await fn();
  return Number(process.hrtime.bigint() - start) / 1000 / OVERHEAD_ITERATIONS;
}
const bareUs = await timeLoop(action);
const guardedUs = await timeLoop(() =>
  breaker.exec(async () => {
    await limiter.acquire();
    try {
      return await action();
    } finally {
      limiter.release();
    }
  }),
);
breaker.shutdown();

// Same-run baseline: raw HTTP GETs to the fake vs the same read through the full client.
const token = await client.tokens.getToken();
const path = `/services/data/v62.0/sobjects/Contact/${ids[0]}?fields=Email,LastModifiedDate`;
async function timeHttp(fn) {
  for (let i = 0; i < 100; i += 1) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < HTTP_CALLS; i += 1) await fn();
  return Number(process.hrtime.bigint() - start) / 1000 / HTTP_CALLS;
}
const rawUs = await timeHttp(async () => {
  const res = await request(`${fake.url}${path}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  await res.body.json();
});
const clientUs = await timeHttp(() => client.adapter.read({ object: 'Contact', id: ids[0] }, ['Email']));
client.breaker.shutdown();
await fake.stop();

const results = {
  arrival_pattern: `bursts of ${BURST} conversations ending together (ENDED updates batched ≤${BATCH_SIZE}); their ANALYTICS_READY updates (1 in 3) later as their own burst; 1 in 4 resolved by email lookup`,
  calls_per_conversation_mean: Number(mean.toFixed(3)),
  calls_per_conversation_p99: Number(p99.toFixed(3)),
  isolated_arrival_calls_per_conversation_mean: Number(isolatedMean.toFixed(3)),
  overhead_us_per_call: Number((guardedUs - bareUs).toFixed(3)),
  client_us_per_read: Number(clientUs.toFixed(1)),
};
const baseline = {
  raw_http_us_per_call: Number(rawUs.toFixed(1)),
  bare_promise_us_per_call: Number(bareUs.toFixed(3)),
};
console.table({
  'CRM calls per conversation (mean)': { value: results.calls_per_conversation_mean, target: '≤ 1.5' },
  'CRM calls per conversation (p99)': { value: results.calls_per_conversation_p99, target: '≤ 3' },
  'calls per conversation, one at a time (mean)': {
    value: results.isolated_arrival_calls_per_conversation_mean,
    target: '',
  },
  'breaker + limiter overhead (µs/call)': { value: results.overhead_us_per_call, target: '≤ 10' },
  'full client read (µs/call)': { value: results.client_us_per_read, target: '' },
  'baseline: raw HTTP GET (µs/call)': { value: baseline.raw_http_us_per_call, target: '' },
});
const report = {
  name: 'crm-writer',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version },
  quick,
  results,
  baseline,
};
mkdirSync(join(root, 'reports/bench'), { recursive: true });
writeFileSync(join(root, 'reports/bench/crm-writer.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote reports/bench/crm-writer.json (${CONVERSATIONS} conversations, ${CONTACTS} contacts)`);
