import { readFileSync } from 'node:fs';
import mqtt, {
  type DoneCallback,
  type IClientOptions,
  type IClientPublishOptions,
  type IPublishPacket,
  type MqttClient,
} from 'mqtt';
import { topicMatches } from '../../domain/messaging/topic-filter.js';
import type { Clock } from '../../ports/clock.js';
import type { Component } from '../../ports/component.js';
import { type Inbox, UNROUTED } from '../../ports/inbox.js';
import type { Logger } from '../../ports/logger.js';
import type {
  InboundMessage,
  MessageBus,
  MessageHandler,
  PublishOptions,
  SubscribeOptions,
} from '../../ports/message-bus.js';
import type { AlertSink } from '../../ports/operations.js';
import { AckHold } from './ack-hold.js';
import { BurstPacing } from './burst-pacing.js';
import { ConnectionLog } from './connection-log.js';
import { CoveringFilters } from './covering-filters.js';
import { maximumPacketSize } from './packet-size.js';
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
  /**
   * Availability: `online` published retained on every connect, and `offline` as the last will. With
   * `untilAnnounced`, the first `online` waits for `announceOnline()` (the service calls it once every
   * service has subscribed), then goes out on every connect.
   */
  readonly availability?: {
    readonly topic: string;
    readonly online: string;
    readonly offline: string;
    readonly untilAnnounced?: boolean;
  };
  /** How long start() waits for the first connection before carrying on and retrying in the background. */
  readonly connectWaitMs?: number;
  /** While the broker stays unreachable, how often a warning repeats the error (default 5 minutes). */
  readonly remindEveryMs?: number;
  /** Wait before the first reconnect attempt, doubled after each failed one up to `max` (default 1 s, 30 s). */
  readonly reconnectBackoffMs?: { readonly min: number; readonly max: number };
  /**
   * The largest payload the services accept. Under MQTT 5 the broker is told the matching Maximum
   * Packet Size and drops larger messages; under MQTT 3.1.1 only the broker's own limit applies
   * (Mosquitto: `message_size_limit`).
   */
  readonly maxPayloadBytes?: number;
  /**
   * The write-ahead inbox. With it, a QoS 1 message for a handler subscribed `durableAs` a consumer
   * (or for no handler yet, before `settle()`) is appended before its PUBACK is sent; while the
   * append fails nothing more is acknowledged. Without it, messages are acknowledged on dispatch.
   */
  readonly inbox?: Inbox;
  /** Raises `store-unwritable` (subject `inbox`) while the inbox refuses appends. */
  readonly alerts?: AlertSink;
  /** How long a burst of QoS 1 messages stays open for more (see BurstPacing). Default 10 ms. */
  readonly burstWindowMs?: number;
  /** MQTT keepalive, seconds (default 60, MQTT.js's). */
  readonly keepaliveSeconds?: number;
  /** Wildcard filters subscribed instead of the exact topics they cover (`mqtt.coveringFilters`). */
  readonly coveringFilters?: readonly string[];
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
/** Without an inbox (tools and tests), messages that no handler claims yet wait in memory, up to this. */
const MAX_UNCLAIMED = 10_000;
/** Inbox rows read per query while replaying or claiming. */
const REPLAY_PAGE = 500;
/**
 * The most messages appended in one commit. A message beyond it waits (and with it the connection)
 * until the burst is committed, so that the burst's handlers do not hold the event loop for long.
 */
const MAX_BURST = 500;
/** See BurstPacing: long enough to gather a few hundred readings at 20,000 a second. */
const BURST_WINDOW_MS = 10;
/**
 * At most this many inbound messages are taken in one turn of the event loop; the next waits for a
 * turn. libuv reads a socket up to 32 times a turn, and a QoS 0 flood (which has no in-flight limit)
 * filled them all: 20,000 messages, hundreds of milliseconds in which no timer or HTTP request ran.
 */
