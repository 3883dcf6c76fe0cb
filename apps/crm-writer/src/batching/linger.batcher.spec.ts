import { LingerBatcher } from './linger.batcher';

describe(LingerBatcher.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function aBatcher(options = { maxSize: 3, lingerMs: 20 }) {
    const flushes: number[][] = [];
    const sut = new LingerBatcher<number, number>(options, (items) => {
      flushes.push(items);
      return Promise.resolve(items.map((item) => item * 10));
    });
    return { sut, flushes };
  }

  it('coalesces submissions made within the linger into one flush', async () => {
    const { sut, flushes } = aBatcher();
    const first = sut.submit([1]);
    const second = sut.submit([2]);
    expect(flushes).toEqual([]);
    jest.advanceTimersByTime(20);
    await expect(first).resolves.toEqual([10]);
    await expect(second).resolves.toEqual([20]);
    expect(flushes).toEqual([[1, 2]]);
  });

  it('flushes at once when the size is reached, without splitting a submission', async () => {
    const { sut, flushes } = aBatcher();
    const first = sut.submit([1, 2]);
    const second = sut.submit([3, 4]);
    await expect(Promise.all([first, second])).resolves.toEqual([
      [10, 20],
      [30, 40],
    ]);
    expect(flushes).toEqual([[1, 2, 3, 4]]);
  });

  it('rejects every submission of a flush that fails', async () => {
    const sut = new LingerBatcher<number, number>({ maxSize: 1, lingerMs: 20 }, () =>
      Promise.reject(new Error('kafka down')),
    );
    await expect(sut.submit([1])).rejects.toThrow('kafka down');
  });
});
