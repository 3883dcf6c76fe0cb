// Open-model HTTP load: request i is due at start + i / rate (uniform arrivals) and is sent at its
// due time whatever the earlier answers, over a pool of keep-alive connections (undici). Latency is
// measured from the due time, so a server that falls behind shows as latency, not as a slower
// schedule (no coordinated omission).
//
// Why not autocannon's `overallRate`: it gives each connection a quota per second, and a connection
// sends closed-loop until its quota is spent, then pauses until its one-second timer fires. All
// connections start together, so every second begins with a burst of up to one request per
// connection, and at 50 requests/s over 50 connections all 50 leave in the same millisecond. That
// measures queueing behind a burst, not latency at a rate.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';

const require = createRequire(import.meta.url);
const { Pool } = require('undici');

/** Dispatches due requests every tick; at 5,000/s that is ≈5 requests per millisecond. */
const TICK_MS = 1;

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

/**
 * @param {object} options
 * @param {string} options.origin e.g. http://127.0.0.1:3000
 * @param {string} options.path
 * @param {Record<string, string>} options.headers
 * @param {() => string} options.body called once per request, at its due time
 * @param {number} options.rate requests per second
 * @param {number} options.seconds how long requests are scheduled
 * @param {number} [options.connections] keep-alive connections (default 200)
 * @param {number} [options.timeoutMs] per request (default 30 s)
 */
export async function openModel({
  origin,
  path,
  headers,
  body,
  rate,
  seconds,
  connections = 200,
  timeoutMs = 30_000,
}) {
  const pool = new Pool(origin, {
    connections,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  // Worst latency of the requests due in each second of the schedule: where a stall happened.
  const worstPerSecond = new Float64Array(Math.ceil(seconds));
  let completed = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let outstanding = 0;
  let maxOutstanding = 0;
  let lastAnswerAt = 0;
  const start = performance.now();
  let next = 0;
  let allAnswered;
  const answered = new Promise((resolve) => (allAnswered = resolve));

  const send = (index) => {
    const due = start + index * interval;
    outstanding++;
    if (outstanding > maxOutstanding) maxOutstanding = outstanding;
    pool
      .request({ path, method: 'POST', headers, body: body() })
      .then(
        async (response) => {
          await response.body.dump();
          if (response.statusCode >= 200 && response.statusCode < 300) ok++;
          else non2xx++;
        },
        () => errors++,
      )
      .finally(() => {
        const now = performance.now();
        const latency = now - due;
        latencies[completed++] = latency;
        const second = Math.floor((due - start) / 1000);
        if (latency > worstPerSecond[second]) worstPerSecond[second] = latency;
        lastAnswerAt = now;
        outstanding--;
        if (completed === total) allAnswered();
      });
  };

  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) send(next++);
      if (next >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  await answered;
  await pool.close();

  const sorted = latencies.sort();
  const elapsedS = (lastAnswerAt - start) / 1000;
  return {
    requests: total,
    ok,
    non2xx,
    errors,
    /** Answered requests per second, from the first due time to the last answer. */
    achieved_per_s: Math.round(total / elapsedS),
    /** From each request's due time to its answer, in ms. */
    p50_ms: Number(percentile(sorted, 50).toFixed(1)),
    p99_ms: Number(percentile(sorted, 99).toFixed(1)),
    max_ms: Number(sorted[sorted.length - 1].toFixed(1)),
    max_outstanding: maxOutstanding,
    /** The three seconds of the schedule with the worst latency: [second, worst ms]. */
    worst_seconds: [...worstPerSecond]
      .map((ms, second) => [second, Math.round(ms)])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3),
  };
}
