import { PipelineError } from '@crm/kafka-core';

/** Decoded as a ConversationEvent, but a field every event needs is empty. */
export class InvalidEventError extends PipelineError {
  readonly retriable = false;
  readonly reason = 'MISSING_FIELDS';
}
