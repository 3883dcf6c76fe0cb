// Why a publish was refused; every one of them answers 503 with Retry-After (the caller retries).
import { PipelineError } from '@crm/kafka-core';

/** Too many records queued or stuck in flight: shed load instead of growing memory. */
export class ProducerSaturatedError extends PipelineError {
  readonly retriable = true;
  readonly reason = 'PRODUCER_SATURATED';
}

/** The broker did not acknowledge in time, or refused the send. */
export class ProduceFailedError extends PipelineError {
  readonly retriable = true;
  readonly reason = 'PRODUCE_FAILED';
}

/** Shutting down: the batch was not taken. */
export class PublisherClosedError extends PipelineError {
  readonly retriable = true;
  readonly reason = 'PUBLISHER_CLOSED';
}
