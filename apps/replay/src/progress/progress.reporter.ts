// Progress on stderr: a cli-progress bar with rate and ETA on a terminal, a plain line every few
// seconds otherwise (CI logs, pipes), so stdout keeps only the summary.
import { Presets, SingleBar } from 'cli-progress';

export interface ProgressReporter {
  update(done: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  stream?: NodeJS.WriteStream;
  /** Plain mode: at most one line per interval. */
  intervalMs?: number;
  now?: () => number;
}

export function formatRate(done: number, elapsedMs: number): string {
  const perSecond = elapsedMs <= 0 ? 0 : (done * 1000) / elapsedMs;
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

export function formatEta(done: number, total: number, elapsedMs: number): string {
  if (done <= 0 || elapsedMs <= 0) return '?';
  const seconds = Math.max(0, Math.round(((total - done) * elapsedMs) / done / 1000));
  return seconds >= 60
    ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
    : `${seconds}s`;
}

export function createProgress(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        format: `${options.label} [{bar}] {percentage}% | {value}/{total} | {rate} rec/s | ETA {eta_formatted}`,
        stream,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    bar.start(options.total, 0, { rate: '0' });
    return {
      update: (done) => bar.update(done, { rate: formatRate(done, now() - started) }),
      stop: () => bar.stop(),
    };
  }
  const intervalMs = options.intervalMs ?? 2_000;
  let lastLine = started;
  const line = (done: number) => {
    const elapsed = now() - started;
    stream.write(
      `${options.label}: ${done}/${options.total} records, ${formatRate(done, elapsed)} rec/s, ETA ${formatEta(done, options.total, elapsed)}\n`,
    );
  };
  let last = 0;
  return {
    update: (done) => {
      last = done;
      if (now() - lastLine < intervalMs) return;
      lastLine = now();
      line(done);
    },
    stop: () => line(last),
  };
}
