import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@crm/testing';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

describe('crm-simulator process', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    child?.kill('SIGTERM');
  });

  it('starts with node -r @swc-node/register on PORT and serves both CRMs', async () => {
    const root = join(__dirname, '../../..');
    const port = await freePort();
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/crm-simulator/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SWC_NODE_PROJECT: 'apps/crm-simulator/tsconfig.app.json',
        SIMULATOR_DAILY_API_LIMIT: '777',
      },
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${url}/health/ready`)).ok, {
      timeoutMs: 60_000,
      description: 'the simulator process to become ready',
    });
    const token = await fetch(`${url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=sim-salesforce-client&client_secret=sim-salesforce-secret',
    });
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const contact = await fetch(
      `${url}/services/data/v62.0/sobjects/Contact/003000000000001AAA?fields=Email`,
      { headers: { authorization: `Bearer ${accessToken}` } },
    );

    expect(contact.status).toBe(200);
    expect(contact.headers.get('sforce-limit-info')).toBe('api-usage=1/777');
  });
});
