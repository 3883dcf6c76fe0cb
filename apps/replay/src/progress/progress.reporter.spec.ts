import { PassThrough } from 'node:stream';
import { createProgress, formatEta, formatRate } from './progress.reporter';

describe(createProgress.name, () => {
  it('writes plain progress lines with rate and ETA when stderr is not a terminal', () => {
    const stream = new PassThrough();
    let now = 0;
    const sut = createProgress({
      label: 'replay r-1',
      total: 100,
      stream: stream as unknown as NodeJS.WriteStream,
      intervalMs: 1_000,
      now: () => now,
    });

    now = 2_000;
    sut.update(50);
    now = 2_500;
    sut.update(60); // within the interval: no line
    sut.stop();

    expect(String(stream.read())).toBe(
      'replay r-1: 50/100 records, 25.0 rec/s, ETA 2s\nreplay r-1: 60/100 records, 24.0 rec/s, ETA 2s\n',
    );
  });

  it('formats rates and ETAs', () => {
    expect(formatRate(5_000, 2_000)).toBe('2500');
    expect(formatEta(0, 10, 1_000)).toBe('?');
    expect(formatEta(10, 1_000, 1_000)).toBe('1m39s');
  });
});
