import { type Clock } from './clock';
import { TokenProvider } from './token-provider';

function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: () => Promise.resolve(), advance: (ms) => (now += ms) };
}

describe(TokenProvider.name, () => {
  it('reuses the token until shortly before it expires, then fetches a new one', async () => {
    const clock = manualClock();
    let issued = 0;
    const sut = new TokenProvider({
      clock,
      refreshSkewMs: 60_000,
      fetchToken: () => Promise.resolve({ accessToken: `t${++issued}`, expiresInSeconds: 3_600 }),
    });

    expect(await sut.get()).toBe('t1');
    clock.advance(3_540_000 - 1);
    expect(await sut.get()).toBe('t1');
    clock.advance(1);
    expect(await sut.get()).toBe('t2');
    expect(issued).toBe(2);
  });

  it('shares one refresh between concurrent callers', async () => {
    let issued = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sut = new TokenProvider({
      clock: manualClock(),
      fetchToken: async () => {
        issued++;
        await gate;
        return { accessToken: 'shared', expiresInSeconds: 3_600 };
      },
    });

    const callers = Promise.all([sut.get(), sut.get(), sut.get()]);
    release();

    expect(await callers).toEqual(['shared', 'shared', 'shared']);
    expect(issued).toBe(1);
  });

  it('caps the skew at a tenth of a short token lifetime', async () => {
    const clock = manualClock();
    let issued = 0;
    const sut = new TokenProvider({
      clock,
      refreshSkewMs: 60_000,
      fetchToken: () => Promise.resolve({ accessToken: `t${++issued}`, expiresInSeconds: 300 }),
    });

    await sut.get();
    clock.advance(269_000);
    await sut.get();

    expect(issued).toBe(1);
  });

  it('fetches again after invalidate and after a failed refresh', async () => {
    let issued = 0;
    let fail = true;
    const sut = new TokenProvider({
      clock: manualClock(),
      fetchToken: () => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('login down'));
        }
        return Promise.resolve({ accessToken: `t${++issued}`, expiresInSeconds: 3_600 });
      },
    });

    await expect(sut.get()).rejects.toThrow('login down');
    const first = await sut.get();
    sut.invalidate(first);

    expect(await sut.get()).toBe('t2');
  });
});
