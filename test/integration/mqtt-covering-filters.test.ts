import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import type { InboundMessage } from '../../src/ports/message-bus.js';
import { captureLogger } from '../helpers/logger.js';
import { Mosquitto, mosquittoMissing } from '../helpers/mosquitto.js';
import { until } from '../helpers/poll.js';

const METERS = 500;
const meterTopic = (i: number) => `cov/site-a/m${i}`;

/** The broker's own count of subscriptions (all clients), from `$SYS` (published every second). */
async function brokerSubscriptions(url: string): Promise<number> {
  const watcher = await mqtt.connectAsync(url, { clientId: 'sys-watcher', clean: true, protocolVersion: 4 });
  try {
    // The first value may be the one retained from before the subscriptions: wait for a count.
    const count = new Promise<number>((resolve) =>
      watcher.on('message', (_topic, payload) => {
        const n = Number(payload.toString());
        if (n > 0) resolve(n);
      }),
    );
    await watcher.subscribeAsync('$SYS/broker/subscriptions/count');
    return await count;
  } finally {
    await watcher.endAsync();
  }
}

describe.skipIf(mosquittoMissing())('covering filters (mqtt.coveringFilters) on Mosquitto', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  async function setup() {
    const log = captureLogger();
    const broker = await Mosquitto.start({ extraConfig: ['sys_interval 1'] });
    stops.push(() => broker.stop());
    const bus = new MqttBus(
      {
        url: broker.url,
        clientId: 'covered-service',
        protocolVersion: 4,
        persistentSession: true,
        sessionExpirySeconds: 60,
        coveringFilters: ['cov/site-a/+'],
      },
      new SystemClock(),
      log,
    );
    await bus.start();
    stops.push(() => bus.stop());
    const received: InboundMessage[] = [];
    const topics = Array.from({ length: METERS }, (_, i) => meterTopic(i));
    await bus.subscribe([...topics, 'other/m0'], (m) => received.push(m));
    const publisher = await mqtt.connectAsync(broker.url, { clientId: 'publisher', protocolVersion: 4 });
    stops.push(() => publisher.endAsync());
    return { broker, bus, received, publisher, log };
  }

  it('holds one broker subscription for the topics a filter covers, and routes only configured ones', async () => {
    const { broker, received, publisher } = await setup();
    // The covering filter and the uncovered topic: 2, where one per topic would be 501 (the $SYS
    // watcher's own subscription is counted too).
    expect(await brokerSubscriptions(broker.url)).toBe(3);
    await publisher.publishAsync(meterTopic(7), 'covered', { qos: 1 });
    await publisher.publishAsync('cov/site-a/not-configured', 'dropped', { qos: 1 });
    await publisher.publishAsync('other/m0', 'uncovered', { qos: 1 });
    await until(() => (received.length >= 2 ? true : undefined), 'two messages', 5_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(received.map((m) => [m.topic, m.payload.toString()])).toEqual([
      [meterTopic(7), 'covered'],
      ['other/m0', 'uncovered'],
    ]);
  });
});