const MESSAGES_PER_TURN = 1_000;
/**
 * Topic filters per SUBSCRIBE. Its SUBACK carries a byte per filter, and must fit the Maximum Packet
 * Size the client announces (MQTT 5; about 24 KB at the default payload limit): one SUBSCRIBE of
 * 100,000 filters was refused by the client and cost a reconnect at start-up.
 */
const FILTERS_PER_SUBSCRIBE = 10_000;
/** MQTT.js's default keepalive, seconds. */
const DEFAULT_KEEPALIVE_S = 60;
const NOT_TAKEN = new Error('stopping: message not taken');
/** How long a stop waits for the broker to close the connection after DISCONNECT. */
const STOP_END_MS = 1_500;

/** The socket MQTT.js writes to, when it can buffer writes (TCP and TLS sockets can). */
interface Corkable {
  cork(): void;
  uncork(): void;
  destroy(): void;
  readonly destroyed: boolean;
}

function corkable(stream: unknown): Corkable | undefined {
  const s = stream as Partial<Corkable> | undefined;
  return typeof s?.cork === 'function' && typeof s.uncork === 'function' && typeof s.destroy === 'function'
    ? (s as Corkable)
    : undefined;
}

/** One message as received, before it is appended. */
interface Received {
  readonly message: InboundMessage;
  /** QoS 1: the broker is sent a PUBACK, so the message must be in the inbox first. */
  readonly acknowledged: boolean;
}

/**
 * The messages of one burst (those MQTT.js hands over within its window: see BurstPacing), appended
 * in one transaction. Their PUBACKs are written as they arrive into the corked socket, which sends
 * nothing until the burst is committed: no acknowledgement leaves the process before its message is
 * stored.
 */
interface Burst {
  readonly connection: number;
  readonly stream: Corkable;
  readonly received: Received[];
  /** The message that found the burst full; its acknowledgement, and the connection, wait for the commit. */
  waiting?: Received & { readonly done: DoneCallback };
  /** Committed already (by a stop, before its scheduled commit): the scheduled one does nothing. */
  committed?: boolean;
  /** The commit at the end of the window. */
  timer?: NodeJS.Timeout;
  /** A commit is due at the next turn of the event loop (the burst is full). */
  soon?: boolean;
}

/** A message, the handlers it reaches, and its inbox rows (one per consumer) when it was appended. */
interface Routed {
  readonly message: InboundMessage;
  readonly handlers: readonly MessageHandler[];
  readonly consumers: readonly string[];
  readonly seqs: readonly number[];
}
const NONE: readonly never[] = [];

/** The MessageBus over MQTT.js: persistent session, QoS 1 subscriptions, reconnect with backoff. */
export class MqttBus implements MessageBus, Component {
  readonly name = 'mqtt';
  private client: MqttClient | undefined;
  /** Set by stop: no message is taken any more. */
  private stopping = false;
  /** Whether `online` may be published: at once, unless availability waits to be announced. */
  private announced: boolean;
  private readonly router = new TopicRouter<MessageHandler>();
  private readonly backoff: { readonly min: number; readonly max: number };
  private backoffMs: number;
  private publishes = 0;
  /**
   * Without an inbox: a persistent session delivers its queued messages as soon as the connection
   * opens, before the services have subscribed their handlers; they wait here (bounded). With an
   * inbox they wait in it as unrouted rows instead, on disk and unbounded, until `settle()`.
   */
  private readonly unclaimed: InboundMessage[] = [];
  /** Handler -> the inbox consumer it was subscribed as. */
  private readonly durable = new Map<MessageHandler, string>();
  /** Consumers whose rows were replayed since they last subscribed (their first subscribe after none). */
  private readonly replayed = new Set<string>();
  /**
   * Filters of durable handlers detached by a stop: until the bus itself stops, their messages are
   * still appended for the consumer, which replays them when it next subscribes (here or after a restart).
   */
  private readonly parked = new TopicRouter<string>();
  private settled = false;
  /** Bumped on every connection change: a held acknowledgement belongs to one connection. */
  private connection = 0;
  private readonly ackHold: AckHold;
  private readonly connectionLog: ConnectionLog;
  private readonly covering: CoveringFilters;
  /** The burst being received, committed at its window's end or once full (see {@link Burst}). */
  private burst: Burst | undefined;
  private readonly pacing: BurstPacing;
  /** When an inbound message last restarted the keepalive countdown (see inboundIsLiveness). */
  private lastLivenessMs = Number.NEGATIVE_INFINITY;
  /**
   * After a burst's commit failed, messages are appended one by one until this many appends in a
   * row succeeded: a store that takes a row but not a burst (the last free pages of a full disk)
   * fails and holds per message, with one warning and one alert, instead of reconnecting per burst.
   */
  private singlesBeforeBursts = 0;
  /** Until this settles, the next inbound message waits, and MQTT.js reads no further (holdInbound). */
  private inboundHold: Promise<void> | undefined;
  /** Messages taken since the event loop's last check phase (MESSAGES_PER_TURN). */
  private takenThisTurn = 0;

