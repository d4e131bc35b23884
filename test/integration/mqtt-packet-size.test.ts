import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { MqttBus } from '../../src/adapters/mqtt/mqtt-bus.js';
import type { InboundMessage } from '../../src/ports/message-bus.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { captureLogger } from '../helpers/logger.js';
import { waitFor } from '../helpers/mqtt.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
});

// The embedded broker speaks MQTT 3.1.1 only; the real one (MQTT_URL, Mosquitto in CI) speaks 5.
describe.skipIf(process.env.MQTT_URL === undefined)('MQTT 5 maximum packet size', () => {
  it('keeps payloads far over the limit at the broker; ones just over still arrive to be counted', async () => {
    const { prefix, clientId } = broker.unique('packet-size');
    const topic = `${prefix}/m`;
    const bus = new MqttBus(
      {
        url: broker.url,
        clientId,
        protocolVersion: 5,
        persistentSession: false,
        sessionExpirySeconds: 0,
        maxPayloadBytes: 1024,
      },
      new SystemClock(),
      captureLogger(),
    );
    await bus.start();
    const publisher = await mqtt.connectAsync(broker.url, {
      clientId: `${clientId}-pub`,
      clean: true,
      protocolVersion: 5,
    });
    try {
      const received: InboundMessage[] = [];
      await bus.subscribe([topic], (m) => received.push(m));
      await publisher.publishAsync(topic, Buffer.alloc(1024 * 1024, 'x'), { qos: 1 });
      await publisher.publishAsync(topic, Buffer.alloc(2_000, 'y'), { qos: 1 });
      await publisher.publishAsync(topic, 'last', { qos: 1 });
      // Delivery is in order: once the last one is in, the megabyte would have come before it.
      await waitFor(
        () => received.some((m) => Buffer.from(m.payload).toString() === 'last'),
        () => `the last message; got ${received.map((m) => m.payload.length).join(', ')} bytes`,
      );
      expect(received.map((m) => m.payload.length)).toEqual([2_000, 4]);
    } finally {
      await publisher.endAsync();
      await bus.stop();
    }
  });
});
