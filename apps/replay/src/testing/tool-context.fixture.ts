// A ToolContext on the local stack for integration tests: real clients, a temporary checkpoint
// directory, output captured in memory, and an abort controller the test can pull.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AvroSerde, createIdempotentProducer, type MessageProducer } from '@crm/kafka-core';
import { stackEnv, testKafka, uniqueName } from '@crm/testing';
import { type Admin } from 'kafkajs';
import { CheckpointStore } from '../replay/checkpoint.store';
import { type ToolContext } from '../tool-context';

export interface TestToolContext extends ToolContext {
  lines: { out: string[]; err: string[] };
  abort: AbortController;
  close(): Promise<void>;
}

export async function testToolContext(
  options: {
    checkpointDir?: string;
    wrapProducer?: (producer: MessageProducer, abort: AbortController) => MessageProducer;
  } = {},
): Promise<TestToolContext> {
  const kafka = testKafka();
  const admin: Admin = kafka.admin();
  const producer = createIdempotentProducer(kafka);
  await Promise.all([admin.connect(), producer.connect()]);
  const abort = new AbortController();
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    kafka,
    admin,
    producer: options.wrapProducer ? options.wrapProducer(producer, abort) : producer,
    serde: AvroSerde.connect({ url: stackEnv().registryUrl }),
    checkpoints: new CheckpointStore(options.checkpointDir ?? mkdtempSync(join(tmpdir(), 'replay-int-'))),
    groupPrefix: uniqueName('replay-int'),
    output: {
      out: (line) => lines.out.push(line),
      err: (line) => lines.err.push(line),
      progressStream: process.stderr,
    },
    signal: abort.signal,
    now: () => new Date(),
    lines,
    abort,
    close: async () => {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}
