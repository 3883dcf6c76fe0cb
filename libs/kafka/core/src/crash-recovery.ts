// kafkajs restarts a crashed consumer only when the error is retriable. A broker restart can end a
// consumer with a non-retriable error ("Failed to find group coordinator"), and so can a handler
// that throws a plain Error; kafkajs then disconnects the consumer for good, and the process would
// stay up doing nothing. This restarts it, with exponential backoff, for as long as the owner runs.
import { type Logger } from '@crm/observability';
import { type Consumer } from 'kafkajs';

export interface CrashRecoveryOptions {
  consumer: Consumer;
  groupId: string;
  logger: Logger;
  /** False once the owner is stopping: no restart then. */
  isRunning: () => boolean;
  /** Subscribes (if needed) and calls `consumer.run` again, exactly as at start. */
  run: () => Promise<void>;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Told about each restart, for a metric. */
  onRestart?: () => void;
}

export function restartAfterFatalCrash(options: CrashRecoveryOptions): void {
  const { consumer, groupId, logger } = options;
  const initial = options.initialDelayMs ?? 1_000;
  const max = options.maxDelayMs ?? 30_000;
  let attempt = 0;
  let pending: NodeJS.Timeout | undefined;

  const schedule = (): void => {
    if (pending !== undefined || !options.isRunning()) return;
    const delayMs = Math.min(max, initial * 2 ** attempt);
    attempt += 1;
    logger.warn({ groupId, delayMs, attempt }, 'consumer stopped for good by kafkajs; restarting it');
    pending = setTimeout(() => {
      pending = undefined;
      if (!options.isRunning()) return;
      consumer
        .connect()
        .then(() => options.run())
        .then(() => options.onRestart?.())
        .catch((error: unknown) => {
          logger.error({ groupId, err: error }, 'consumer restart failed; trying again');
          schedule();
        });
    }, delayMs);
  };

  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) schedule();
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    attempt = 0;
  });
  consumer.on(consumer.events.STOP, () => {
    if (!options.isRunning() && pending !== undefined) {
      clearTimeout(pending);
      pending = undefined;
    }
  });
}
