import { resolveWindow, windowSize } from './window';

describe(resolveWindow.name, () => {
  const sut = resolveWindow;
  const marks = [
    { partition: 1, low: 0, high: 50 },
    { partition: 0, low: 10, high: 100 },
  ];

  it('reads from the offsets found by time to the end of the log, per partition', () => {
    const windows = sut(marks, { kind: 'time', at: 1 }, null, { from: { 0: 40, 1: 45 } });

    expect(windows).toEqual([
      { partition: 0, start: 40, end: 100 },
      { partition: 1, start: 45, end: 50 },
    ]);
  });

  it('starts a partition with no record at or after the time at its end (nothing to read)', () => {
    const windows = sut(marks, { kind: 'time', at: 1 }, null, { from: { 0: 40, 1: null } });

    expect(windows[1]).toEqual({ partition: 1, start: 50, end: 50 });
    expect(windowSize(windows)).toBe(60);
  });

  it('ends a time window at the first offset at or after the end time', () => {
    const windows = sut(
      marks,
      { kind: 'time', at: 1 },
      { kind: 'time', at: 2 },
      {
        from: { 0: 40, 1: 0 },
        to: { 0: 60, 1: null },
      },
    );

    expect(windows).toEqual([
      { partition: 0, start: 40, end: 60 },
      { partition: 1, start: 0, end: 50 },
    ]);
  });

  it('clamps offsets to what the log still holds and never inverts a window', () => {
    const windows = sut(marks, { kind: 'offset', offset: 5 }, { kind: 'offset', offset: 70 });

    expect(windows).toEqual([
      { partition: 0, start: 10, end: 70 },
      { partition: 1, start: 5, end: 50 },
    ]);
    expect(sut(marks, { kind: 'offset', offset: 80 }, { kind: 'offset', offset: 20 })[0]).toEqual({
      partition: 0,
      start: 80,
      end: 80,
    });
  });

  it('reads only the partitions a partition:offset start names', () => {
    const windows = sut(marks, { kind: 'partitions', offsets: { 0: 20 } }, null);

    expect(windows).toEqual([
      { partition: 0, start: 20, end: 100 },
      { partition: 1, start: 50, end: 50 },
    ]);
  });
});
