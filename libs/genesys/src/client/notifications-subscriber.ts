// One Notifications API subscription: creates a channel, subscribes the configured topics (PUT, so
// a reconnect never accumulates), holds the WebSocket, drops `channel.metadata` heartbeats, and
// reconnects with backoff on `v2.system.socket_closing`, on close, or when no frame (heartbeats
// included) arrived for `idleTimeoutMs`. The channel is replaced before its 24 h expiry. Events sent
// while no socket is open are lost by Genesys, so every reconnect reports the gap to `onGap` for a
// REST backfill.
import { type Logger } from 'pino';
import WebSocket from 'ws';
import { type Clock, systemClock } from './clock';
import { type GenesysChannel } from './genesys-api.types';
import { backoffDelayMs, type RetryPolicy } from './retry-policy';

export const HEARTBEAT_TOPIC = 'channel.metadata';
export const SOCKET_CLOSING_TOPIC = 'v2.system.socket_closing';

export interface NotificationMessage {
  topicName: string;
  version?: string;
  eventBody: unknown;
  metadata?: { CorrelationId?: string };
}

/** What the subscriber needs from the REST client (GenesysClient satisfies it). */
export interface NotificationsApi {
  createNotificationChannel(): Promise<GenesysChannel>;
  replaceSubscriptions(channelId: string, topics: readonly string[]): Promise<void>;
}

export type ReconnectReason = 'socket_closing' | 'closed' | 'idle' | 'channel_renewal' | 'error';

export interface NotificationsSubscriberOptions {
  api: NotificationsApi;
  topics: readonly string[];
  /** Every non-control message, with its raw text. A throw is logged; the socket stays up. */
  onMessage: (message: NotificationMessage, raw: string) => void | Promise<void>;
  /** Called once a socket is open again after one was lost: [from, to] in epoch ms. */
  onGap?: (fromMs: number, toMs: number) => void;
  onReconnect?: (reason: ReconnectReason) => void;
  onHeartbeat?: () => void;
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  reconnectBaseDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** Replace the channel this long before it expires (default 1 h). */
  renewBeforeMs?: number;
  /** Assumed channel lifetime when Genesys omits `expires` (24 h). */
  channelLifetimeMs?: number;
  /** Reconnect when nothing arrived for this long (default 120 s, heartbeats come about every 30 s). */
  idleTimeoutMs?: number;
}

export class NotificationsSubscriber {
  private running = false;
  private socket: WebSocket | undefined;
  private channel: { value: GenesysChannel; expiresAt: number } | undefined;
  private connected = false;
  private failures = 0;
  private lostAt: number | undefined;
  private timers = new Set<NodeJS.Timeout>();
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly clock: Clock;

