// A Genesys Cloud-compatible HTTP + WebSocket server for tests and the demo, built from
// /work/shared/reference/genesys-formats.md: client-credentials token endpoint, Notifications
// channels with subscriptions and a WebSocket (events, `channel.metadata` heartbeats,
// `v2.system.socket_closing`), conversation and analytics details, STA transcript URL + document
// with late readiness, injectable 429 bursts and 5xx, and a request log. One server plays api.*,
// login.* and streaming.* hosts.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  type FakeConversation,
  fakeConversation,
  type FakeConversationSpec,
  renderAnalyticsDetails,
  renderConversation,
  renderTranscript,
} from './fake-conversation';

export interface GenesysFakeOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** `channel.metadata` heartbeat period; 0 disables (default 30 s). */
  heartbeatIntervalMs?: number;
  channelTtlMs?: number;
}

export interface FakeRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

interface FakeChannel {
  id: string;
  topics: Set<string>;
  sockets: Set<WebSocket>;
  expires: number;
}

export interface GenesysFake {
  baseUrl: string;
  loginUrl: string;
  wsUrl: string;
  clientId: string;
  clientSecret: string;
  requests: FakeRequest[];
  addConversation(spec: FakeConversationSpec): void;
  /** Sends a notification to every socket subscribed to `topicName`; returns how many got it. */
  pushNotification(topicName: string, eventBody: unknown): number;
  sendHeartbeat(): void;
  /** Announces maintenance (`v2.system.socket_closing`) and then closes every socket. */
  closeSockets(options?: { announce?: boolean }): void;
  /** The next `count` API calls answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** The next `count` API calls answer `status` (5xx). */
  failNext(count: number, status?: number): void;
  /** Every issued token stops working (as after a credentials rotation). */
  revokeTokens(): void;
  tokensIssued(): number;
  openSockets(): number;
  socketsOpened(): number;
  channels(): Array<{ id: string; topics: string[]; sockets: number }>;
  transcriptPolls(conversationId: string): number;
  close(): Promise<void>;
}

