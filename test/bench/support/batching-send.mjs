// Ingest's send batching, bare, for the benchmarks' floors: records queue while a send is in
// flight and go together in the next one; each caller's promise settles with its send, after the
// broker's acks=all.
import { setImmediate } from 'node:timers';

/**
 * @param {import('kafkajs').Producer} producer
 * @param {string} topic
 * @returns {(message: import('kafkajs').Message) => Promise<void>}
 */
export function batchingSend(producer, topic) {
  let queue = [];
  let sending = false;
  const flush = () => {
    if (sending || queue.length === 0) return;
    const batch = queue;
    queue = [];
    sending = true;
    producer
      .send({ topic, acks: -1, messages: batch.map((pending) => pending.message) })
      .then(
        () => batch.forEach((pending) => pending.resolve()),
        (error) => batch.forEach((pending) => pending.reject(error)),
      )
      .finally(() => {
        sending = false;
        flush();
      });
  };
  return (message) =>
    new Promise((resolve, reject) => {
      queue.push({ message, resolve, reject });
      // Every request parsed in this turn of the event loop joins the same send.
      if (queue.length === 1) setImmediate(flush);
    });
}
