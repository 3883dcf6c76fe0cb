import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointNotFoundError, CheckpointStore, remainingWindows, withProgress } from './checkpoint.store';
import { newCheckpoint } from './run-replay.usecase';

describe(CheckpointStore.name, () => {
  const now = new Date('2026-11-30T10:00:00Z');
  const initial = newCheckpoint({
    replayId: 'replay-1',
    topic: 'source.v1',
    target: 'source.v1',
    conversations: [],
    includeReplayed: false,
    windows: [
      { partition: 0, start: 10, end: 20 },
      { partition: 1, start: 0, end: 5 },
    ],
    now,
  });

  it('saves and loads a checkpoint atomically, leaving no temporary file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'replay-ckpt-'));
    const sut = new CheckpointStore(directory);

    sut.save(withProgress(initial, new Map([[0, 15]]), 5, now));

    expect(sut.load('replay-1').next).toEqual({ '0': 15, '1': 0 });
    expect(readdirSync(directory)).toEqual(['replay-1.json']);
  });

  it('answers a readable error for an unknown replay id', () => {
    const sut = new CheckpointStore(mkdtempSync(join(tmpdir(), 'replay-ckpt-')));

    expect(() => sut.load('nope')).toThrow(CheckpointNotFoundError);
  });

  it('resumes each partition at its next offset and keeps the original ends', () => {
    const progressed = withProgress(initial, new Map([[0, 15]]), 5, now);

    expect(remainingWindows(progressed)).toEqual([
      { partition: 0, start: 15, end: 20 },
      { partition: 1, start: 0, end: 5 },
    ]);
    expect(progressed.completed).toBe(false);
  });

  it('marks the replay completed once every partition reached its end', () => {
    const done = withProgress(
      initial,
      new Map([
        [0, 20],
        [1, 5],
      ]),
      15,
      now,
    );

    expect(done.completed).toBe(true);
    expect(done.published).toBe(15);
  });
});
