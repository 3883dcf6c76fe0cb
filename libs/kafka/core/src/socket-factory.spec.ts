import { createServer, type Server, Socket } from 'node:net';

import { noDelaySocketFactory } from './socket-factory';

describe('noDelaySocketFactory', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  afterEach(() => jest.restoreAllMocks());

  it('connects with Nagle off and keep-alive on, and reports the connection', async () => {
    const noDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
    const keepAlive = jest.spyOn(Socket.prototype, 'setKeepAlive');
    let socket: Socket | undefined;
    await new Promise<void>((resolve) => {
      socket = noDelaySocketFactory({ host: '127.0.0.1', port, ssl: undefined as never, onConnect: resolve });
    });
    expect(noDelay).toHaveBeenCalledWith(true);
    expect(keepAlive).toHaveBeenCalledWith(true, 60_000);
    expect(socket?.remotePort).toBe(port);
    socket?.destroy();
  });
});
