/**
 * The replay's delivery barrier. Receivers stamp payloads without a timestamp (bare numbers,
 * Zigbee2MQTT, live Shelly status) with their arrival time on the injected clock, and the simulated
 * controllers apply commands at theirs. Under the accelerated clock a message arrives within
 * milliseconds, so at the simulated time it was sent; the replay moves the clock on as soon as a
 * job returns, so without this barrier messages arrive after the clock has jumped: stamps shift
 * and a burst gets one stamp (conflicting duplicates). After each job that published anything, a
 * token goes through the broker in each direction; MQTT keeps one client's messages in order, so
 * once the token is back every message published before it has been delivered, at the time it
 * was sent.
 */
import type { Logger } from '../ports/logger.js';
import type { InboundMessage, MessageBus } from '../ports/message-bus.js';

/** A bus that counts what it published (MqttBus). */
export interface CountingBus extends MessageBus {
  readonly publishCount: number;
}

/** A token that never comes back (a broker hiccup) must not stall the replay for good. */
const TOKEN_TIMEOUT_MS = 2_000;

export class ReplaySync {
  private readonly waiting = new Map<string, () => void>();
  private next = 0;
  private seen = { service: -1, simulator: -1 };
  private timeouts = 0;
  private readonly onToken = (m: InboundMessage) => {
    const token = Buffer.from(m.payload).toString('utf8');
    this.waiting.get(token)?.();
    this.waiting.delete(token);
  };

  constructor(
    private readonly service: CountingBus,
    private readonly simulator: CountingBus,
    private readonly topicPrefix: string,
    private readonly log: Logger,
  ) {}

  private topic(to: 'service' | 'simulator'): string {
    return `${this.topicPrefix}/replay/sync/${to}`;
  }

  async start(): Promise<void> {
    await this.service.subscribe([this.topic('service')], this.onToken);
    await this.simulator.subscribe([this.topic('simulator')], this.onToken);
  }

  async stop(): Promise<void> {
    for (const release of this.waiting.values()) release();
    this.waiting.clear();
    await this.service.unsubscribe([this.topic('service')], this.onToken).catch(() => undefined);
    await this.simulator.unsubscribe([this.topic('simulator')], this.onToken).catch(() => undefined);
  }

  /** Returns once everything either side published so far has reached the other. */
  async settle(): Promise<void> {
    // Commands first: the simulated controllers' reports to them come from the simulator's next tick.
    if (this.service.publishCount !== this.seen.service) {
      await this.roundTrip(this.service, 'simulator');
      this.seen.service = this.service.publishCount;
    }
    if (this.simulator.publishCount !== this.seen.simulator) {
      await this.roundTrip(this.simulator, 'service');
      this.seen.simulator = this.simulator.publishCount;
    }
  }

  private async roundTrip(from: MessageBus, to: 'service' | 'simulator'): Promise<void> {
    const token = `t${this.next++}`;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve) => {
      this.waiting.set(token, resolve);
      timer = setTimeout(() => {
        if (!this.waiting.delete(token)) return;
        if (++this.timeouts <= 3) this.log.warn({ to }, 'replay sync token lost; the replay goes on');
        resolve();
      }, TOKEN_TIMEOUT_MS);
    });
    // QoS 1 like the service's own messages, so the token takes the same path through the broker.
    await from.publish(this.topic(to), token, { qos: 1, retain: false });
    await arrived;
    clearTimeout(timer);
  }
}
