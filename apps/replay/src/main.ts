// The replay command-line tool: parse arguments (exit 64 on bad ones), read the environment, connect
// to Kafka and the registry, run one command. SIGINT stops cleanly: the batch in flight finishes,
// the checkpoint is saved, and the exit code is 130 with the resume command on stderr.
import { loadConfigOrExit } from '@crm/config';
import { AvroSerde, createIdempotentProducer, createKafka, kafkaConfigFrom } from '@crm/kafka-core';
import { createLogger } from '@crm/observability';
import { parseCommand } from './cli/parse-args';
import { createCommandRunner } from './cli/run-command';
import { USAGE } from './cli/usage';
import { EX_USAGE, UsageError } from './cli/usage.error';
import { envSchema } from './config/env.schema';
import { CheckpointStore } from './replay/checkpoint.store';
import { type ToolContext } from './tool-context';

const SERVICE = 'replay';

async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`replay: ${error.message}\n\n${USAGE}`);
    return EX_USAGE;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const env = loadConfigOrExit(SERVICE, envSchema);
  // Logs go to stderr so stdout carries only the result.
  const logger = createLogger({ service: SERVICE, level: env.LOG_LEVEL, format: 'json' }, process.stderr);
  const kafka = createKafka(kafkaConfigFrom(env, SERVICE), logger);
  const admin = kafka.admin();
  const producer = createIdempotentProducer(kafka);
  const abort = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(
      '\ninterrupted: finishing the batch in flight and saving the checkpoint (Ctrl-C again to quit now)\n',
    );
    abort.abort();
  });
  process.on('SIGTERM', () => abort.abort());
  await Promise.all([admin.connect(), producer.connect()]);
  const ctx: ToolContext = {
    kafka,
    admin,
    producer,
    serde: AvroSerde.connect({
      url: env.SCHEMA_REGISTRY_URL,
      username: env.SCHEMA_REGISTRY_USERNAME,
      password: env.SCHEMA_REGISTRY_PASSWORD,
    }),
    checkpoints: new CheckpointStore(env.REPLAY_CHECKPOINT_DIR),
    groupPrefix: env.REPLAY_GROUP_PREFIX,
    output: {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      progressStream: process.stderr,
    },
    signal: abort.signal,
    now: () => new Date(),
  };
  try {
    return await createCommandRunner({
      topics: {
        deadLetter: env.REPLAY_DEAD_LETTER_TOPIC,
        events: env.REPLAY_EVENTS_TOPIC,
        requests: env.REPLAY_REQUESTS_TOPIC,
      },
      reextract: {
        definitionsFile: env.ENTITY_DEFINITIONS_FILE,
        catalogueFile: env.PRODUCT_CATALOGUE_FILE,
        fieldMappingFile: env.FIELD_MAPPING_FILE,
        defaultRegion: env.DEFAULT_PHONE_REGION,
      },
    })(ctx, command);
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`replay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
