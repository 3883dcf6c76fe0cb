// The load driver: delivers each conversation's bodies in order, like a Genesys/EventBridge sender,
// retrying a body until ingest answers 202: after a 503 (broker down) or 429 it waits the
// Retry-After it was given, after a refused connection (ingest restarting) a short backoff. The
// waits are the sender's protocol, not the test waiting for a condition; every body has a deadline.
import { setTimeout as delay } from 'node:timers/promises';
import { INGEST_TOKEN } from './chaos-pipeline';

export interface SenderFigures {
  conversations: number;
  bodies: number;
  events: number;
  attempts: number;
  byStatus: Record<string, number>;
}

export interface SendOptions {
  ingestUrl: () => string;
  concurrency: number;
  /** Deadline for one body to be accepted, across all its retries. */
  bodyDeadlineMs: number;
  /** Awaited before conversation `index` is sent: lets the chaos schedule hold the load back. */
  beforeConversation?: (index: number) => Promise<void>;
}

function eventsIn(body: Record<string, unknown>): number {
  const messages = body['messages'];
  if (Array.isArray(messages)) return messages.length + (body['ended'] === true ? 1 : 0);
  const transcripts = (body['eventBody'] as { transcripts?: unknown[] } | undefined)?.transcripts;
  return Math.max(1, transcripts?.length ?? 0);
}

export async function sendConversations(
  conversations: Array<{ bodies: Array<Record<string, unknown>> }>,
  options: SendOptions,
): Promise<SenderFigures> {
  const figures: SenderFigures = { conversations: 0, bodies: 0, events: 0, attempts: 0, byStatus: {} };
  const count = (status: string): void => {
    figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
  };

  const deliver = async (body: Record<string, unknown>): Promise<void> => {
    const deadline = Date.now() + options.bodyDeadlineMs;
    const payload = JSON.stringify(body);
    for (;;) {
      figures.attempts += 1;
      let waitMs = 200;
      try {
        const response = await fetch(`${options.ingestUrl()}/v1/genesys/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
          body: payload,
          signal: AbortSignal.timeout(15_000),
        });
        await response.arrayBuffer();
        count(String(response.status));
        if (response.status === 202) return;
        if (response.status !== 503 && response.status !== 429)
          throw new Error(`ingest answered ${response.status}, which no retry fixes`);
        waitMs = Number(response.headers.get('retry-after') ?? '1') * 1000;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('ingest answered')) throw error;
        count(error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'connection error');
      }
      if (Date.now() + waitMs > deadline)
        throw new Error(`a body was not accepted within ${options.bodyDeadlineMs} ms`);
      await delay(waitMs);
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < conversations.length) {
      const index = next;
      next += 1;
      await options.beforeConversation?.(index);
      const conversation = conversations[index]!;
      for (const body of conversation.bodies) {
        await deliver(body);
        figures.bodies += 1;
        figures.events += eventsIn(body);
      }
      figures.conversations += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return figures;
}