export async function startGenesysFake(options: GenesysFakeOptions = {}): Promise<GenesysFake> {
  const clientId = options.clientId ?? 'fake-client';
  const clientSecret = options.clientSecret ?? 'fake-secret';
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 86_400;
  const tokens = new Map<string, number>();
  const conversations = new Map<string, FakeConversation>();
  const channels = new Map<string, FakeChannel>();
  const requests: FakeRequest[] = [];
  let rateLimited: { count: number; retryAfterSeconds: number } = { count: 0, retryAfterSeconds: 0 };
  let failing: { count: number; status: number } = { count: 0, status: 503 };
  let tokensIssued = 0;
  let socketsOpened = 0;
  let baseUrl = '';
  let wsUrl = '';

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const problem = (
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ) =>
    send(res, status, { message, code, status, contextId: randomUUID(), details: [], errors: [] }, headers);

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (method === 'POST' && path === '/oauth/token') {
      const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
      if (req.headers.authorization !== expected)
        return problem(res, 401, 'bad.credentials', 'Invalid client credentials');
      if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials')
        return send(res, 400, { error: 'unsupported_grant_type' });
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, Date.now() + tokenTtlSeconds * 1000);
      tokensIssued++;
      return send(res, 200, { access_token: token, token_type: 'bearer', expires_in: tokenTtlSeconds });
    }

    const transcriptDoc = /^\/transcripts\/([^/]+)\/([^/]+)$/.exec(path);
    if (method === 'GET' && transcriptDoc) {
      // Pre-signed like S3: the signature is the credential, a bearer token is not expected.
      const conversation = conversations.get(decodeURIComponent(transcriptDoc[1]!));
      if (!conversation || url.searchParams.get('X-Amz-Signature') === null)
        return send(res, 403, '<Error><Code>AccessDenied</Code></Error>');
      return send(res, 200, renderTranscript(conversation));
    }

    if (!path.startsWith('/api/v2/')) return problem(res, 404, 'not.found', `No route for ${path}`);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiry = bearer === undefined ? undefined : tokens.get(bearer);
    if (expiry === undefined || expiry < Date.now())
      return problem(res, 401, 'bad.credentials', 'Invalid login credentials.');
    if (rateLimited.count > 0) {
      rateLimited.count--;
      return problem(res, 429, 'too.many.requests', 'Rate limit exceeded the maximum.', {
        'retry-after': String(rateLimited.retryAfterSeconds),
      });
    }
    if (failing.count > 0) {
      failing.count--;
      return problem(
        res,
        failing.status,
        'internal.server.error',
        'The server encountered an unexpected condition.',
      );
    }

    if (method === 'POST' && path === '/api/v2/notifications/channels') {
      const id = randomUUID();
      const expires = Date.now() + (options.channelTtlMs ?? 24 * 60 * 60 * 1000);
      channels.set(id, { id, topics: new Set(), sockets: new Set(), expires });
      return send(res, 200, {
        id,
        connectUri: `${wsUrl}/channels/${id}`,
        expires: new Date(expires).toISOString(),
      });
    }
    const subscriptions = /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/.exec(path);
    if (subscriptions) {
      const channel = channels.get(subscriptions[1]!);
      if (!channel) return problem(res, 404, 'not.found', 'Channel not found');
      if (method === 'PUT' || method === 'POST') {
        const body = JSON.parse(raw || '[]') as Array<{ id?: unknown }>;
        if (!Array.isArray(body) || body.some((topic) => typeof topic.id !== 'string'))
          return problem(res, 400, 'bad.request', 'Expected [{"id": topic}]');
        if (method === 'PUT') channel.topics.clear();
        for (const topic of body) channel.topics.add(topic.id as string);
        if (channel.topics.size > 1000)
          return problem(res, 400, 'bad.request', 'At most 1000 topics per channel');
      }
      return send(res, 200, { entities: [...channel.topics].map((id) => ({ id })) });
    }

    const transcriptUrl =
      /^\/api\/v2\/speechandtextanalytics\/conversations\/([^/]+)\/communications\/([^/]+)\/transcripturl$/.exec(
        path,
      );
    if (method === 'GET' && transcriptUrl) {
      const conversation = conversations.get(decodeURIComponent(transcriptUrl[1]!));
      const communicationId = decodeURIComponent(transcriptUrl[2]!);
      if (!conversation || conversation.communicationId !== communicationId)
        return problem(res, 404, 'not.found', 'Transcript not found');
      conversation.transcriptPolls++;
      if (
        conversation.endTime === undefined ||
        conversation.transcriptPolls <= conversation.transcriptReadyAfterPolls
      ) {
        return problem(res, 404, 'not.found', 'Transcript not found');
      }
      const signature = randomBytes(8).toString('hex');
      return send(res, 200, {
        url: `${baseUrl}/transcripts/${encodeURIComponent(conversation.conversationId)}/${encodeURIComponent(communicationId)}?X-Amz-Signature=${signature}`,
      });
    }

    const staConversation = /^\/api\/v2\/speechandtextanalytics\/conversations\/([^/]+)(\/summaries)?$/.exec(
      path,
    );
    if (method === 'GET' && staConversation) {
      const conversation = conversations.get(decodeURIComponent(staConversation[1]!));
      if (!conversation) return problem(res, 404, 'not.found', 'Conversation not found');
      if (staConversation[2]) return send(res, 200, { entities: [] });
      if (conversation.sentimentScore === undefined)
        return problem(res, 404, 'not.found', 'No analytics for conversation');
      return send(res, 200, {
        conversation: { id: conversation.conversationId },
        sentimentScore: conversation.sentimentScore,
        sentimentTrend: 0,
        participantMetrics: {},
      });
    }

    const conversationPath = /^\/api\/v2\/conversations\/([^/]+)$/.exec(path);
    if (method === 'GET' && conversationPath) {
      const conversation = conversations.get(decodeURIComponent(conversationPath[1]!));
      return conversation
        ? send(res, 200, renderConversation(conversation))
        : problem(res, 404, 'not.found', 'Conversation not found');
    }
    const details = /^\/api\/v2\/analytics\/conversations\/([^/]+)\/details$/.exec(path);
    if (method === 'GET' && details) {
      const conversation = conversations.get(decodeURIComponent(details[1]!));
      return conversation
        ? send(res, 200, renderAnalyticsDetails(conversation))
        : problem(res, 404, 'not.found', 'Conversation not found');
    }
    if (method === 'POST' && path === '/api/v2/analytics/conversations/details/query') {
      const body = JSON.parse(raw || '{}') as { interval?: unknown };
      const [from, to] =
        typeof body.interval === 'string' ? body.interval.split('/').map((part) => Date.parse(part)) : [];
      if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to))
        return problem(res, 400, 'bad.request', 'interval is required');
      const found = [...conversations.values()].filter(
        (c) => c.startTime < to && (c.endTime ?? Number.MAX_SAFE_INTEGER) >= from,
      );
      return send(
        res,
        200,
        found.length > 0
          ? { conversations: found.map(renderAnalyticsDetails), totalHits: found.length }
          : { totalHits: 0 },
      );
    }
    return problem(res, 404, 'not.found', `No route for ${method} ${path}`);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.on('finish', () =>
        requests.push({
          method: req.method ?? 'GET',
          path: new URL(req.url ?? '/', baseUrl).pathname,
          status: res.statusCode,
          at: Date.now(),
        }),
      );
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch {
        problem(res, 400, 'bad.request', 'Malformed request');
      }
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const id = /^\/channels\/([^/?]+)/.exec(req.url ?? '')?.[1];
    const channel = id === undefined ? undefined : channels.get(id);
    if (!channel) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      socketsOpened++;
      channel.sockets.add(ws);
      ws.on('close', () => channel.sockets.delete(ws));
      ws.on('message', (data: Buffer) => {
        if (data.toString('utf8').includes('"ping"'))
          ws.send(JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'pong' } }));
      });
    });
  });

  const envelope = (topicName: string, eventBody: unknown) =>
    JSON.stringify({ topicName, version: '2', eventBody, metadata: { CorrelationId: randomUUID() } });
  const allSockets = () => [...channels.values()].flatMap((channel) => [...channel.sockets]);
  const sendHeartbeat = () => {
    for (const ws of allSockets())
      ws.send(
        JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } }),
      );
  };
  const heartbeatMs = options.heartbeatIntervalMs ?? 30_000;
  const heartbeat = heartbeatMs > 0 ? setInterval(sendHeartbeat, heartbeatMs) : undefined;
  heartbeat?.unref();

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  wsUrl = `ws://127.0.0.1:${port}`;

  return {
    baseUrl,
    loginUrl: baseUrl,
    wsUrl,
    clientId,
    clientSecret,
    requests,
    addConversation: (spec) => {
      conversations.set(spec.conversationId, fakeConversation(spec));
    },
    pushNotification: (topicName, eventBody) => {
      const targets = [...channels.values()]
        .filter((channel) => channel.topics.has(topicName))
        .flatMap((channel) => [...channel.sockets]);
      for (const ws of targets) ws.send(envelope(topicName, eventBody));
      return targets.length;
    },
    sendHeartbeat,
    closeSockets: ({ announce = true } = {}) => {
      for (const ws of allSockets()) {
        if (announce)
          ws.send(envelope('v2.system.socket_closing', { message: 'Socket closing for maintenance' }));
        ws.close(1001, 'maintenance');
      }
    },
    rateLimitNext: (count, retryAfterSeconds) => {
      rateLimited = { count, retryAfterSeconds };
    },
    failNext: (count, status = 503) => {
      failing = { count, status };
    },
    revokeTokens: () => tokens.clear(),
    tokensIssued: () => tokensIssued,
    openSockets: () => allSockets().length,
    socketsOpened: () => socketsOpened,
    channels: () =>
      [...channels.values()].map((channel) => ({
        id: channel.id,
        topics: [...channel.topics],
        sockets: channel.sockets.size,
      })),
    transcriptPolls: (conversationId) => conversations.get(conversationId)?.transcriptPolls ?? 0,
    close: async () => {
      if (heartbeat) clearInterval(heartbeat);
      for (const ws of allSockets()) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