  constructor(
    private readonly options: MqttBusOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.announced = options.availability?.untilAnnounced !== true;
    this.ackHold = new AckHold(log, () => clock.now(), options.alerts);
    this.pacing = new BurstPacing(options.burstWindowMs ?? BURST_WINDOW_MS);
    this.backoff = options.reconnectBackoffMs ?? { min: MIN_BACKOFF_MS, max: MAX_BACKOFF_MS };
    this.backoffMs = this.backoff.min;
    // Outages and refused logins are timed on the wall clock: the simulated one may race or stand still.
    this.connectionLog = new ConnectionLog(log, () => Date.now(), options.remindEveryMs);
    this.covering = new CoveringFilters(options.coveringFilters ?? [], log);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Messages published so far: the demo's replay syncs with the broker only after new ones. */
  get publishCount(): number {
    return this.publishes;
  }

  async start(): Promise<void> {
    const o = this.options;
    this.stopping = false;
    const clientOptions: IClientOptions = {
      clientId: o.clientId,
      protocolVersion: o.protocolVersion,
      clean: !o.persistentSession,
      reconnectPeriod: this.backoff.min,
      connectTimeout: 10_000,
      keepalive: o.keepaliveSeconds ?? DEFAULT_KEEPALIVE_S,
      resubscribe: true,
      // A refused login is retried like an outage: the broker's password file may be fixed meanwhile.
      reconnectOnConnackError: true,
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
    // MQTT.js sends a QoS 1 PUBACK when handleMessage calls back, and hands over the connection's
    // next packet only then: the message is stored in the inbox (or dispatched) first.
    client.handleMessage = (packet: IPublishPacket, done: DoneCallback) => this.receive(packet, done);
    client.on('close', () => {
      // A held acknowledgement dies with its connection: the broker resends the message. So do the
      // PUBACKs of a burst not yet committed, unsent in the closed socket.
      this.connection++;
      if (this.burst) clearTimeout(this.burst.timer);
      this.burst = undefined;
      this.pacing.reset();
      this.ackHold.drop();
      this.backOff(client);
    });
    client.on('connect', (connack) => {
      // Small request-reply messages (lockstep clock, acknowledgements) must not wait for Nagle's algorithm.
      const stream = client.stream as { setNoDelay?: (noDelay: boolean) => void };
      stream.setNoDelay?.(true);
      this.backoffMs = this.backoff.min;
      client.options.reconnectPeriod = this.backoff.min;
      this.log.info(
        { url: redactUrl(o.url), sessionPresent: connack.sessionPresent, ...this.connectionLog.connected() },
        'mqtt connected',
      );
      this.publishOnline(client);
    });
    client.on('offline', () => {
      this.log.warn({ url: redactUrl(o.url), retryInMs: this.backoffMs }, 'mqtt offline, reconnecting');
    });
    client.on('error', (error) => this.connectionLog.error(error));
    await this.waitForFirstConnect(client, o.connectWaitMs ?? 10_000);
  }

  /**
   * The first step of a stop, taken before the services stop: the open burst is stored and handed
   * over, and from here on a message from the broker is neither stored nor acknowledged (the broker
   * keeps it for the next session). So the services' last flush holds everything acknowledged, and a
   * backlog the broker is still sending does not hold the stop. Publishing goes on until `stop`.
   */
  stopTaking(): void {
    this.stopping = true;
    // Before the end can flush the corked socket: what a burst acknowledges is stored first.
    if (this.burst) this.commit(this.burst);
  }

  /**
   * Announces `online` now (if connected) and on every later connect. Until then, with
   * `availability.untilAnnounced`, a watcher sees the service as not yet there: its subscriptions
   * may not exist yet.
   */
  announceOnline(): void {
    this.announced = true;
    if (this.client) this.publishOnline(this.client);
  }

  /** `online`, retained, on a connected client, where availability is configured and announced. */
  private publishOnline(client: MqttClient): void {
    const availability = this.options.availability;
    if (availability && this.announced && client.connected)
      client.publish(availability.topic, availability.online, { qos: 1, retain: true });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.stopTaking();
    this.ackHold.drop();
    if (!client) return;
    const availability = this.options.availability;
    if (availability && client.connected) {
      await client
        .publishAsync(availability.topic, availability.offline, { qos: 1, retain: true })
        .catch(() => undefined);
    }
    // Disconnected (the broker is down, or start-up is still waiting for it), a graceful end would
    // wait for a connection that may never come: end at once; the persistent session keeps the rest.
    if (!client.connected) {
      await client.endAsync(true);
      return;
    }
    // A graceful end sends DISCONNECT and waits for the broker to close the connection. Messages no
    // longer taken (above) are passed over quickly, so that comes soon; if it does not (a publish of
    // another part still unacknowledged holds the end), the socket is closed after a while.
    const ended = client.endAsync(false);
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      ended.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), STOP_END_MS);
      }),
    ]);
    clearTimeout(timer);
    if (late) {
      this.log.warn({ waitedMs: STOP_END_MS }, 'mqtt disconnect not answered; closing the connection');
      client.stream.destroy();
    }
    await ended;
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

  async subscribe(
    topicFilters: readonly string[],
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Promise<void> {
    const consumer = this.options.inbox ? options.durableAs : undefined;
    if (consumer !== undefined) {
      this.durable.set(handler, consumer);
      for (const f of topicFilters) this.parked.remove(f, consumer);
    }
    for (const f of topicFilters) this.router.add(f, handler);
    if (topicFilters.length === 0) return;
    const inbox = this.options.inbox;
    if (inbox) {
      // Synchronously, before any live message can reach the handler: what a crash left comes first.
      if (consumer !== undefined && !this.replayed.has(consumer)) {
        this.replayed.add(consumer);
        this.replay(inbox, consumer, handler);
      }
      if (!this.settled) this.claimUnrouted(inbox, topicFilters, handler, consumer);
    }
    const client = this.requireClient();
    try {
      // All chunks at once: the broker works through one while the next is encoded and on its way.
      const chunks: Promise<unknown>[] = [
        this.covering.subscribe(client, (refused) => this.subscribeUncovered(client, refused)),
      ];
      const toBroker = this.covering.toBroker(topicFilters);
      for (let i = 0; i < toBroker.length; i += FILTERS_PER_SUBSCRIBE)
        chunks.push(client.subscribeAsync(toBroker.slice(i, i + FILTERS_PER_SUBSCRIBE), { qos: 1 }));
      const failed = (await Promise.allSettled(chunks)).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (error) {
      // While the broker is down MQTT.js fails a subscribe at the next failed connection attempt, yet
      // keeps it for `resubscribe`: made on reconnect. Start-up carries on instead of failing.
      if (client.connected || this.client !== client) throw error;
      this.log.debug({ filters: topicFilters.length }, 'subscribe deferred until the broker is back');
    }
    if (!inbox) this.claimQueued(topicFilters, handler);
  }

  /** The routed exact topics that refused covering filters would have taken, now subscribed one by one. */
  private async subscribeUncovered(client: MqttClient, refused: readonly string[]): Promise<void> {
    const topics = [...this.router.filters()].filter(
      (f) => !this.covering.covers(f) && refused.some((r) => topicMatches(r, f)),
    );
    for (let i = 0; i < topics.length; i += FILTERS_PER_SUBSCRIBE)
      await client.subscribeAsync(topics.slice(i, i + FILTERS_PER_SUBSCRIBE), { qos: 1 });
  }

  /**
   * Every service has subscribed: inbox rows that no handler claimed are deleted (topics left in the
   * broker session from an older config), and from now on a message without a handler is not kept.
   */
  settle(): void {
    this.settled = true;
    const dropped = this.options.inbox?.dropUnrouted() ?? 0;
    if (dropped > 0) this.log.info({ dropped }, 'inbox rows on topics no service subscribes to were dropped');
  }

  /**
   * The next inbound message waits until `until` settles: its handling is not called back, so
   * MQTT.js processes no further packet and stops reading the socket (see receive).
   */
  holdInbound(until: Promise<unknown>): void {
    const hold = until.then(
      () => undefined,
      () => undefined,
    );
    this.inboundHold = hold;
    void hold.then(() => {
      if (this.inboundHold === hold) this.inboundHold = undefined;
    });
  }

  /** Whether an acknowledgement is held because the inbox refuses appends, and how often that happened. */
  inboxStats(): { readonly holding: boolean; readonly holds: number } {
    return { holding: this.ackHold.holding, holds: this.ackHold.count };
  }

  async unsubscribe(topicFilters: readonly string[], handler?: MessageHandler): Promise<void> {
    for (const f of topicFilters) this.router.remove(f, handler);
    const unused = [...new Set(topicFilters)].filter((f) => !this.router.has(f));
    // A covered topic was never subscribed at the broker: its covering filter stays.
    const toBroker = this.covering.toBroker(unused);
    if (toBroker.length > 0) await this.requireClient().unsubscribeAsync([...toBroker]);
  }

  /** Local only: the broker subscription and the persistent session's queue stay for the next start. */
  detach(topicFilters: readonly string[], handler: MessageHandler): void {
    for (const f of topicFilters) this.router.remove(f, handler);
    const consumer = this.durable.get(handler);
    if (consumer === undefined || !this.options.inbox) return;
    for (const f of topicFilters) this.parked.add(f, consumer);
    // Its next subscribe replays what arrives meanwhile, and what its last flush could not store.
    this.replayed.delete(consumer);
  }

  /**
   * A connection closed or an attempt failed: the next attempt waits the current backoff, which
   * doubles for the one after, so a long outage is not met with a reconnect storm. MQTT.js keeps its
   * reconnect interval at the period in force when the outage began, so the interval is restarted
   * (through its private methods; without them, its fixed period stays).
   */
  private backOff(client: MqttClient): void {
    if (this.client !== client || !client.reconnecting) return;
    const timer = client as unknown as ReconnectInterval;
    if (typeof timer._clearReconnect !== 'function' || typeof timer._setupReconnect !== 'function') return;
    client.options.reconnectPeriod = this.backoffMs;
    timer._clearReconnect();
    timer._setupReconnect();
    this.log.debug({ retryInMs: this.backoffMs }, 'mqtt reconnect scheduled');
    this.backoffMs = Math.min(this.backoffMs * 2, this.backoff.max);
  }

  /**
   * MQTT.js counts only acknowledgements and PINGRESP as signs of the broker's life. A subscriber
   * that falls behind a flood of QoS 0 messages (which it never acknowledges) sends its PINGREQ,
   * waits for the PINGRESP queued behind the backlog, drops a live connection after one and a half
   * keepalives, and the broker discards the QoS 0 messages it held for it (bench:ingest lost millions
   * so). A message arriving shows the connection alive: every half keepalive one restarts MQTT.js's
   * countdown, after a PINGREQ of ours, so that the broker still hears from us within its keepalive.
   */
  private inboundIsLiveness(client: MqttClient): void {
    const nowMs = performance.now();
    const halfKeepaliveMs = (this.options.keepaliveSeconds ?? DEFAULT_KEEPALIVE_S) * 500;
    if (halfKeepaliveMs <= 0 || nowMs - this.lastLivenessMs < halfKeepaliveMs) return;
    this.lastLivenessMs = nowMs;
    client.sendPing();
    client.reschedulePing(true);
  }

  /** One PUBLISH from the broker; `done` sends its PUBACK (QoS 1) and lets the next packet in. */
  private receive(packet: IPublishPacket, done: DoneCallback): void {
    if (this.client) this.inboundIsLiveness(this.client);
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const message: InboundMessage = {
      topic: packet.topic,
      payload,
      retained: packet.retain,
      receivedAtMs: this.clock.now(),
    };
    this.accept({ message, acknowledged: packet.qos > 0 }, done);
  }

  /**
   * With an inbox, a QoS 1 message opens a burst: the socket is corked, and the messages that follow
   * within its window (BurstPacing) join it, each acknowledged at once into the corked socket so that
   * MQTT.js hands over the next; the burst is committed in one transaction, then the socket uncorked
   * (one write for all its PUBACKs), then its messages delivered. Without a corkable socket, and
   * for a while after a burst's commit failed, each message is appended on its own before its
   * PUBACK, and a refused append holds the connection (AckHold).
   */
  private accept(r: Received, done: DoneCallback): void {
    // Stopping: not stored, so not acknowledged (the broker sends it again to the next session).
    // Called back with an error, MQTT.js sends no PUBACK and goes on to the next packet, so that the
    // acknowledgement of the stop's own last publish, behind a backlog, still comes through.
    if (this.stopping) {
      done(NOT_TAKEN);
      return;
    }
    if (this.takenThisTurn++ === 0) setImmediate(() => (this.takenThisTurn = 0));
    else if (this.takenThisTurn > MESSAGES_PER_TURN && this.inboundHold === undefined)
      this.holdInbound(new Promise<void>((resolve) => setImmediate(resolve)));
    const hold = this.inboundHold;
    if (hold !== undefined) {
      const connection = this.connection;
      // From a connection since closed, it is not acknowledged: the broker sends it again.
      void hold.then(() => {
        if (connection === this.connection) this.accept(r, done);
      });
      return;
    }
    const open = this.burst;
    if (open) {
      if (open.received.length < MAX_BURST) {
        open.received.push(r);
        done();
        if (this.pacing.full(open.received.length)) this.commitSoon(open);
      } else {
        open.waiting = { ...r, done };
        this.commitSoon(open);
      }
      return;
    }
    const stream = corkable(this.client?.stream);
    // Parsed from a connection already closed: its PUBACK cannot be sent, the broker resends it.
    if (r.acknowledged && stream?.destroyed) return;
    if (this.options.inbox && r.acknowledged && this.singlesBeforeBursts === 0 && stream) {
      const burst: Burst = { connection: this.connection, stream, received: [r] };
      this.burst = burst;
      stream.cork();
      burst.timer = setTimeout(() => {
        this.pacing.windowEnded(burst.received.length);
        this.commit(burst);
      }, this.pacing.windowMs);
      done();
      if (this.pacing.full(1)) this.commitSoon(burst);
      return;
    }
    const connection = this.connection;
    const attempt = (): boolean => {
      if (connection !== this.connection) return true;
      let routed: Routed;
      try {
        routed = this.append(r);
      } catch (error) {
        if (this.singlesBeforeBursts > 0) this.singlesBeforeBursts = MAX_BURST;
        this.ackHold.hold(error, attempt);
        return false;
      }
      this.ackHold.resumed();
      if (this.singlesBeforeBursts > 0 && r.acknowledged) this.singlesBeforeBursts--;
      // Delivered before the callback: called back later than the packet came (a hold, a retry),
      // MQTT.js parses the next packets within the callback, and they would overtake this one.
      this.deliverRouted(routed);
      done();
      return true;
    };
    attempt();
  }

  /** Commits the burst at the next turn of the event loop, with what else the current read holds. */
  private commitSoon(burst: Burst): void {
    if (burst.soon) return;
    burst.soon = true;
    setImmediate(() => this.commit(burst));
  }

  /** Appends a burst's messages in one transaction, sends their PUBACKs, then delivers them. */
  private commit(burst: Burst): void {
    if (this.burst === burst) this.burst = undefined;
    clearTimeout(burst.timer);
    if (burst.committed) return;
    burst.committed = true;
    // Its connection is gone, and the PUBACKs with it: the broker resends these messages.
    if (burst.connection !== this.connection || burst.stream.destroyed) return;
    const inbox = this.options.inbox;
    let routed: Routed[];
    try {
      routed = inbox ? this.appendBurst(inbox, burst.received) : burst.received.map((r) => this.append(r));
    } catch (error) {
      // Nothing of the burst is stored, so none of its PUBACKs may be sent: they are discarded with
      // the connection, and the broker resends the messages on the next one, where each is appended
      // on its own and a refused append holds the connection (warning and alert) until the store
      // takes writes.
      this.singlesBeforeBursts = MAX_BURST;
      this.log.info(
        { messages: burst.received.length, err: error instanceof Error ? error.message : String(error) },
        'inbox refused a burst; reconnecting so that the broker resends it, appending one by one',
      );
      this.connection++;
      this.burst = undefined;
      burst.stream.destroy();
      return;
    }
    this.ackHold.resumed();
    burst.stream.uncork();
    for (const m of routed) this.deliverRouted(m);
    const waiting = burst.waiting;
    if (waiting) this.accept(waiting, waiting.done);
  }

  /**
   * The message's handlers, and its inbox rows where it must be durable (throws if the store
   * refuses): one per durable consumer it reaches, or parked, or unrouted before `settle()`.
   */
  private append(r: Received): Routed {
    const routed = this.route(r);
    const inbox = this.options.inbox;
    return inbox && routed.consumers.length > 0
      ? { ...routed, seqs: inbox.append(routed.consumers, routed.message) }
      : routed;
  }

  /** A burst's messages routed, and their inbox rows appended together, all or none (throws). */
  private appendBurst(inbox: Inbox, received: readonly Received[]): Routed[] {
    const routed = received.map((r) => this.route(r));
    const durable = routed.filter((r) => r.consumers.length > 0);
    if (durable.length === 0) return routed;
    const seqs = inbox.appendAll(durable);
    // The durable messages' seqs, in their order among the burst's.
    let at = 0;
    return routed.map((r) => (r.consumers.length > 0 ? { ...r, seqs: seqs[at++] ?? NONE } : r));
  }

  /** The message's handlers, and the consumers whose inbox rows it needs (none yet appended). */
  private route({ message, acknowledged }: Received): Routed {
    const handlers = this.router.match(message.topic);
    const inbox = this.options.inbox;
    if (!inbox || !acknowledged) {
      if (handlers.length === 0 && !inbox) {
        if (this.unclaimed.length >= MAX_UNCLAIMED) this.unclaimed.shift();
        this.unclaimed.push(message);
      }
      return { message, handlers, consumers: NONE, seqs: NONE };
    }
    const consumers: string[] = [];
    for (const h of handlers) {
      const c = this.durable.get(h);
      if (c !== undefined && !consumers.includes(c)) consumers.push(c);
    }
    if (handlers.length === 0) {
      for (const c of this.parked.match(message.topic)) if (!consumers.includes(c)) consumers.push(c);
      if (consumers.length === 0 && !this.settled) consumers.push(UNROUTED);
    }
    return { message, handlers, consumers, seqs: NONE };
  }

  private deliverRouted({ message, handlers, consumers, seqs }: Routed): void {
    for (const handler of handlers) {
      const c = this.durable.get(handler);
      const seq = c === undefined ? undefined : seqs[consumers.indexOf(c)];
      this.deliver(handler, seq === undefined ? message : withSeq(message, seq));
    }
  }

  /** The consumer's rows left from an earlier run (a crash, or a stop whose flush failed), in order. */
  private replay(inbox: Inbox, consumer: string, handler: MessageHandler): void {
    let after = 0;
    let replayed = 0;
    for (;;) {
      const rows = inbox.pending(consumer, after, REPLAY_PAGE);
      for (const row of rows) {
        after = row.seq;
        replayed++;
        this.deliver(handler, { ...row, inboxSeq: row.seq });
      }
      if (rows.length < REPLAY_PAGE) break;
    }
    if (replayed > 0)
      this.log.info({ consumer, replayed }, 'inbox replayed what an earlier run had not stored');
  }

  /** Unrouted rows on the new filters: copied to the consumer (if durable) and delivered. */
  private claimUnrouted(
    inbox: Inbox,
    filters: readonly string[],
    handler: MessageHandler,
    consumer: string | undefined,
  ): void {
    // Built only when there are unrouted rows: usually none, and 100,000 filters take 0.1 s.
    let mine: TopicRouter<true> | undefined;
    let after = 0;
    for (;;) {
      const rows = inbox.pending(UNROUTED, after, REPLAY_PAGE);
      for (const row of rows) {
        after = row.seq;
        mine ??= routerOf(filters);
        if (mine.match(row.topic).length === 0) continue;
        const message: InboundMessage = {
          topic: row.topic,
          payload: row.payload,
          retained: row.retained,
          receivedAtMs: row.receivedAtMs,
        };
        const inboxSeq = consumer === undefined ? undefined : inbox.route(row.seq, consumer);
        this.deliver(handler, inboxSeq === undefined ? message : { ...message, inboxSeq });
      }
      if (rows.length < REPLAY_PAGE) break;
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
        const err = this.connectionLog.last;
        this.log.warn(
          { url: redactUrl(this.options.url), waitedMs: waitMs, ...(err ? { err } : {}) },
          'mqtt broker not reachable yet; continuing and retrying in the background',
        );
        resolve();
      }, waitMs);
      const settle = () => {
        clearTimeout(timer);
        client.off('connect', settle);
        client.off('end', settle);
        resolve();
      };
      client.once('connect', settle);
      // A stop during start-up ends the client: no more waiting.
      client.once('end', settle);
    });
  }
}

/** MQTT.js's private reconnect timer controls (5.x). */
interface ReconnectInterval {
  readonly _clearReconnect?: () => void;
  readonly _setupReconnect?: () => void;
}

/** Broker URLs may carry credentials; logs never do. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** The message with its inbox row: a literal of one shape, cheaper per message than a spread. */
function withSeq(m: InboundMessage, inboxSeq: number): InboundMessage {
  return { topic: m.topic, payload: m.payload, retained: m.retained, receivedAtMs: m.receivedAtMs, inboxSeq };
}

function routerOf(filters: readonly string[]): TopicRouter<true> {
  const router = new TopicRouter<true>();
  for (const f of filters) router.add(f, true);
  return router;
}
