// A small typed hierarchy: whether to retry or dead-letter is decided by `retriable`, in one place
// (see `isRetriable`), not by string matching at call sites.
export abstract class PipelineError extends Error {
  abstract readonly retriable: boolean;
  /** A stable code, used as the dead-letter reason and as a metric label. */
  abstract readonly reason: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The bytes are not a registry-framed Avro record we can read. */
export class DecodeError extends PipelineError {
  readonly retriable = false;
  readonly reason = 'DECODE_FAILED';
}

/** Decoded, but not the shape this consumer expects (wrong subject, missing fields). */
export class SchemaMismatchError extends PipelineError {
  readonly retriable = false;
  readonly reason = 'SCHEMA_MISMATCH';
}

/** The broker or registry cannot be reached now; the same work will succeed later. */
export class InfrastructureUnavailableError extends PipelineError {
  readonly retriable = true;
  readonly reason = 'INFRASTRUCTURE_UNAVAILABLE';
}

/** Topic provisioning found a topic whose settings contradict its declaration. */
export class TopicDriftError extends PipelineError {
  readonly retriable = false;
  readonly reason = 'TOPIC_DRIFT';
}

interface MaybeRetriable {
  retriable?: unknown;
}

/** Our errors say so; kafkajs errors carry `retriable`; anything else is assumed permanent. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof PipelineError) return error.retriable;
  if (typeof error === 'object' && error !== null && 'retriable' in error) {
    return (error as MaybeRetriable).retriable === true;
  }
  return false;
}

export function reasonOf(error: unknown): string {
  if (error instanceof PipelineError) return error.reason;
  return 'UNEXPECTED_ERROR';
}
