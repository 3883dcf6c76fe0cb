// One simulator per spec file on a random port, with its state reset before each test.
import { type RunningCrmSimulator, startCrmSimulator } from '../start-simulator';

export interface SimulatorFixture {
  /** The base URL of the running simulator (valid inside tests and hooks). */
  readonly url: string;
}

export function useSimulator(): SimulatorFixture {
  let running: RunningCrmSimulator | undefined;
  const current = (): RunningCrmSimulator => {
    if (!running) throw new Error('the simulator is only running inside tests and hooks');
    return running;
  };

  beforeAll(async () => {
    running = await startCrmSimulator({ port: 0 });
  });
  afterAll(async () => {
    await running?.close();
  });
  beforeEach(async () => {
    const response = await fetch(`${current().url}/__admin/reset`, { method: 'POST' });
    if (!response.ok) throw new Error(`simulator reset answered ${response.status}`);
  });

  return {
    get url() {
      return current().url;
    },
  };
}
