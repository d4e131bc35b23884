import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import { captureLogger } from '../helpers/logger.js';
import { Mosquitto, mosquittoMissing } from '../helpers/mosquitto.js';

const MESSAGES = 2_000;
/** Each message holds the subscriber this long: 6 s of backlog against a 1 s keepalive. */
const HANDLER_MS = 3;

describe.skipIf(mosquittoMissing())('a subscriber behind a flood of QoS 0 messages', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await Mosquitto.start({ maxQueuedMessages: 100_000 });
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('keeps its connection while messages keep coming, and so loses none', async () => {
    const log = captureLogger();
    const bus = new MqttBus(
      {
        url: broker.url,
        clientId: 'flood-subscriber',
        protocolVersion: 4,
        persistentSession: true,
        sessionExpirySeconds: 60,
        keepaliveSeconds: 1,
      },
      new SystemClock(),
      log,
    );
    await bus.start();
    let received = 0;
    await bus.subscribe(['flood/#'], () => {
      const until = performance.now() + HANDLER_MS;
      while (performance.now() < until) {
        // a slow consumer: the broker queues what the socket cannot take
      }
      received += 1;
    });
    const publisher = await mqtt.connectAsync(broker.url, { clientId: 'flood-publisher' });
    await Promise.all(
      Array.from({ length: MESSAGES }, (_, i) =>
        publisher.publishAsync(`flood/${i % 50}`, String(i), { qos: 0 }),
      ),
    );
    await publisher.endAsync();
    const until = Date.now() + 30_000;
    while (received < MESSAGES && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await bus.stop();
    // MQTT.js alone would time its PINGRESP out behind the backlog, reconnect, and the broker would
    // discard the QoS 0 messages it held for the old connection.
    expect(log.lines.filter((l) => l.msg === 'mqtt offline, reconnecting')).toEqual([]);
    expect(received).toBe(MESSAGES);
  }, 60_000);
});
