import { type WindowRecord } from '../window/window.reader';
import { chunksOf } from './run-replay.usecase';

function aRecord(offset: number, bytes: number): WindowRecord {
  return {
    partition: 0,
    message: {
      key: Buffer.from('c-1'),
      value: Buffer.alloc(bytes),
      offset: String(offset),
      timestamp: '0',
      attributes: 0,
      headers: {},
    },
  };
}

describe(chunksOf.name, () => {
  it('splits a fetched batch into sends under the broker message size, keeping order', () => {
    const records = Array.from({ length: 30 }, (_, index) => aRecord(index, 100_000));

    const chunks = chunksOf(records);

    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.length * 100_000 <= 512 * 1024)).toBe(true);
    expect(chunks.flat().map((record) => record.message.offset)).toEqual(
      records.map((r) => r.message.offset),
    );
  });

  it('caps a chunk at 1000 small records', () => {
    expect(
      chunksOf(Array.from({ length: 2_500 }, (_, index) => aRecord(index, 10))).map((c) => c.length),
    ).toEqual([1_000, 1_000, 500]);
  });
});
