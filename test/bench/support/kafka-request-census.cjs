// Preload (`node -r`): counts the Kafka requests this process writes, by API, and prints the rates
// to stderr every 30 s as `[kafka-requests] <time> per s: Produce=… Fetch=…`. For the pipeline
// benchmark: BENCH_NODE_ARGS_<APP>='-r ./test/bench/support/kafka-request-census.cjs'.
// Counts writes on sockets to the first broker of KAFKA_BROKERS; kafkajs writes each request in one
// `socket.write`, whose first 6 bytes are the request's size and API key.
'use strict';
const net = require('node:net');

const API_NAMES = {
  0: 'Produce',
  1: 'Fetch',
  2: 'ListOffsets',
  3: 'Metadata',
  8: 'OffsetCommit',
  9: 'OffsetFetch',
  10: 'FindCoordinator',
  11: 'JoinGroup',
  12: 'Heartbeat',
  13: 'LeaveGroup',
  14: 'SyncGroup',
  18: 'ApiVersions',
  22: 'InitProducerId',
  24: 'AddPartitionsToTxn',
  25: 'AddOffsetsToTxn',
  26: 'EndTxn',
  28: 'TxnOffsetCommit',
};
const brokerPort = Number((process.env.KAFKA_BROKERS ?? '').split(',')[0]?.split(':')[1]);
const counts = new Map();
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function countedWrite(chunk, ...rest) {
  if (Buffer.isBuffer(chunk) && chunk.length >= 6 && this.remotePort === brokerPort) {
    const key = chunk.readInt16BE(4);
    const name = API_NAMES[key] ?? `api${key}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return write.call(this, chunk, ...rest);
};

let since = Date.now();
setInterval(() => {
  const seconds = (Date.now() - since) / 1000;
  since = Date.now();
  const rates = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name}=${Math.round(count / seconds)}`)
    .join(' ');
  counts.clear();
  process.stderr.write(`[kafka-requests] ${new Date().toISOString()} per s: ${rates}\n`);
}, 30_000).unref();
