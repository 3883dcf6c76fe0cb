// What every command runs with: the broker clients, where to write, and the stop signal (SIGINT).
import { type MessageProducer, type AvroSerde } from '@crm/kafka-core';
import { type Admin, type Kafka } from 'kafkajs';
import { type CheckpointStore } from './replay/checkpoint.store';

export interface Output {
  /** The result: summaries, tables (stdout). */
  out: (line: string) => void;
  /** Progress and notes (stderr). */
  err: (line: string) => void;
  progressStream: NodeJS.WriteStream;
}

export interface ToolContext {
  kafka: Kafka;
  admin: Admin;
  /** Connected idempotent producer (acks=all on every send). */
  producer: MessageProducer;
  serde: AvroSerde;
  checkpoints: CheckpointStore;
  groupPrefix: string;
  output: Output;
  signal: AbortSignal;
  now: () => Date;
}
