// Micro-benchmark of the extraction library alone (no Kafka): µs per message for a realistic mix,
// and for the expensive NER path on its own. Not a test: run it by hand and read the table.
//   node test/bench/extraction-micro.mjs [--quick]
// It re-runs itself under @swc-node/register so it can load the TypeScript sources directly.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

if (process.env.EXTRACTION_BENCH_CHILD !== '1') {
  const child = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        EXTRACTION_BENCH_CHILD: '1',
        SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'),
      },
    },
  );
  process.exit(child.status ?? 1);
}

const require = createRequire(import.meta.url);
const { createExtractor } = require(join(root, 'libs/extraction/src/index.ts'));
const testing = require(join(root, 'libs/extraction/src/testing.ts'));

const quick = process.argv.includes('--quick');
const rows = readFileSync(join(root, 'test/fixtures/extraction/corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));
const corpusEvents = rows.map((row) =>
  row.channel === 'voice'
    ? testing.aVoiceUtterance(row.text, { confidence: row.confidence ?? 0.95, participant: row.participant })
    : testing.aChatMessage(row.text, { participant: row.participant }),
);
// Most real traffic carries no entity at all: greetings, questions, small talk.
const chatter = [
  'hi there, I need some help please',
  'yes that is right',
  'thank you so much for your help today',
  'can you tell me when it will arrive?',
  'I have been waiting for a while now and nobody answered my last message',
  'okay great, thanks',
  'no, that is all for today',
  'could you check the status for me',
].map((text, i) => (i % 2 === 0 ? testing.aChatMessage(text) : testing.aVoiceUtterance(text)));
const typical = [];
for (let i = 0; i < 1000; i++)
  typical.push(i % 5 === 0 ? corpusEvents[i % corpusEvents.length] : chatter[i % chatter.length]);
const nerOnly = corpusEvents.filter((_, i) =>
  /smart watches|speakers|stands|trackers|bands|keyboards|thermostats|chargers/i.test(rows[i].text),
);

const sut = createExtractor({
  definitions: testing.defaultEntityDefinitions(),
  catalogue: testing.defaultProductCatalogue(),
});

function measure(label, events, rounds) {
  for (const event of events) sut.extract(event);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  for (let r = 0; r < rounds; r++) for (const event of events) sut.extract(event);
  const us = Number(process.hrtime.bigint() - started) / 1000 / (rounds * events.length);
  const cpu = process.cpuUsage(cpuStarted);
  // CPU time is the steadier figure on a shared machine: wall time also counts waiting for a core.
  const cpuUs = (cpu.user + cpu.system) / (rounds * events.length);
  return {
    label,
    messages: events.length * rounds,
    us_per_msg: Number(us.toFixed(2)),
    cpu_us_per_msg: Number(cpuUs.toFixed(2)),
    msg_per_s: Math.round(1e6 / us),
  };
}

const rounds = quick ? 3 : 30;
const results = [
  measure('no-entity chatter only', chatter, rounds * 100),
  measure('typical mix (80% no entity, 20% corpus)', typical, rounds),
  measure('labelled corpus only (every message has a candidate)', corpusEvents, rounds),
  measure('NER path only (inflected product names)', nerOnly, rounds),
];
console.table(results);
console.log(`node ${process.version}, ${(process.memoryUsage().rss / 2 ** 20) | 0} MiB RSS`);
