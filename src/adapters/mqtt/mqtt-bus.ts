import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import type { InboundMessage, MessageBus, MessageHandler, PublishOptions } from '../../ports/message-bus.js';
import { maximumPacketSize } from './packet-size.js';
import { topicMatches } from './topic-filter.js';
import { TopicRouter } from './topic-router.js';

export interface MqttBusOptions {
  readonly url: string;
  readonly clientId: string;
  readonly protocolVersion: 4 | 5;
  /** Keep the session (subscriptions and queued QoS 1 messages) while disconnected. */
  readonly persistentSession: boolean;
  readonly sessionExpirySeconds: number;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly tls?: MqttTls;
  /** Availability: published retained on every connect, and as the last will's opposite. */
  readonly availability?: { readonly topic: string; readonly online: string; readonly offline: string };
  /** How long start() waits for the first connection before carrying on and retrying in the background. */
  readonly connectWaitMs?: number;
  /**
   * The largest payload the services accept. Under MQTT 5 the broker is told the matching Maximum
   * Packet Size and drops larger messages; under MQTT 3.1.1 only the broker's own limit applies
   * (Mosquitto: `message_size_limit`).
   */
  readonly maxPayloadBytes?: number;
}

export interface MqttTls {
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly rejectUnauthorized: boolean;
}

