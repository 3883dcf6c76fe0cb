import { CrmBreakerOpenError, CrmUnavailableError, CrmValidationError } from '../errors/crm.error';
import { type BreakerState, CrmCircuitBreaker } from './crm-circuit-breaker';

const fail = (error: Error) => () => Promise.reject(error);

describe(CrmCircuitBreaker.name, () => {
  let sut: CrmCircuitBreaker;
  afterEach(() => sut.shutdown());

  it('opens on a sustained run of 5xx and then rejects without calling the CRM', async () => {
    sut = new CrmCircuitBreaker({
      provider: 'salesforce',
      volumeThreshold: 5,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 60_000,
    });
    const states: BreakerState[] = [];
    sut.onStateChange((state) => states.push(state));
    for (let i = 0; i < 5; i += 1)
      await sut.exec(fail(new CrmUnavailableError('503'))).catch(() => undefined);

    const action = jest.fn(() => Promise.resolve('x'));
    await expect(sut.exec(action)).rejects.toBeInstanceOf(CrmBreakerOpenError);
    expect(action).not.toHaveBeenCalled();
    expect(sut.state).toBe('open');
    expect(states).toEqual(['open']);
  });

  it('never opens on validation errors, which are the record’s problem', async () => {
    sut = new CrmCircuitBreaker({ provider: 'salesforce', volumeThreshold: 3 });
    for (let i = 0; i < 10; i += 1)
      await sut.exec(fail(new CrmValidationError('400'))).catch(() => undefined);
    expect(sut.state).toBe('closed');
  });

  it('lets one probe through half-open and closes when it succeeds', async () => {
    sut = new CrmCircuitBreaker({ provider: 'dynamics', volumeThreshold: 1, resetTimeoutMs: 20 });
    const states: BreakerState[] = [];
    sut.onStateChange((state) => states.push(state));
    await sut.exec(fail(new CrmUnavailableError('503'))).catch(() => undefined);
    await new Promise<void>((resolve) => sut.onStateChange((state) => state === 'half-open' && resolve()));

    await expect(sut.exec(() => Promise.resolve('ok'))).resolves.toBe('ok');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('can be forced open, e.g. when credentials were rotated', () => {
    sut = new CrmCircuitBreaker({ provider: 'salesforce' });
    sut.forceOpen();
    expect(sut.state).toBe('open');
  });
});
