import { FaultEngine } from './fault-engine';

describe(FaultEngine.name, () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 0;
  });

  it('fires a counted burst for the next N matching requests only', () => {
    const sut = new FaultEngine(clock);
    sut.set({ bursts: [{ provider: 'dynamics', status: 429, count: 2, retryAfterSeconds: 3 }] });

    expect(sut.burst('salesforce')).toBeUndefined();
    expect(sut.burst('dynamics')).toMatchObject({ status: 429, retryAfterSeconds: 3 });
    expect(sut.burst('dynamics')).toBeDefined();
    expect(sut.burst('dynamics')).toBeUndefined();
  });

  it('fires a timed burst until its duration has passed', () => {
    const sut = new FaultEngine(clock);
    sut.set({ bursts: [{ status: 503, durationSeconds: 10 }] });

    now = 9_999;
    expect(sut.burst('salesforce')?.status).toBe(503);
    now = 10_000;
    expect(sut.burst('salesforce')).toBeUndefined();
  });

  it('locks only the configured record, for the configured number of attempts', () => {
    const sut = new FaultEngine(clock);
    sut.set({ lockRow: [{ recordId: '003000000000001AAA', count: 1 }] });

    expect(sut.lockedRow('003000000000002AAA')).toBe(false);
    expect(sut.lockedRow('003000000000001aaa')).toBe(true);
    expect(sut.lockedRow('003000000000001AAA')).toBe(false);
  });

  it('raises a validation error only when the faulty field is written', () => {
    const sut = new FaultEngine(clock);
    sut.set({ fieldErrors: [{ field: 'Order_Number__c', errorCode: 'STRING_TOO_LONG' }] });

    expect(sut.fieldError('salesforce', ['Email'])).toBeUndefined();
    expect(sut.fieldError('salesforce', ['Email', 'order_number__c'])).toMatchObject({
      errorCode: 'STRING_TOO_LONG',
    });
  });

  it('counts API calls against the daily allocation and refuses past it', () => {
    const sut = new FaultEngine(clock);
    sut.set({ dailyApiLimit: 2, apiUsage: 1 });

    expect(sut.countApiCall()).toBe(true);
    expect(sut.limitInfo()).toBe('api-usage=2/2');
    expect(sut.countApiCall()).toBe(false);
  });

  it('keeps the usage counter when faults change without apiUsage', () => {
    const sut = new FaultEngine(clock);
    sut.countApiCall();
    sut.set({ bursts: [] });

    expect(sut.limitInfo()).toBe('api-usage=1/15000');
  });

  it('draws latency as fixed plus uniform jitter', () => {
    const sut = new FaultEngine(clock, () => 0.5);
    sut.set({ latency: { fixedMs: 100, jitterMs: 40 } });

    expect(sut.latencyMs()).toBe(120);
  });

  it('uses the documented token lifetimes unless configured', () => {
    const sut = new FaultEngine(clock);
    expect(sut.tokenTtlSeconds('dynamics')).toBe(3599);
    sut.set({ tokenTtlSeconds: { salesforce: 2 } });
    expect(sut.tokenTtlSeconds('salesforce')).toBe(2);
  });

  it('rejects an unknown burst status', () => {
    const sut = new FaultEngine(clock);

    expect(() => sut.set({ bursts: [{ status: 418 as 429 }] })).toThrow();
  });
});