/** The MQTT client's TLS options: certificate files read from disk. */
export function tlsClientOptions(tls: MqttTls | undefined): IClientOptions {
  if (!tls) return {};
  return {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
    ...(tls.certFile ? { cert: readFileSync(tls.certFile) } : {}),
    ...(tls.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
  };
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const MAX_UNCLAIMED = 10_000;

/** The MessageBus over MQTT.js: persistent session, QoS 1 subscriptions, reconnect with backoff. */
export class MqttBus implements MessageBus, Component {
  readonly name = 'mqtt';
  private client: MqttClient | undefined;
  private readonly router = new TopicRouter<MessageHandler>();
  private backoffMs = MIN_BACKOFF_MS;
  private publishes = 0;
  /**
   * A persistent session delivers its queued messages as soon as the connection opens, before the
   * services have subscribed their handlers; they wait here (bounded) instead of being dropped.
   */
  private readonly unclaimed: InboundMessage[] = [];

  constructor(
    private readonly options: MqttBusOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Messages published so far: the demo's replay syncs with the broker only after new ones. */
  get publishCount(): number {
    return this.publishes;
  }

  async start(): Promise<void> {
    const o = this.options;
    const clientOptions: IClientOptions = {
      clientId: o.clientId,
      protocolVersion: o.protocolVersion,
      clean: !o.persistentSession,
      reconnectPeriod: MIN_BACKOFF_MS,
      connectTimeout: 10_000,
      resubscribe: true,
      ...(o.protocolVersion === 5
        ? {
            properties: {
              sessionExpiryInterval: o.sessionExpirySeconds,
              ...(o.maxPayloadBytes !== undefined
                ? { maximumPacketSize: maximumPacketSize(o.maxPayloadBytes) }
                : {}),
            },
          }
        : {}),
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.availability
        ? {
            will: {
              topic: o.availability.topic,
              payload: Buffer.from(o.availability.offline),
              qos: 1,
              retain: true,
            },
          }
        : {}),
      ...tlsClientOptions(o.tls),
    };
    const client = mqtt.connect(o.url, clientOptions);
    this.client = client;
    client.on('message', (topic, payload, packet) => this.dispatch(topic, payload, packet.retain));
    client.on('connect', (connack) => {
      // Small request-reply messages (lockstep clock, acknowledgements) must not wait for Nagle's algorithm.
      const stream = client.stream as { setNoDelay?: (noDelay: boolean) => void };
      stream.setNoDelay?.(true);
      this.backoffMs = MIN_BACKOFF_MS;
      client.options.reconnectPeriod = MIN_BACKOFF_MS;
      this.log.info({ url: redactUrl(o.url), sessionPresent: connack.sessionPresent }, 'mqtt connected');
      if (o.availability) {
        client.publish(o.availability.topic, o.availability.online, { qos: 1, retain: true });
      }
    });
    client.on('offline', () => {
      // Back off exponentially so a broker outage is not met with a reconnect storm.
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
      client.options.reconnectPeriod = this.backoffMs;
      this.log.warn({ url: redactUrl(o.url), retryInMs: this.backoffMs }, 'mqtt offline, reconnecting');
    });
    client.on('error', (error) => this.log.warn({ err: error.message }, 'mqtt error'));
    await this.waitForFirstConnect(client, o.connectWaitMs ?? 10_000);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    const availability = this.options.availability;
    if (availability && client.connected) {
      await client
        .publishAsync(availability.topic, availability.offline, { qos: 1, retain: true })
        .catch(() => undefined);
    }
    await client.endAsync();
  }

  async publish(topic: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<void> {
    const client = this.requireClient();
    this.publishes++;
    const publishOptions: IClientPublishOptions = {
      qos: options.qos ?? 1,
      retain: options.retain ?? false,
      ...(options.messageExpirySeconds !== undefined && this.options.protocolVersion === 5
        ? { properties: { messageExpiryInterval: Math.max(1, Math.ceil(options.messageExpirySeconds)) } }
        : {}),
    };
    await client.publishAsync(
      topic,
      typeof payload === 'string' ? payload : Buffer.from(payload),
      publishOptions,
    );
  }

  async subscribe(topicFilters: readonly string[], handler: MessageHandler): Promise<void> {
    for (const f of topicFilters) this.router.add(f, handler);
    if (topicFilters.length === 0) return;
    await this.requireClient().subscribeAsync([...topicFilters], { qos: 1 });
    this.claimQueued(topicFilters, handler);
  }

  async unsubscribe(topicFilters: readonly string[], handler?: MessageHandler): Promise<void> {
    for (const f of topicFilters) this.router.remove(f, handler);
    const unused = [...new Set(topicFilters)].filter((f) => !this.router.has(f));
    if (unused.length > 0) await this.requireClient().unsubscribeAsync(unused);
  }

  /** Local only: the broker subscription and the persistent session's queue stay for the next start. */
  detach(topicFilters: readonly string[], handler: MessageHandler): void {
    for (const f of topicFilters) this.router.remove(f, handler);
  }

  private dispatch(topic: string, payload: Buffer, retained: boolean): void {
    const message: InboundMessage = { topic, payload, retained, receivedAtMs: this.clock.now() };
    const handlers = this.router.match(topic);
    for (const handler of handlers) this.deliver(handler, message);
    if (handlers.length === 0) {
      if (this.unclaimed.length >= MAX_UNCLAIMED) this.unclaimed.shift();
      this.unclaimed.push(message);
    }
  }

  private claimQueued(filters: readonly string[], handler: MessageHandler): void {
    for (let i = 0; i < this.unclaimed.length; ) {
      const message = this.unclaimed[i];
      if (message && filters.some((f) => topicMatches(f, message.topic))) {
        this.unclaimed.splice(i, 1);
        this.deliver(handler, message);
      } else i++;
    }
  }

  private deliver(handler: MessageHandler, message: InboundMessage): void {
    try {
      handler(message);
    } catch (error) {
      // One failing handler must not stop the others or the client's message loop.
      this.log.error({ topic: message.topic, err: error }, 'message handler failed');
    }
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new Error('the MQTT bus is not started');
    return this.client;
  }

  private waitForFirstConnect(client: MqttClient, waitMs: number): Promise<void> {
    if (client.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.log.warn(
          { url: redactUrl(this.options.url), waitedMs: waitMs },
          'mqtt broker not reachable yet; continuing and retrying in the background',
        );
        resolve();
      }, waitMs);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Broker URLs may carry credentials; logs never do. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