  constructor(private readonly options: NotificationsSubscriberOptions) {
    this.clock = options.clock ?? systemClock;
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** The id of the channel in use (undefined before the first connect). */
  channelId(): string | undefined {
    return this.channel?.value.id;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.later(0, () => this.connect());
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const socket = this.socket;
    this.socket = undefined;
    this.connected = false;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        // A peer that never answers the close handshake must not hold up shutdown.
        const force = setTimeout(() => socket.terminate(), 2_000);
        socket.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        socket.close(1000, 'subscriber stopping');
      });
    }
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    try {
      const channel = await this.ensureChannel();
      if (!this.running) return;
      this.open(channel);
    } catch (error) {
      this.options.logger?.warn(
        { err: error, failures: this.failures },
        'notifications channel setup failed',
      );
      this.scheduleReconnect('error');
    }
  }

  private async ensureChannel(): Promise<GenesysChannel> {
    const now = this.clock.now();
    const renewBefore = this.options.renewBeforeMs ?? 60 * 60 * 1000;
    if (this.channel && this.channel.expiresAt - renewBefore > now) return this.channel.value;
    const channel = await this.options.api.createNotificationChannel();
    await this.options.api.replaceSubscriptions(channel.id, this.options.topics);
    const parsed = channel.expires ? Date.parse(channel.expires) : Number.NaN;
    const expiresAt = Number.isNaN(parsed)
      ? now + (this.options.channelLifetimeMs ?? 24 * 60 * 60 * 1000)
      : parsed;
    this.channel = { value: channel, expiresAt };
    this.options.logger?.info(
      { channelId: channel.id, topics: this.options.topics.length, expiresAt },
      'notifications channel ready',
    );
    // Replacing the channel is a planned reconnect on a fresh channel.
    this.later(Math.max(0, expiresAt - renewBefore - now), () => {
      if (this.channel?.value.id !== channel.id) return;
      this.channel = undefined;
      // With no socket open a reconnect is already pending and will create the new channel.
      if (this.socket) this.dropSocket('channel_renewal');
    });
    return channel;
  }

  private open(channel: GenesysChannel): void {
    const socket = new WebSocket(channel.connectUri);
    this.socket = socket;
    socket.on('open', () => {
      if (this.socket !== socket) return;
      this.connected = true;
      this.failures = 0;
      this.touch();
      if (this.lostAt !== undefined) {
        this.options.onGap?.(this.lostAt, this.clock.now());
        this.lostAt = undefined;
      }
    });
    socket.on('message', (data) => {
      if (this.socket !== socket) return;
      this.touch();
      const bytes = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      void this.dispatch(bytes.toString('utf8'));
    });
    socket.on('error', (error) => {
      this.options.logger?.warn({ err: error, channelId: channel.id }, 'notifications socket error');
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.markLost();
      this.scheduleReconnect('closed');
    });
  }

  private async dispatch(raw: string): Promise<void> {
    let message: NotificationMessage;
    try {
      message = JSON.parse(raw) as NotificationMessage;
    } catch {
      this.options.logger?.warn({ length: raw.length }, 'notifications frame is not JSON; dropped');
      return;
    }
    if (message.topicName === HEARTBEAT_TOPIC) {
      this.options.onHeartbeat?.();
      return;
    }
    if (message.topicName === SOCKET_CLOSING_TOPIC) {
      this.options.logger?.info(
        { channelId: this.channel?.value.id },
        'Genesys announced socket closing; reconnecting',
      );
      this.dropSocket('socket_closing');
      return;
    }
    try {
      await this.options.onMessage(message, raw);
    } catch (error) {
      this.options.logger?.error({ err: error, topicName: message.topicName }, 'notification handler failed');
    }
  }

  /** Closes the current socket on purpose and reconnects right away. */
  private dropSocket(reason: ReconnectReason): void {
    const socket = this.socket;
    this.socket = undefined;
    this.markLost();
    socket?.removeAllListeners('close');
    socket?.on('error', () => undefined);
    socket?.close(1000, reason);
    this.options.onReconnect?.(reason);
    this.later(0, () => this.connect());
  }

  private scheduleReconnect(reason: ReconnectReason): void {
    if (!this.running) return;
    const delay = backoffDelayMs(this.failures, this.reconnectPolicy(), this.options.random ?? Math.random);
    this.failures++;
    this.options.onReconnect?.(reason);
    this.options.logger?.info({ reason, delayMs: delay }, 'notifications reconnect scheduled');
    this.later(delay, () => this.connect());
  }

  private markLost(): void {
    if (this.connected) this.lostAt = this.clock.now();
    this.connected = false;
    if (this.idleTimer) clearTimeout(this.idleTimer);
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.dropSocket('idle'), this.options.idleTimeoutMs ?? 120_000);
    this.idleTimer.unref();
  }

  private reconnectPolicy(): RetryPolicy {
    const base = this.options.reconnectBaseDelayMs ?? 500;
    const max = this.options.reconnectMaxDelayMs ?? 30_000;
    return { maxRetries: Number.MAX_SAFE_INTEGER, baseDelayMs: base, maxDelayMs: max, maxRetryAfterMs: max };
  }

  private later(ms: number, task: () => void | Promise<void>): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void task();
    }, ms);
    this.timers.add(timer);
  }
}
