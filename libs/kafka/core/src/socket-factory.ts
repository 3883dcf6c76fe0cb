// kafkajs' own socket factory leaves Nagle's algorithm on. A small request written while an
// earlier one on the same connection is still unacknowledged then waits for the broker's delayed
// ACK (up to 40 ms on Linux), which shows as tens of milliseconds on every hop of an idle
// pipeline. The Java client and librdkafka (since 2.10) set TCP_NODELAY; batching is the
// producers' and consumers' job, not the socket's. Otherwise the same as kafkajs' factory.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

import { type ISocketFactory } from 'kafkajs';

/** kafkajs' keep-alive delay. */
const KEEP_ALIVE_DELAY_MS = 60_000;

export const noDelaySocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }): Socket => {
  const socket = ssl
    ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : netConnect({ host, port }, onConnect);
  socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
  socket.setNoDelay(true);
  return socket;
};
